package io.dpuvpc.actors.conditions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConditionTest {

  private static final Instant T = Instant.parse("2025-06-17T13:51:16Z");

  @ParameterizedTest
  @ValueSource(strings = {"Success", "NotNetworkAddress", "InvalidCIDR", "NodeInSeveralVPCs", "Pending2"})
  void acceptsCamelCaseReasons(String reason) {
    assertThat(new Condition("Ready", ConditionStatus.TRUE, reason, null, 1, T).reason()).isEqualTo(reason);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "success", "Not ready", "Bad-Reason", "Bad_Reason", "1Reason"})
  void refusesOtherReasons(String reason) {
    assertThatThrownBy(() -> new Condition("Ready", ConditionStatus.FALSE, reason, "m", 1, T))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CamelCase");
  }

  @Test
  void refusesBadTypesNegativeGenerationsAndMissingTimes() {
    assertThatThrownBy(() -> new Condition("ready", ConditionStatus.TRUE, "Success", "", 1, T))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Condition("Ready", ConditionStatus.TRUE, null, "", 1, T))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Condition("Ready", ConditionStatus.TRUE, "Success", "", -1, T))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Condition("Ready", ConditionStatus.TRUE, "Success", "", 1, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Condition("Ready", null, "Success", "", 1, T))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void aNullMessageIsEmptyAndAHugeOneIsCut() {
    assertThat(new Condition("Ready", ConditionStatus.TRUE, "Success", null, 0, T).message()).isEmpty();
    assertThat(new Condition("Ready", ConditionStatus.FALSE, "Bad", "x".repeat(40000), 0, T).message())
        .hasSize(32768).endsWith("...");
  }

  @Test
  void statusesAreWrittenAsKubernetesDoes() {
    assertThat(ConditionStatus.TRUE.text()).isEqualTo("True");
    assertThat(ConditionStatus.of("False")).isEqualTo(ConditionStatus.FALSE);
    assertThat(ConditionStatus.of("Unknown")).hasToString("Unknown");
    assertThatThrownBy(() -> ConditionStatus.of("true")).isInstanceOf(IllegalArgumentException.class);
  }
}
