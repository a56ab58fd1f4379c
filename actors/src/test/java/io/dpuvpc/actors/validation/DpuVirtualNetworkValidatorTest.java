package io.dpuvpc.actors.validation;

import static io.dpuvpc.actors.validation.DpuVirtualNetworkValidator.SUBNET_PATH;
import static io.dpuvpc.actors.validation.ErrorAssertions.contains;
import static io.dpuvpc.actors.validation.ErrorAssertions.single;
import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.BridgedNetwork;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.ExcludeIp;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.Ipam;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.IpRange;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.Ipv4Ipam;
import io.dpuvpc.actors.model.LabelSelector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DpuVirtualNetworkValidatorTest {

  private static final String EXCLUDES = "spec.bridgedNetwork.ipam.ipv4.excludeIPs";

  private static DpuVirtualNetworkSpec network(String subnet, ExcludeIp... excludes) {
    return DpuVirtualNetworkSpec.bridged("testvpc", true, new Ipv4Ipam(true, subnet, List.of(excludes)));
  }

  private static List<FieldError> validate(DpuVirtualNetworkSpec spec) {
    return DpuVirtualNetworkValidator.validate("testnet1", spec);
  }

  @ParameterizedTest
  @ValueSource(strings = {"192.178.0.0/16", "10.0.0.0/8", "10.0.0.4/30", "172.16.5.0/24", "1.0.0.0/8"})
  void acceptsValidSubnets(String subnet) {
    assertThat(validate(network(subnet))).isEmpty();
  }

  @Test
  void refusesAHostAddressAndNamesTheNetworkAddress() {
    FieldError e = single(validate(network("10.0.0.1/24")), SUBNET_PATH, "NotNetworkAddress");
    assertThat(e.message()).contains("write 10.0.0.0/24");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/31", "10.0.0.0/32"})
  void refusesSubnetsWithoutRoomForAHost(String subnet) {
    FieldError e = single(validate(network(subnet)), SUBNET_PATH, "SubnetTooSmall");
    assertThat(e.message()).contains("/30");
  }

  @Test
  void refusesAnOctetAbove255() {
    FieldError e = single(validate(network("256.1.1.0/24")), SUBNET_PATH, "InvalidCIDR");
    assertThat(e.message()).contains("256");
  }

  @ParameterizedTest
  @ValueSource(strings = {"010.0.0.0/8", "10.0.0.0", "10.0.0.0/33", "10.0.0.0/08", "fd00::/64", "banana"})
  void refusesMalformedSubnets(String subnet) {
    single(validate(network(subnet)), SUBNET_PATH, "InvalidCIDR");
  }

  @Test
  void requiresASubnet() {
    single(validate(network(null)), SUBNET_PATH, "Required");
    single(validate(network("")), SUBNET_PATH, "Required");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.0/8", "224.0.0.0/24", "169.254.0.0/16", "0.0.0.0/0", "240.0.0.0/8", "0.0.0.0/8"})
  void refusesReservedBlocks(String subnet) {
    single(validate(network(subnet)), SUBNET_PATH, "ReservedSubnet");
  }

  @Test
  void acceptsExclusionsInsideTheSubnet() {
    assertThat(validate(network("192.178.0.0/16",
        ExcludeIp.ip("192.178.100.10"), ExcludeIp.range("192.178.100.100", "192.178.100.110"),
        ExcludeIp.range("192.178.1.1", "192.178.1.1")))).isEmpty();
  }

  @Test
  void refusesAnExcludedIpOutsideTheSubnet() {
    FieldError e = single(validate(network("192.178.0.0/16", ExcludeIp.ip("192.179.0.1"))),
        EXCLUDES + "[0].ip", "OutsideSubnet");
    assertThat(e.message()).contains("192.179.0.1").contains("192.178.0.0/16");
  }

  @Test
  void refusesAnInvalidExcludedIp() {
    single(validate(network("10.0.0.0/24", ExcludeIp.ip("10.0.0.300"))), EXCLUDES + "[0].ip", "InvalidIPAddress");
    single(validate(network("10.0.0.0/24", ExcludeIp.ip("10.0.0.01"))), EXCLUDES + "[0].ip", "InvalidIPAddress");
  }

  @Test
  void refusesARangeEndOutsideTheSubnet() {
    single(validate(network("10.0.0.0/24", ExcludeIp.range("10.0.0.10", "10.0.1.10"))),
        EXCLUDES + "[0].range.end", "OutsideSubnet");
    single(validate(network("10.0.0.0/24", ExcludeIp.range("9.255.255.255", "10.0.0.10"))),
        EXCLUDES + "[0].range.start", "OutsideSubnet");
  }

  @Test
  void refusesAReversedRange() {
    FieldError e = single(validate(network("10.0.0.0/24", ExcludeIp.range("10.0.0.20", "10.0.0.10"))),
        EXCLUDES + "[0].range", "InvalidRange");
    assertThat(e.message()).contains("swap");
  }

  @Test
  void refusesIncompleteOrDoubleExclusions() {
    single(validate(network("10.0.0.0/24", new ExcludeIp(null, null))), EXCLUDES + "[0]", "Required");
    single(validate(network("10.0.0.0/24", new ExcludeIp("10.0.0.1", new IpRange("10.0.0.2", "10.0.0.3")))),
        EXCLUDES + "[0]", "FieldNotAllowed");
    single(validate(network("10.0.0.0/24", new ExcludeIp(null, new IpRange(null, "10.0.0.3")))),
        EXCLUDES + "[0].range.start", "Required");
  }

  @Test
  void stillChecksExclusionSyntaxWhenTheSubnetIsInvalid() {
    List<FieldError> errors = validate(network("10.0.0.1/24", ExcludeIp.ip("10.0.0.999"), ExcludeIp.ip("99.0.0.1")));
    assertThat(errors).extracting(FieldError::reason).containsExactly("NotNetworkAddress", "InvalidIPAddress");
  }

  @Test
  void numbersEachExclusionInItsPath() {
    List<FieldError> errors = validate(network("10.0.0.0/24",
        ExcludeIp.ip("10.0.0.1"), ExcludeIp.ip("11.0.0.1"), ExcludeIp.ip("12.0.0.1")));
    assertThat(errors).extracting(FieldError::fieldPath).containsExactly(EXCLUDES + "[1].ip", EXCLUDES + "[2].ip");
  }

  @Test
  void requiresBridgedType() {
    var spec = new DpuVirtualNetworkSpec("testvpc", null, "Routed", true, true, network("10.0.0.0/24").bridgedNetwork());
    FieldError e = single(validate(spec), "spec.type", "UnsupportedValue");
    assertThat(e.message()).contains("Bridged");
  }

  @Test
  void requiresTheIpv4Settings() {
    single(validate(new DpuVirtualNetworkSpec("testvpc", null, null, true, true, null)),
        "spec.bridgedNetwork.ipam.ipv4", "Required");
    single(validate(new DpuVirtualNetworkSpec("testvpc", null, null, true, true, new BridgedNetwork(new Ipam(null)))),
        "spec.bridgedNetwork.ipam.ipv4", "Required");
  }

  @Test
  void requiresAValidVpcNameAndName() {
    var noVpc = new DpuVirtualNetworkSpec(null, null, null, true, true, network("10.0.0.0/24").bridgedNetwork());
    single(validate(noVpc), "spec.vpcName", "Required");
    var badVpc = new DpuVirtualNetworkSpec("Test_VPC", null, null, true, true, network("10.0.0.0/24").bridgedNetwork());
    single(validate(badVpc), "spec.vpcName", "InvalidName");
    single(DpuVirtualNetworkValidator.validate("Net1", network("10.0.0.0/24")), "metadata.name", "InvalidName");
    single(DpuVirtualNetworkValidator.validate("testnet1", null), "spec", "Required");
  }

  @Test
  void checksTheNodeSelector() {
    var spec = new DpuVirtualNetworkSpec("testvpc",
        LabelSelector.of(Map.of(), new LabelSelector.Requirement("zone", "In", List.of())),
        null, true, true, network("10.0.0.0/24").bridgedNetwork());
    single(validate(spec), "spec.nodeSelector.matchExpressions[0].values", "InvalidSelector");
  }

  @Test
  void masqueradeOffAndNoExternalRoutingAreAccepted() {
    var bridged = network("10.0.0.0/24").bridgedNetwork();
    assertThat(validate(new DpuVirtualNetworkSpec("testvpc", null, null, true, false, bridged))).isEmpty();
    assertThat(validate(new DpuVirtualNetworkSpec("testvpc", null, null, false, true, bridged))).isEmpty();
  }

  @Test
  void networksOfOneVpcMustNotOverlap() {
    List<FieldError> errors = DpuVirtualNetworkValidator.overlaps("10.0.0.0/16",
        Map.of("b-net", "10.0.5.0/24", "a-net", "10.0.0.0/8", "c-net", "10.1.0.0/16", "broken", "x"));
    assertThat(errors).extracting(FieldError::fieldPath).containsOnly(SUBNET_PATH);
    assertThat(errors).extracting(FieldError::reason).containsOnly("SubnetOverlap");
    assertThat(errors).extracting(FieldError::message)
        .satisfiesExactly(
            m -> assertThat(m).startsWith(SUBNET_PATH).contains("a-net").contains("10.0.0.0/8"),
            m -> assertThat(m).contains("b-net").contains("10.0.5.0/24"));
  }

  @Test
  void disjointNetworksDoNotOverlap() {
    assertThat(DpuVirtualNetworkValidator.overlaps("192.178.0.0/16", Map.of("testnet2", "192.188.0.0/16"))).isEmpty();
    assertThat(DpuVirtualNetworkValidator.overlaps("192.178.0.0/16", Map.of())).isEmpty();
    assertThat(DpuVirtualNetworkValidator.overlaps("nonsense", Map.of("x", "10.0.0.0/8"))).isEmpty();
  }

  @Test
  void theWholeSpecIsImmutable() {
    DpuVirtualNetworkSpec before = network("10.0.0.0/24", ExcludeIp.ip("10.0.0.5"));
    assertThat(DpuVirtualNetworkValidator.validateUpdate("n", before, before)).isEmpty();

    single(DpuVirtualNetworkValidator.validateUpdate("n", network("10.0.0.0/24"), network("10.0.1.0/24")),
        SUBNET_PATH, "FieldImmutable");
    single(DpuVirtualNetworkValidator.validateUpdate("n", before, network("10.0.0.0/24")),
        EXCLUDES, "FieldImmutable");
    var otherVpc = new DpuVirtualNetworkSpec("othervpc", null, null, true, true, before.bridgedNetwork());
    single(DpuVirtualNetworkValidator.validateUpdate("n", before, otherVpc), "spec.vpcName", "FieldImmutable");
    var noMasq = new DpuVirtualNetworkSpec("testvpc", null, null, true, false, before.bridgedNetwork());
    single(DpuVirtualNetworkValidator.validateUpdate("n", before, noMasq), "spec.masquerade", "FieldImmutable");
    var notRouted = new DpuVirtualNetworkSpec("testvpc", null, null, false, true, before.bridgedNetwork());
    single(DpuVirtualNetworkValidator.validateUpdate("n", before, notRouted), "spec.externallyRouted", "FieldImmutable");
    var selector = new DpuVirtualNetworkSpec("testvpc", LabelSelector.ofLabels(Map.of("a", "b")), null, true, true,
        before.bridgedNetwork());
    single(DpuVirtualNetworkValidator.validateUpdate("n", before, selector), "spec.nodeSelector", "FieldImmutable");
    var noDhcp = DpuVirtualNetworkSpec.bridged("testvpc", true, new Ipv4Ipam(false, "10.0.0.0/24", before.ipv4().excludeIPs()));
    single(DpuVirtualNetworkValidator.validateUpdate("n", before, noDhcp), "spec.bridgedNetwork.ipam.ipv4.dhcp",
        "FieldImmutable");
    var noIpam = new DpuVirtualNetworkSpec("testvpc", null, null, true, true, null);
    contains(DpuVirtualNetworkValidator.validateUpdate("n", before, noIpam), "spec.bridgedNetwork", "FieldImmutable");
  }

  @Test
  void anUpdateReportsEveryChangedFieldAndTheNewSpecsOwnErrors() {
    DpuVirtualNetworkSpec before = network("10.0.0.0/24");
    var after = new DpuVirtualNetworkSpec("othervpc", null, null, false, true, network("10.0.0.1/24").bridgedNetwork());
    assertThat(DpuVirtualNetworkValidator.validateUpdate("n", before, after))
        .extracting(FieldError::reason)
        .containsExactlyInAnyOrder("NotNetworkAddress", "FieldImmutable", "FieldImmutable", "FieldImmutable");
  }
}
