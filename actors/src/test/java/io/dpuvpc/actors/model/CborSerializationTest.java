package io.dpuvpc.actors.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.ExcludeIp;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.Ipv4Ipam;
import io.dpuvpc.actors.validation.FieldError;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every persisted or sent model type round-trips through Pekko's Jackson CBOR serializer. */
class CborSerializationTest {

  private static ActorTestKit testKit;
  private static SerializationTestKit serialization;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create(ConfigFactory.parseString(
        "pekko.actor.serialization-bindings { \"io.dpuvpc.actors.CborSerializable\" = jackson-cbor }"));
    serialization = new SerializationTestKit(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static DpuVirtualNetworkSpec network() {
    return DpuVirtualNetworkSpec.bridged("example-vpc", true, new Ipv4Ipam(true, "192.178.0.0/16",
        List.of(ExcludeIp.ip("192.178.100.10"), ExcludeIp.range("192.178.100.100", "192.178.100.110"))));
  }

  @Test
  void specsRoundTrip() {
    List<Object> values = List.of(
        new IsolationClassSpec(IsolationClassSpec.PROVISIONER,
            Map.of("ovn-nb-endpoint", "tcp:10.1.1.100:30641", "ovn-nb-reconnect-time", "5")),
        new DpuVpcSpec("red", "ovn.vpc.dpu.nvidia.com", true,
            LabelSelector.of(Map.of("vpc.dpu.nvidia.com/tenant", "red"), LabelSelector.Requirement.exists("zone"))),
        network(),
        new DpuVirtualNetworkSpec("v", null, null, false, false, null),
        DpuServiceInterfaceSpec.of(LabelSelector.EVERYTHING, Map.of(Annotations.UNKNOWN_MAC, "true"),
            ServiceInterfaceSpec.service("my-service", "my-sf", "dpf-operator-system/mybrint-vpc-nodhcp", "testnet1")),
        new ServiceInterfaceTemplate(null, ServiceInterfaceSpec.vf(0, 2, "bluenet").withNode("worker2-0000-c8-00")),
        ServiceInterfaceSpec.pf(1, "n"),
        DpuNode.labelled("dpu-1", Map.of("a", "b"))
            .reported("ch-1", "10.0.100.1", "172.16.0.10/24", "172.16.0.1", true, Instant.parse("2025-06-17T13:51:16Z")),
        DpuNode.labelled("dpu-2", Map.of()),
        DpuNode.labelled("dpu-3", Map.of()).observed(true, Instant.parse("2025-06-17T13:51:16Z"), true, true,
            List.of(new NodePortStatus("default_si-a", "pf0vf1", "02:00:00:00:00:01", true, true),
                new NodePortStatus("default_si-b", "pf0vf2", null, false, false),
                new NodePortStatus("default_si-c", "ovs-cni:my-sf", "0e:00:00:00:00:09", true, true, "02:aa:00:00:00:01",
                    true))),
        ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "testvpc"),
        new FieldError("spec.tenant", "Required", "spec.tenant is required"),
        Conditions.EMPTY.setTrue(ConditionTypes.PREREQUISITES_READY, 1,
                Clock.fixed(Instant.parse("2025-06-17T13:51:16Z"), ZoneOffset.UTC))
            .withReady(ResourceKind.DPU_VIRTUAL_NETWORK, 1, Clock.systemUTC()));
    for (Object value : values) {
      assertThat(serialization.verifySerialization(value, true)).isEqualTo(value);
    }
  }

  @Test
  void jsonFieldNamesAreTheReferences() throws Exception {
    ObjectMapper json = new ObjectMapper().findAndRegisterModules();
    String ipv4 = json.writeValueAsString(network().ipv4());
    assertThat(ipv4).contains("\"excludeIPs\"").contains("\"dhcp\":true").contains("\"subnet\":\"192.178.0.0/16\"");
    String vf = json.writeValueAsString(ServiceInterfaceSpec.vf(0, 2, "n"));
    assertThat(vf).contains("\"pfID\":0").contains("\"vfID\":2").contains("\"interfaceType\":\"vf\"");
    String service = json.writeValueAsString(ServiceInterfaceSpec.service("s", "i", "ns/n", "v"));
    assertThat(service).contains("\"serviceID\":\"s\"");
    String conditions = json.writeValueAsString(Conditions.EMPTY.setTrue("Ready", 1, Clock.systemUTC()));
    assertThat(conditions).contains("\"status\":\"True\"").doesNotContain("\"true\":");
    String spec = json.writeValueAsString(network());
    // helper methods (ipv4(), empty(), wellFormed()) are not properties: ipv4 appears once, nested
    assertThat(spec.split("\"ipv4\"", -1)).hasSize(2);
    assertThat(spec).doesNotContain("\"empty\"", "\"wellFormed\"");
    assertThat(spec).contains("\"masquerade\":true");
  }

  @Test
  void absentFieldsTakeTheirDefaults() throws Exception {
    ObjectMapper json = new ObjectMapper().findAndRegisterModules();
    DpuVirtualNetworkSpec spec = json.readValue(
        "{\"vpcName\":\"testvpc\",\"externallyRouted\":true,\"bridgedNetwork\":{\"ipam\":{\"ipv4\":"
            + "{\"dhcp\":true,\"subnet\":\"192.178.0.0/16\"}}}}",
        DpuVirtualNetworkSpec.class);
    assertThat(spec.type()).isEqualTo("Bridged");
    assertThat(spec.masquerade()).isTrue();
    assertThat(spec.nodeSelector()).isEqualTo(LabelSelector.EVERYTHING);
    assertThat(spec.ipv4().excludeIPs()).isEmpty();
    DpuVpcSpec vpc = json.readValue("{\"tenant\":\"foo\",\"isolationClassName\":\"ovn.vpc.dpu.nvidia.com\","
        + "\"nodeSelector\":{}}", DpuVpcSpec.class);
    assertThat(vpc.nodeSelector().empty()).isTrue();
    assertThat(vpc.interNetworkAccess()).isFalse();
    // A port reported before the agent read pods' MACs.
    NodePortStatus port = json.readValue("{\"logicalPort\":\"default_si-a\",\"representor\":\"pf0vf1\","
        + "\"mac\":\"02:00:00:00:00:01\",\"bound\":true,\"up\":true}", NodePortStatus.class);
    assertThat(port).isEqualTo(new NodePortStatus("default_si-a", "pf0vf1", "02:00:00:00:00:01", true, true, null, false));
  }
}
