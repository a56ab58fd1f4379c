package io.dpuvpc.actors.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"testvpc", "ovn.vpc.dpu.nvidia.com", "a", "0", "worker2-0000-c8-00", "rednet-vf2"})
  void acceptsDns1123Subdomains(String name) {
    assertThat(Names.isDns1123Subdomain(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "TestVPC", "-a", "a-", "a..b", ".a", "a_b", "a b", "a/b"})
  void refusesOtherNames(String name) {
    assertThat(Names.isDns1123Subdomain(name)).isFalse();
  }

  @Test
  void limitsLength() {
    assertThat(Names.isDns1123Subdomain("a".repeat(253))).isTrue();
    assertThat(Names.isDns1123Subdomain("a".repeat(254))).isFalse();
    assertThat(Names.isDns1123Label("a".repeat(63))).isTrue();
    assertThat(Names.isDns1123Label("a".repeat(64))).isFalse();
    assertThat(Names.isDns1123Label("a.b")).isFalse();
    assertThat(Names.isDns1123Subdomain(null)).isFalse();
  }
}
