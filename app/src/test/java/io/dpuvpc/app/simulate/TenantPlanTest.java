package io.dpuvpc.app.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dpuvpc.http.document.Document;
import io.dpuvpc.http.document.MediaKind;
import io.dpuvpc.http.document.ResourceDocuments;
import io.dpuvpc.simulator.fleet.FleetScenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TenantPlanTest {
  private static SimulationSettings settings(int dpus, int vpcs, int networks, int interfaces) {
    return new SimulationSettings(dpus, vpcs, networks, interfaces, 0, Duration.ZERO, 1, Path.of("out"),
        Duration.ofSeconds(10), Duration.ofSeconds(60), "1g", 0, 10, 4, 0);
  }

  @Test
  void everyInterfaceIsOnADpuOfItsVpcWithAVfOfItsOwn() {
    TenantPlan plan = new TenantPlan(settings(10, 3, 2, 5));
    assertThat(plan.interfaces()).hasSize(3 * 2 * 5);
    Set<String> nodeVf = new HashSet<>();
    for (TenantPlan.Interface i : plan.interfaces()) {
      int dpu = Integer.parseInt(i.node().replaceAll("\\D", ""));
      String vpc = i.network().substring(0, i.network().indexOf("-net-"));
      assertThat(plan.labels(dpu)).as(i.toString()).isEqualTo(Map.of(TenantPlan.LABEL, vpc));
      assertThat(nodeVf.add(i.node() + "/" + i.vf())).as("VF used twice: " + i).isTrue();
    }
    // VPC 0 has DPUs 0, 3, 6, 9: its 10 interfaces take VFs 0..2 on DPUs 0 and 3, 0..1 on 6 and 9.
    assertThat(plan.interfaces().subList(0, 10)).extracting(TenantPlan.Interface::vf)
        .containsExactly(0, 0, 0, 0, 1, 1, 1, 1, 2, 2);
  }

  @Test
  void theDocumentsAreValidResourcesAsTheApiParsesThem() {
    TenantPlan plan = new TenantPlan(settings(4, 2, 2, 2));
    List<String> all = new ArrayList<>(List.of(TenantPlan.isolationClass("tcp:127.0.0.1:6641")));
    all.addAll(plan.vpcDocuments());
    all.addAll(plan.networkDocuments());
    plan.interfaces().forEach(i -> all.add(TenantPlan.interfaceDocument(i)));
    List<Document> docs = ResourceDocuments.parseValid(TenantPlan.body(all), MediaKind.YAML, TenantPlan.NAMESPACE);
    assertThat(docs).hasSize(1 + 2 + 4 + 8);
    assertThat(docs).extracting(d -> d.kind().kindName()).containsExactly("IsolationClass", "DPUVPC", "DPUVPC",
        "DPUVirtualNetwork", "DPUVirtualNetwork", "DPUVirtualNetwork", "DPUVirtualNetwork", "ServiceInterface",
        "ServiceInterface", "ServiceInterface", "ServiceInterface", "ServiceInterface", "ServiceInterface",
        "ServiceInterface", "ServiceInterface");
    assertThat(ResourceDocuments.parseValid(TenantPlan.vpcDocument(1, false), MediaKind.YAML, TenantPlan.NAMESPACE))
        .singleElement().satisfies(d -> assertThat(d.key().name()).isEqualTo("sim-vpc-1"));
  }

  @Test
  void settingsThatCannotWorkAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> settings(2, 3, 1, 1)).hasMessageContaining("--vpcs 3 is more than --dpus 2");
    assertThatThrownBy(() -> settings(0, 1, 1, 1)).hasMessageContaining("--dpus must be at least 1");
    assertThatThrownBy(() -> settings(10, 1, 251, 1)).hasMessageContaining("--networks-per-vpc 251");
    assertThatThrownBy(() -> new SimulationSettings(1, 1, 1, 1, -1, Duration.ZERO, 1, Path.of("o"), Duration.ofSeconds(1),
        Duration.ofSeconds(1), "1g", 0, 1, 1, 0)).hasMessageContaining("--churn");
    assertThatThrownBy(() -> new SimulationSettings(4, 1, 1, 1, 0, Duration.ZERO, 1, Path.of("o"), Duration.ofSeconds(1),
        Duration.ofSeconds(1), "1g", 0, 1, 1, 2, FleetScenario.Agents.NODE_AGENTS_ON_EMULATED_OVS))
        .hasMessageContaining("--reboots works with --agents simulated only");
    assertThat(new SimulationSettings(4, 1, 1, 1, 0, Duration.ZERO, 1, Path.of("o"), Duration.ofSeconds(1),
        Duration.ofSeconds(1), "1g", 0, 1, 1, 0, FleetScenario.Agents.NODE_AGENTS_ON_EMULATED_OVS).parameters())
        .containsEntry("agents", "real");
    assertThat(settings(4, 1, 1, 1).parameters()).containsEntry("agents", "simulated");
  }
}
