package io.dpuvpc.http.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dpuvpc.actors.conditions.Condition;
import io.dpuvpc.actors.conditions.ConditionStatus;
import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.entity.DpuServiceInterfaceEntity;
import io.dpuvpc.actors.model.DpuServiceInterfaceSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import io.dpuvpc.actors.model.TemplateMetadata;
import io.dpuvpc.http.document.Metadata;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The describe tree, a pure function of the resources: its shape, ages and the FAILED filter. */
class DescribeTreeTest {

    static final Instant NOW = Instant.parse("2025-06-17T14:00:00Z");

    // ---- resources

    static Condition condition(String type, ConditionStatus status, String reason, String message, Duration age) {
        return new Condition(type, status, reason, message, 1, NOW.minus(age));
    }

    static Conditions ready(Duration age) {
        return new Conditions(List.of(condition("Ready", ConditionStatus.TRUE, "Success", "", age)));
    }

    static ResourceView view(ResourceKind kind, String namespace, String name, Object spec, Conditions conditions) {
        ResourceKey key = kind.clusterScoped() ? ResourceKey.clusterScoped(kind, name)
                : ResourceKey.namespaced(kind, namespace, name);
        return new ResourceView(key, Map.of(), Map.of(), spec, Metadata.NONE, conditions, Map.of());
    }

    static ResourceView vpc(String namespace, String name, Conditions conditions) {
        return view(ResourceKind.DPU_VPC, namespace, name,
                new DpuVpcSpec("t", "ovn.vpc.dpu.nvidia.com", true, LabelSelector.EVERYTHING), conditions);
    }

    static ResourceView network(String namespace, String name, String vpc, Conditions conditions) {
        return view(ResourceKind.DPU_VIRTUAL_NETWORK, namespace, name, DpuVirtualNetworkSpec.bridged(vpc, true,
                new DpuVirtualNetworkSpec.Ipv4Ipam(true, "10.0.0.0/24", List.of())), conditions);
    }

    static ResourceView dsi(String namespace, String name, String network, Conditions conditions) {
        return view(ResourceKind.DPU_SERVICE_INTERFACE, namespace, name, DpuServiceInterfaceSpec.of(
                LabelSelector.EVERYTHING, Map.of(), ServiceInterfaceSpec.vf(0, 2, network)), conditions);
    }

    static ResourceView si(String namespace, String name, String node, String network, Conditions conditions) {
        return view(ResourceKind.SERVICE_INTERFACE, namespace, name, new ServiceInterfaceTemplate(TemplateMetadata.EMPTY,
                ServiceInterfaceSpec.vf(0, 2, network).withNode(node)), conditions);
    }

    /**
     * default/testvpc (Ready 45s ago, TopologyReconciled) with network testnet1 (Ready False 12m),
     * on it DPUServiceInterface testnet1-vf2 (Ready 3h20m) which made the ServiceInterface of
     * node dpu-a (Ready False 6d), and a ServiceInterface of its own (manual-si, Ready); a second
     * VPC, othervpc, all True; a network of the same VPC name in another namespace (not drawn).
     */
    static DescribeTree.Resources fleet() {
        Conditions vpcConditions = new Conditions(List.of(
                condition("TopologyReconciled", ConditionStatus.TRUE, "Success", "", Duration.ofSeconds(45)),
                condition("Ready", ConditionStatus.TRUE, "Success", "", Duration.ofSeconds(45))));
        Conditions netConditions = new Conditions(List.of(condition("Ready", ConditionStatus.FALSE, "SubnetOverlaps",
                "spec.subnet overlaps testnet0: choose another", Duration.ofMinutes(12))));
        Conditions childConditions = new Conditions(List.of(condition("Ready", ConditionStatus.FALSE, "PortNotBound",
                "the DPU has not bound the port yet", Duration.ofDays(6))));
        String child = DpuServiceInterfaceEntity.childName("testnet1-vf2", "dpu-a");
        return new DescribeTree.Resources(
                List.of(vpc("default", "testvpc", vpcConditions), vpc("default", "othervpc", ready(Duration.ofSeconds(5)))),
                List.of(network("default", "testnet1", "testvpc", netConditions),
                        network("blue", "bluenet", "testvpc", ready(Duration.ofSeconds(5)))),
                List.of(dsi("default", "testnet1-vf2", "testnet1", ready(Duration.ofMinutes(200)))),
                List.of(si("default", "manual-si", "dpu-b", "testnet1", ready(Duration.ofSeconds(5))),
                        si("default", child, "dpu-a", "testnet1", childConditions)));
    }

    /** The NAME column of every line but the header. */
    static List<String> nameColumn(String text) {
        List<String> names = new ArrayList<>();
        List<String> lines = Arrays.asList(text.split("\n"));
        assertThat(lines.get(0)).startsWith("NAME").contains("NAMESPACE", "STATUS", "REASON", "SINCE", "MESSAGE");
        for (String line : lines.subList(1, lines.size())) {
            names.add(line.substring(0, Math.min(58, line.length())).stripTrailing());
        }
        return names;
    }

    static String lineOf(String text, String name) {
        return Arrays.stream(text.split("\n")).filter(l -> l.substring(0, Math.min(58, l.length())).stripTrailing()
                .equals(name)).findFirst().orElseThrow(() -> new AssertionError("no line " + name + " in\n" + text));
    }

    /** The columns after NAME of a condition's line: namespace (empty), status, reason, since, message. */
    static List<String> columns(String line) {
        return Arrays.asList(line.substring(58).strip().split("\\s+", 4));
    }

    // ---- tests

    @Test
    void theTreeNestsVpcsNetworksInterfacesAndTheServiceInterfacesADpuServiceInterfaceMade() {
        String text = DescribeTree.text(fleet(), DescribeTree.Show.ALL, NOW);
        assertThat(nameColumn(text)).containsExactly(
                "DPUVPCs",
                "├─DPUVPC/othervpc",
                "│ └─Ready",
                "└─DPUVPC/testvpc",
                "  ├─Ready",
                "  ├─TopologyReconciled",
                "  └─DPUVirtualNetwork/testnet1",
                "    ├─Ready",
                "    ├─DPUServiceInterface/testnet1-vf2",
                "    │ ├─Ready",
                "    │ └─ServiceInterface/testnet1-vf2-dpu-a",
                "    │   └─Ready",
                "    └─ServiceInterface/manual-si",
                "      └─Ready");
        assertThat(lineOf(text, "└─DPUVPC/testvpc").substring(58).strip()).isEqualTo("default");
        assertThat(columns(lineOf(text, "    ├─Ready")))
                .containsExactly("False", "SubnetOverlaps", "12m", "spec.subnet overlaps testnet0: choose another");
        assertThat(columns(lineOf(text, "  ├─Ready"))).containsExactly("True", "Success", "45s");
        assertThat(columns(lineOf(text, "    │ ├─Ready"))).containsExactly("True", "Success", "3h20m");
        assertThat(columns(lineOf(text, "    │   └─Ready")))
                .containsExactly("False", "PortNotBound", "6d", "the DPU has not bound the port yet");
        assertThat(text).doesNotContain("bluenet");
    }

    @Test
    void failedShowsOnlyConditionsThatAreNotTrueAndTheResourcesLeadingToThem() {
        String text = DescribeTree.text(fleet(), DescribeTree.Show.FAILED, NOW);
        assertThat(nameColumn(text)).containsExactly(
                "DPUVPCs",
                "└─DPUVPC/testvpc",
                "  └─DPUVirtualNetwork/testnet1",
                "    ├─Ready",
                "    └─DPUServiceInterface/testnet1-vf2",
                "      └─ServiceInterface/testnet1-vf2-dpu-a",
                "        └─Ready");
        assertThat(text).doesNotContain("True", "othervpc", "manual-si", "TopologyReconciled");

        JsonNode json = DescribeTree.json(fleet(), DescribeTree.Show.FAILED);
        JsonNode vpc = json.get("dpuvpcs").get(0);
        assertThat(json.get("dpuvpcs")).hasSize(1);
        assertThat(vpc.get("conditions")).isEmpty();
        assertThat(vpc.at("/children/0/conditions/0/status").asText()).isEqualTo("False");
        assertThat(vpc.at("/children/0/children/0/conditions")).isEmpty();
        assertThat(vpc.at("/children/0/children/0/children/0/name").asText())
                .isEqualTo("ServiceInterface/testnet1-vf2-dpu-a");
    }

    @Test
    void anEmptyTreeSaysSo() {
        DescribeTree.Resources none = new DescribeTree.Resources(List.of(), List.of(), List.of(), List.of());
        assertThat(DescribeTree.text(none, DescribeTree.Show.ALL, NOW)).endsWith("DPUVPCs\n└─(no DPUVPC)\n");
        DescribeTree.Resources allTrue = new DescribeTree.Resources(List.of(vpc("default", "v", ready(Duration.ZERO))),
                List.of(), List.of(), List.of());
        assertThat(DescribeTree.text(allTrue, DescribeTree.Show.FAILED, NOW))
                .endsWith("DPUVPCs\n└─(no DPUVPC with a condition that is not True)\n");
        assertThat(DescribeTree.json(none, DescribeTree.Show.ALL).get("dpuvpcs")).isEmpty();
    }

    @Test
    void theJsonFormHasTheSameTreeWithFullConditions() {
        JsonNode json = DescribeTree.json(fleet(), DescribeTree.Show.ALL);
        assertThat(json.get("dpuvpcs").findValuesAsText("name")).isNotEmpty();
        assertThat(json.get("dpuvpcs")).hasSize(2);
        JsonNode testvpc = json.get("dpuvpcs").get(1);
        assertThat(testvpc.get("name").asText()).isEqualTo("DPUVPC/testvpc");
        assertThat(testvpc.get("namespace").asText()).isEqualTo("default");
        JsonNode ready = testvpc.get("conditions").get(0);
        assertThat(ready.get("type").asText()).isEqualTo("Ready");
        assertThat(ready.get("status").asText()).isEqualTo("True");
        assertThat(ready.get("reason").asText()).isEqualTo("Success");
        assertThat(ready.get("lastTransitionTime").asText()).isEqualTo("2025-06-17T13:59:15Z");
        JsonNode net = testvpc.get("children").get(0);
        assertThat(net.get("children").findValuesAsText("name")).contains("DPUServiceInterface/testnet1-vf2",
                "ServiceInterface/testnet1-vf2-dpu-a", "ServiceInterface/manual-si");
        assertThat(net.get("children")).hasSize(2);
    }

    @Test
    void aServiceInterfaceIsNestedByItsHashedChildNameToo() {
        String longName = "d".repeat(250);
        String child = DpuServiceInterfaceEntity.childName(longName, "dpu-a");
        assertThat(child).isNotEqualTo(longName + "-dpu-a");
        DescribeTree.Resources r = new DescribeTree.Resources(
                List.of(vpc("default", "v", ready(Duration.ZERO))),
                List.of(network("default", "n", "v", ready(Duration.ZERO))),
                List.of(dsi("default", longName, "n", ready(Duration.ZERO))),
                List.of(si("default", child, "dpu-a", "n", ready(Duration.ZERO)),
                        // Named as if by plain concatenation: not one the DPUServiceInterface made.
                        si("default", "other-dpu-a", "dpu-a", "n", ready(Duration.ZERO))));
        JsonNode net = DescribeTree.json(r, DescribeTree.Show.ALL).at("/dpuvpcs/0/children/0");
        assertThat(net.at("/children/0/name").asText()).isEqualTo("DPUServiceInterface/" + longName);
        assertThat(net.at("/children/0/children/0/name").asText()).isEqualTo("ServiceInterface/" + child);
        assertThat(net.at("/children/1/name").asText()).isEqualTo("ServiceInterface/other-dpu-a");
        assertThat(net.get("children")).hasSize(2);
    }

    @Test
    void aServiceInterfaceInAnotherNamespaceIsNotTheChildOfADpuServiceInterface() {
        DescribeTree.Resources r = new DescribeTree.Resources(
                List.of(vpc("default", "v", ready(Duration.ZERO))),
                List.of(network("default", "n", "v", ready(Duration.ZERO))),
                List.of(dsi("default", "d", "n", ready(Duration.ZERO))),
                List.of(si("blue", DpuServiceInterfaceEntity.childName("d", "dpu-a"), "dpu-a", "n", ready(Duration.ZERO))));
        JsonNode dsi = DescribeTree.json(r, DescribeTree.Show.ALL).at("/dpuvpcs/0/children/0/children/0");
        assertThat(dsi.get("name").asText()).isEqualTo("DPUServiceInterface/d");
        assertThat(dsi.get("children")).isEmpty();
    }

    @Test
    void agesAreWrittenAsKubectlDoes() {
        assertThat(DescribeTree.since(NOW.minusSeconds(45), NOW)).isEqualTo("45s");
        assertThat(DescribeTree.since(NOW, NOW)).isEqualTo("0s");
        assertThat(DescribeTree.since(NOW.minusSeconds(119), NOW)).isEqualTo("119s");
        assertThat(DescribeTree.since(NOW.minusSeconds(120), NOW)).isEqualTo("2m");
        assertThat(DescribeTree.since(NOW.minus(Duration.ofMinutes(12)).minusSeconds(59), NOW)).isEqualTo("12m");
        assertThat(DescribeTree.since(NOW.minus(Duration.ofMinutes(59)), NOW)).isEqualTo("59m");
        assertThat(DescribeTree.since(NOW.minus(Duration.ofHours(3)), NOW)).isEqualTo("3h");
        assertThat(DescribeTree.since(NOW.minus(Duration.ofMinutes(200)), NOW)).isEqualTo("3h20m");
        assertThat(DescribeTree.since(NOW.minus(Duration.ofHours(10).plusMinutes(20)), NOW)).isEqualTo("10h");
        assertThat(DescribeTree.since(NOW.minus(Duration.ofHours(23).plusMinutes(59)), NOW)).isEqualTo("23h");
        assertThat(DescribeTree.since(NOW.minus(Duration.ofDays(6).plusHours(23)), NOW)).isEqualTo("6d");
        assertThat(DescribeTree.since(NOW.minus(Duration.ofDays(400)), NOW)).isEqualTo("400d");
        // A clock behind the condition's time, and no time at all.
        assertThat(DescribeTree.since(NOW.plusSeconds(30), NOW)).isEqualTo("0s");
        assertThat(DescribeTree.since(null, NOW)).isEmpty();
    }

    @Test
    void showIsParsedCaseInsensitivelyWithAllAsDefault() {
        assertThat(DescribeTree.Show.parse(null)).isEqualTo(DescribeTree.Show.ALL);
        assertThat(DescribeTree.Show.parse(" ")).isEqualTo(DescribeTree.Show.ALL);
        assertThat(DescribeTree.Show.parse("All")).isEqualTo(DescribeTree.Show.ALL);
        assertThat(DescribeTree.Show.parse("FAILED")).isEqualTo(DescribeTree.Show.FAILED);
        assertThatThrownBy(() -> DescribeTree.Show.parse("true"))
                .hasMessage("showConditions must be all or failed, not \"true\"");
    }
}
