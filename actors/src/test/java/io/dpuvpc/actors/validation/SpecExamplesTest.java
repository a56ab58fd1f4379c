package io.dpuvpc.actors.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.Annotations;
import io.dpuvpc.actors.model.DpuServiceInterfaceSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.ExcludeIp;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.Ipv4Ipam;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.Ipv4Cidr;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import io.dpuvpc.actors.model.TemplateMetadata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The values of the reference text and spec/examples/*.yaml, built as records, are all accepted. */
class SpecExamplesTest {

  private static final String CLASS = "ovn.vpc.dpu.nvidia.com";
  private static final String TENANT = "vpc.dpu.nvidia.com/tenant";
  private static final String NETWORK = "vpc.dpu.nvidia.com/network";

  private static DpuVirtualNetworkSpec net(String vpc, LabelSelector selector, String subnet, ExcludeIp... excludes) {
    return new DpuVirtualNetworkSpec(vpc, selector, "Bridged", true, true,
        new DpuVirtualNetworkSpec.BridgedNetwork(new DpuVirtualNetworkSpec.Ipam(
            new Ipv4Ipam(true, subnet, List.of(excludes)))));
  }

  private static DpuServiceInterfaceSpec vf2(LabelSelector selector, String network) {
    return DpuServiceInterfaceSpec.of(selector, Map.of(), ServiceInterfaceSpec.vf(0, 2, network));
  }

  @Test
  void isolationClass00() {
    var spec = new IsolationClassSpec("ovn.vpc.dpu.nvidia.com",
        Map.of("ovn-nb-endpoint", "tcp:10.1.1.100:30641", "ovn-nb-reconnect-time", "5"));
    assertThat(IsolationClassValidator.validate(CLASS, spec)).isEmpty();
  }

  @Test
  void referenceExamples() {
    assertThat(DpuVpcValidator.validate("example-vpc",
        new DpuVpcSpec("my-tenant", CLASS, true, LabelSelector.EVERYTHING))).isEmpty();
    var network = net("example-vpc", null, "192.178.0.0/16",
        ExcludeIp.ip("192.178.100.10"), ExcludeIp.range("192.178.100.100", "192.178.100.110"));
    assertThat(DpuVirtualNetworkValidator.validate("example-network", network)).isEmpty();
    assertThat(Ipv4Cidr.parse(network.ipv4().subnet()).gateway()).hasToString("192.178.0.1");
    assertThat(ServiceInterfaceValidator.validateDpuServiceInterface("vf2-example-network",
        vf2(null, "example-network"))).isEmpty();
  }

  @Test
  void singleVpcSingleNetwork01() {
    assertThat(DpuVpcValidator.validate("testvpc", new DpuVpcSpec("foo", CLASS, true, LabelSelector.EVERYTHING)))
        .isEmpty();
    assertThat(DpuVirtualNetworkValidator.validate("testnet1", net("testvpc", LabelSelector.EVERYTHING, "192.178.0.0/16")))
        .isEmpty();
    assertThat(ServiceInterfaceValidator.validateDpuServiceInterface("testnet1-vf2", vf2(null, "testnet1"))).isEmpty();
  }

  @Test
  void singleVpcTwoNetworks02() {
    assertThat(DpuVirtualNetworkValidator.validate("testnet2", net("testvpc", null, "192.188.0.0/16"))).isEmpty();
    assertThat(DpuVirtualNetworkValidator.overlaps("192.188.0.0/16", Map.of("testnet1", "192.178.0.0/16"))).isEmpty();
    for (String n : List.of("testnet1", "testnet2")) {
      var spec = vf2(LabelSelector.ofLabels(Map.of(NETWORK, n)), n);
      assertThat(ServiceInterfaceValidator.validateDpuServiceInterface(n + "-vf2", spec)).isEmpty();
      assertThat(spec.nodeSelector().matches(Map.of(NETWORK, n))).isTrue();
    }
  }

  @Test
  void twoTenants03() {
    var red = LabelSelector.ofLabels(Map.of(TENANT, "red"));
    var blue = LabelSelector.ofLabels(Map.of(TENANT, "blue"));
    assertThat(DpuVpcValidator.validate("redvpc", new DpuVpcSpec("red", CLASS, true, red))).isEmpty();
    assertThat(DpuVpcValidator.validate("bluevpc", new DpuVpcSpec("blue", CLASS, true, blue))).isEmpty();
    assertThat(DpuVirtualNetworkValidator.validate("rednet", net("redvpc", red, "192.178.0.0/16"))).isEmpty();
    assertThat(DpuVirtualNetworkValidator.validate("bluenet", net("bluevpc", blue, "192.178.0.0/16"))).isEmpty();
    // the same subnet in two VPCs is fine: each network is checked against its own VPC's networks only
    assertThat(DpuVirtualNetworkValidator.overlaps("192.178.0.0/16", Map.of())).isEmpty();
    Map<String, LabelSelector> vpcs = Map.of("redvpc", red, "bluevpc", blue);
    assertThat(NodeClaims.conflicts("red-dpu", vpcs, Map.of(TENANT, "red"))).isEmpty();
    assertThat(NodeClaims.claimants(vpcs, Map.of(TENANT, "blue"))).containsExactly("bluevpc");
    assertThat(ServiceInterfaceValidator.validateDpuServiceInterface("rednet-vf2", vf2(red, "rednet"))).isEmpty();
    assertThat(ServiceInterfaceValidator.validateDpuServiceInterface("bluenet-vf2", vf2(blue, "bluenet"))).isEmpty();
  }

  @Test
  void exclusionsAndUnknownMac04() {
    assertThat(DpuVirtualNetworkValidator.validate("example-network", net("example-vpc", null, "192.178.0.0/16",
        ExcludeIp.ip("192.178.100.10"), ExcludeIp.range("192.178.100.100", "192.178.100.110")))).isEmpty();
    var unknownMac = DpuServiceInterfaceSpec.of(null, Map.of(Annotations.UNKNOWN_MAC, "true"),
        ServiceInterfaceSpec.service("my-service", "my-sf", "dpf-operator-system/mybrint-vpc-nodhcp", "example-network"));
    assertThat(ServiceInterfaceValidator.validateDpuServiceInterface("unknown-mac-sf", unknownMac)).isEmpty();
    assertThat(unknownMac.interfaceTemplate().unknownMac()).isTrue();
  }

  @Test
  void serviceInterfaceFromTheStatusExample() {
    var si = new ServiceInterfaceTemplate(TemplateMetadata.annotated(Map.of(
            Annotations.LSP_CONNECTED, "true", Annotations.LSP_MAC_ADDRESS, "5a:19:ad:cf:61:85")),
        new ServiceInterfaceSpec("worker2-0000-c8-00", "vf", null,
            new ServiceInterfaceSpec.Vf(0, 2, "-worker2-0000-c8-00"), null, "bluenet"));
    assertThat(ServiceInterfaceValidator.validateServiceInterface("bluenet-vf2-worker2", si)).isEmpty();
  }
}
