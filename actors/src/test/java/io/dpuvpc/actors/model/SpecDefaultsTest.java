package io.dpuvpc.actors.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.BridgedNetwork;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.Ipam;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.Ipv4Ipam;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecDefaultsTest {

  @Test
  void virtualNetworkDefaultsToBridgedMasqueradedOnAllNodes() {
    var ipv4 = new Ipv4Ipam(true, "192.178.0.0/16", null);
    var spec = new DpuVirtualNetworkSpec("testvpc", null, null, true, null, new BridgedNetwork(new Ipam(ipv4)));
    assertThat(spec.type()).isEqualTo("Bridged");
    assertThat(spec.masquerade()).isTrue();
    assertThat(spec.nodeSelector()).isEqualTo(LabelSelector.EVERYTHING);
    assertThat(spec.ipv4().excludeIPs()).isEmpty();
    assertThat(spec).isEqualTo(DpuVirtualNetworkSpec.bridged("testvpc", true, ipv4));
  }

  @Test
  void masqueradeFalseIsKept() {
    var spec = new DpuVirtualNetworkSpec("v", null, "Bridged", true, false, null);
    assertThat(spec.masquerade()).isFalse();
    assertThat(spec.ipv4()).isNull();
    assertThat(new DpuVirtualNetworkSpec("v", null, null, false, null, new BridgedNetwork(null)).ipv4()).isNull();
  }

  @Test
  void vpcNodeSelectorDefaultsToAllNodes() {
    assertThat(new DpuVpcSpec("foo", "ovn.vpc.dpu.nvidia.com", true, null).nodeSelector().empty()).isTrue();
  }

  @Test
  void isolationClassParametersAndDefaults() {
    var spec = new IsolationClassSpec(IsolationClassSpec.PROVISIONER,
        Map.of("ovn-nb-endpoint", "tcp:10.1.1.100:30641", "ovn-nb-reconnect-time", "5"));
    assertThat(spec.nbEndpoints()).containsExactly(new OvnEndpoint("tcp", "10.1.1.100", 30641));
    assertThat(spec.sbEndpoints()).isEmpty();
    assertThat(spec.reconnectTime()).isEqualTo(Duration.ofSeconds(5));
    var bare = new IsolationClassSpec(IsolationClassSpec.PROVISIONER, Map.of("ovn-nb-endpoint", "tcp:1.1.1.1:1"));
    assertThat(bare.reconnectTime()).isEqualTo(IsolationClassSpec.DEFAULT_RECONNECT_TIME);
    var raft = new IsolationClassSpec(IsolationClassSpec.PROVISIONER, Map.of(
        "ovn-nb-endpoint", "ssl:10.0.0.1:6641,ssl:10.0.0.2:6641",
        "ovn-sb-endpoint", "ssl:10.0.0.1:6642", "ovn-nb-reconnect-time", "12"));
    assertThat(raft.nbEndpoints()).hasSize(2);
    assertThat(raft.sbEndpoints()).containsExactly(new OvnEndpoint("ssl", "10.0.0.1", 6642));
    assertThat(raft.reconnectTime()).isEqualTo(Duration.ofSeconds(12));
    assertThat(new IsolationClassSpec("x", null).parameters()).isEmpty();
  }

  @Test
  void serviceInterfaceTemplateExpandsOntoANode() {
    var spec = DpuServiceInterfaceSpec.of(
        LabelSelector.ofLabels(Map.of("vpc.dpu.nvidia.com/network", "testnet1")),
        Map.of(Annotations.UNKNOWN_MAC, "true"),
        ServiceInterfaceSpec.vf(0, 2, "testnet1"));
    assertThat(spec.nodeSelector().matchLabels()).containsEntry("vpc.dpu.nvidia.com/network", "testnet1");
    ServiceInterfaceTemplate onNode = spec.interfaceTemplate().forNode("worker2-0000-c8-00");
    assertThat(onNode.spec().node()).isEqualTo("worker2-0000-c8-00");
    assertThat(onNode.spec().vf()).isEqualTo(new ServiceInterfaceSpec.Vf(0, 2, ""));
    assertThat(onNode.unknownMac()).isTrue();
    assertThat(spec.interfaceTemplate().spec().node()).isNull();
  }

  @Test
  void absentPartsOfADpuServiceInterfaceReadAsDefaults() {
    assertThat(new DpuServiceInterfaceSpec(null).nodeSelector()).isEqualTo(LabelSelector.EVERYTHING);
    assertThat(new DpuServiceInterfaceSpec(null).interfaceTemplate()).isNull();
    var noSelector = new DpuServiceInterfaceSpec(new DpuServiceInterfaceSpec.SetTemplate(null,
        new DpuServiceInterfaceSpec.SetSpec(null, new ServiceInterfaceTemplate(null, ServiceInterfaceSpec.pf(0, "n")))));
    assertThat(noSelector.nodeSelector().empty()).isTrue();
    assertThat(noSelector.interfaceTemplate().metadata()).isEqualTo(TemplateMetadata.EMPTY);
    assertThat(noSelector.interfaceTemplate().unknownMac()).isFalse();
  }

  @Test
  void unknownMacIsOnlyTheStringTrue() {
    assertThat(Annotations.unknownMac(Map.of(Annotations.UNKNOWN_MAC, "true"))).isTrue();
    assertThat(Annotations.unknownMac(Map.of(Annotations.UNKNOWN_MAC, "false"))).isFalse();
    assertThat(Annotations.unknownMac(Map.of(Annotations.UNKNOWN_MAC, "True"))).isFalse();
    assertThat(Annotations.unknownMac(null)).isFalse();
  }

  @Test
  void dpuNodeFactsAreReportedOverTime() {
    DpuNode node = DpuNode.labelled("dpu-1", Map.of("vpc.dpu.nvidia.com/tenant", "red"));
    assertThat(node.ready()).isFalse();
    assertThat(node.chassisId()).isNull();
    Instant at = Instant.parse("2025-06-17T13:51:16Z");
    DpuNode reported = node.reported("chassis-1", "10.0.100.1", "172.16.0.10/24", "172.16.0.1", true, at);
    assertThat(reported.ready()).isTrue();
    assertThat(reported.lastHeartbeat()).isEqualTo(at);
    assertThat(reported.labels()).containsEntry("vpc.dpu.nvidia.com/tenant", "red");
    assertThat(reported.withLabels(Map.of()).labels()).isEmpty();
    assertThat(reported.withLabels(Map.of()).vtepIp()).isEqualTo("10.0.100.1");
  }

  @Test
  void collectionsAreImmutableCopies() {
    var excludes = new java.util.ArrayList<DpuVirtualNetworkSpec.ExcludeIp>();
    excludes.add(DpuVirtualNetworkSpec.ExcludeIp.ip("10.0.0.5"));
    var ipv4 = new Ipv4Ipam(true, "10.0.0.0/24", excludes);
    excludes.clear();
    assertThat(ipv4.excludeIPs()).hasSize(1);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ipv4.excludeIPs().add(null))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(List.of(new ServiceInterfaceSpec.Vf(0, 1, null).parentInterfaceRef())).containsExactly("");
  }
}
