package io.dpuvpc.actors.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OvnEndpointTest {

  @Test
  void parsesTheReferenceEndpoint() {
    OvnEndpoint e = OvnEndpoint.parse("tcp:10.1.1.100:30641");
    assertThat(e).isEqualTo(new OvnEndpoint("tcp", "10.1.1.100", 30641));
    assertThat(e.tls()).isFalse();
    assertThat(e).hasToString("tcp:10.1.1.100:30641");
  }

  @Test
  void parsesSslNamesAndIpv6() {
    assertThat(OvnEndpoint.parse("ssl:ovn-central.local:6641").tls()).isTrue();
    OvnEndpoint v6 = OvnEndpoint.parse("tcp:[fd00::1]:6641");
    assertThat(v6.host()).isEqualTo("fd00::1");
    assertThat(v6).hasToString("tcp:[fd00::1]:6641");
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp:ovn-central:6641", "ssl:OVN.Example.COM:6641", "tcp:[::1]:6641", "tcp:[::ffff:10.0.0.1]:1",
      "tcp:0.0.0.0:6641", "tcp:255.255.255.255:6641", "tcp:10.1.1.100:65535"})
  void acceptsEveryKindOfHost(String text) {
    assertThat(OvnEndpoint.parse(text).toString()).isEqualToIgnoringCase(text);
  }

  @Test
  void parsesARaftMemberList() {
    assertThat(OvnEndpoint.parseList("ssl:10.0.0.1:6641,ssl:10.0.0.2:6641, ssl:10.0.0.3:6641"))
        .extracting(OvnEndpoint::host)
        .containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.1.1.100:30641", "tcp:10.1.1.100", "udp:10.1.1.100:1", "tcp::6641",
      "tcp:10.1.1.100:0", "tcp:10.1.1.100:65536", "tcp:10.1.1.100:x", "unix:/run/ovn/ovnnb_db.sock", "tcp:fd00::1:6641",
      // Hosts: a mistyped address is not a name; names follow RFC 1123; IPv6 literals only in brackets.
      "tcp:300.1.1.1:6641", "tcp:10.1.1:6641", "tcp:-bad-.example:6641", "tcp:under_score.local:6641",
      "tcp:a..b:6641", "tcp:[zz::1]:6641", "tcp:[fd00::1::2]:6641", "tcp:[10.0.0.1]:6641"})
  void refusesBadEndpoints(String text) {
    assertThatThrownBy(() -> OvnEndpoint.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAnEmptyListOrAnEmptyMember() {
    assertThatThrownBy(() -> OvnEndpoint.parseList("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OvnEndpoint.parseList("tcp:1.1.1.1:1,")).isInstanceOf(IllegalArgumentException.class);
  }
}
