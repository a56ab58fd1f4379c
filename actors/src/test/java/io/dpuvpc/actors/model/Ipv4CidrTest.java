package io.dpuvpc.actors.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4CidrTest {

  private static Ipv4Address ip(String text) {
    return Ipv4Address.parse(text);
  }

  @Test
  void parsesTheExampleSubnet() {
    Ipv4Cidr cidr = Ipv4Cidr.parse("192.178.0.0/16");
    assertThat(cidr.prefix()).isEqualTo(16);
    assertThat(cidr.isNetworkAddress()).isTrue();
    assertThat(cidr.network()).hasToString("192.178.0.0");
    assertThat(cidr.broadcast()).hasToString("192.178.255.255");
    assertThat(cidr.gateway()).hasToString("192.178.0.1");
    assertThat(cidr.firstUsable()).hasToString("192.178.0.1");
    assertThat(cidr.lastUsable()).hasToString("192.178.255.254");
    assertThat(cidr.size()).isEqualTo(65536);
    assertThat(cidr).hasToString("192.178.0.0/16");
  }

  @Test
  void tellsAHostAddressFromTheNetworkAddress() {
    Ipv4Cidr cidr = Ipv4Cidr.parse("10.0.0.1/24");
    assertThat(cidr.isNetworkAddress()).isFalse();
    assertThat(cidr.canonical()).hasToString("10.0.0.0/24");
    assertThat(cidr.contains(ip("10.0.0.200"))).isTrue();
  }

  @Test
  void slash30HasOneHostBesidesTheGateway() {
    Ipv4Cidr cidr = Ipv4Cidr.parse("10.0.0.4/30");
    assertThat(cidr.gateway()).hasToString("10.0.0.5");
    assertThat(cidr.lastUsable()).hasToString("10.0.0.6");
    assertThat(cidr.broadcast()).hasToString("10.0.0.7");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/31", "10.0.0.1/32"})
  void slash31And32HaveNoGateway(String text) {
    assertThatThrownBy(() -> Ipv4Cidr.parse(text).gateway()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void handlesPrefixZeroAnd32() {
    Ipv4Cidr all = Ipv4Cidr.parse("0.0.0.0/0");
    assertThat(all.contains(ip("255.255.255.255"))).isTrue();
    assertThat(all.size()).isEqualTo(1L << 32);
    Ipv4Cidr one = Ipv4Cidr.parse("10.1.2.3/32");
    assertThat(one.contains(ip("10.1.2.3"))).isTrue();
    assertThat(one.contains(ip("10.1.2.4"))).isFalse();
  }

  @Test
  void containsItsOwnAddressesOnly() {
    Ipv4Cidr cidr = Ipv4Cidr.parse("192.168.1.0/24");
    assertThat(cidr.contains(ip("192.168.1.0"))).isTrue();
    assertThat(cidr.contains(ip("192.168.1.255"))).isTrue();
    assertThat(cidr.contains(ip("192.168.0.255"))).isFalse();
    assertThat(cidr.contains(ip("192.168.2.0"))).isFalse();
    assertThat(cidr.contains(Ipv4Cidr.parse("192.168.1.128/25"))).isTrue();
    assertThat(cidr.contains(Ipv4Cidr.parse("192.168.0.0/16"))).isFalse();
  }

  @Test
  void overlapIsSymmetricAndCoversNesting() {
    Ipv4Cidr big = Ipv4Cidr.parse("10.0.0.0/8");
    Ipv4Cidr inner = Ipv4Cidr.parse("10.20.0.0/16");
    Ipv4Cidr apart = Ipv4Cidr.parse("11.0.0.0/8");
    assertThat(big.overlaps(inner)).isTrue();
    assertThat(inner.overlaps(big)).isTrue();
    assertThat(big.overlaps(big)).isTrue();
    assertThat(big.overlaps(apart)).isFalse();
    assertThat(apart.overlaps(big)).isFalse();
    assertThat(Ipv4Cidr.parse("192.178.0.0/16").overlaps(Ipv4Cidr.parse("192.188.0.0/16"))).isFalse();
    assertThat(Ipv4Cidr.parse("10.0.0.0/25").overlaps(Ipv4Cidr.parse("10.0.0.128/25"))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/024",
      "10.0.0.0/8/8", "10.0.0.0/ 8", "256.0.0.0/8", "010.0.0.0/8", "10.0.0/8", "/8", "10.0.0.0/a"})
  void refusesMalformedCidrs(String text) {
    assertThatThrownBy(() -> Ipv4Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAnOutOfRangePrefixInTheConstructor() {
    assertThatThrownBy(() -> new Ipv4Cidr(ip("10.0.0.0"), 33)).isInstanceOf(IllegalArgumentException.class);
  }
}
