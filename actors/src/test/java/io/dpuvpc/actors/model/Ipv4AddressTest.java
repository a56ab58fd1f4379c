package io.dpuvpc.actors.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4AddressTest {

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "10.0.0.1", "192.178.100.10", "255.255.255.255", "1.2.3.4"})
  void parsesAndPrintsDottedQuads(String text) {
    assertThat(Ipv4Address.parse(text).toString()).isEqualTo(text);
  }

  @Test
  void keepsTheBitsUnsigned() {
    Ipv4Address a = Ipv4Address.parse("255.255.255.254");
    assertThat(a.unsigned()).isEqualTo(0xFFFFFFFEL);
    assertThat(a.compareTo(Ipv4Address.parse("1.0.0.0"))).isPositive();
    assertThat(a.plus(1)).hasToString("255.255.255.255");
    assertThat(Ipv4Address.parse("10.0.0.255").plus(1)).hasToString("10.0.1.0");
    assertThat(Ipv4Address.parse("10.0.1.0").plus(-1)).hasToString("10.0.0.255");
  }

  @Test
  void refusesAnOctetAbove255() {
    assertThatThrownBy(() -> Ipv4Address.parse("256.1.1.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("256 is greater than 255");
  }

  @ParameterizedTest
  @ValueSource(strings = {"01.2.3.4", "1.2.3.04", "10.00.0.1", "1.2.3.000"})
  void refusesLeadingZeros(String text) {
    assertThatThrownBy(() -> Ipv4Address.parse(text)).hasMessageContaining("leading zero");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.", ".1.2.3", "a.b.c.d", "1.2.3.-4",
      "+1.2.3.4", " 1.2.3.4", "1.2.3.4 ", "1.2.3.4/24", "1234.1.1.1", "::1", ""})
  void refusesMalformedText(String text) {
    assertThatThrownBy(() -> Ipv4Address.parse(text)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Ipv4Address.isValid(text)).isFalse();
  }

  @Test
  void refusesNull() {
    assertThatThrownBy(() -> Ipv4Address.parse(null)).hasMessageContaining("required");
  }
}
