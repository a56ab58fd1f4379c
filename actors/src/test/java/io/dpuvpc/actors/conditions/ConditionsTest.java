package io.dpuvpc.actors.conditions;

import static io.dpuvpc.actors.conditions.ConditionStatus.FALSE;
import static io.dpuvpc.actors.conditions.ConditionStatus.TRUE;
import static io.dpuvpc.actors.conditions.ConditionStatus.UNKNOWN;
import static io.dpuvpc.actors.conditions.ConditionTypes.DPU_NODES_RECONCILED;
import static io.dpuvpc.actors.conditions.ConditionTypes.DPU_VPC_RECONCILED;
import static io.dpuvpc.actors.conditions.ConditionTypes.PREREQUISITES_READY;
import static io.dpuvpc.actors.conditions.ConditionTypes.READY;
import static io.dpuvpc.actors.conditions.ConditionTypes.TOPOLOGY_RECONCILED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.validation.FieldError;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConditionsTest {

  private static final Instant T0 = Instant.parse("2025-06-17T13:51:09Z");
  private MutableClock clock;

  @BeforeEach
  void clock() {
    clock = new MutableClock(T0);
  }

  private Condition get(Conditions c, String type) {
    return c.get(type).orElseThrow();
  }

  @Test
  void aNewConditionTransitionsNow() {
    Conditions c = Conditions.EMPTY.setTrue(PREREQUISITES_READY, 1, clock);
    assertThat(get(c, PREREQUISITES_READY))
        .isEqualTo(new Condition(PREREQUISITES_READY, TRUE, "Success", "", 1, T0));
    assertThat(c.isTrue(PREREQUISITES_READY)).isTrue();
    assertThat(c.isTrue(DPU_VPC_RECONCILED)).isFalse();
  }

  @Test
  void sameStatusKeepsLastTransitionTimeButTakesReasonMessageAndGeneration() {
    Conditions c = Conditions.EMPTY.setFalse(TOPOLOGY_RECONCILED, "NorthboundUnreachable", "first", 1, clock);
    clock.advance(Duration.ofMinutes(5));
    c = c.setFalse(TOPOLOGY_RECONCILED, "TransactionFailed", "second", 2, clock);
    Condition now = get(c, TOPOLOGY_RECONCILED);
    assertThat(now.lastTransitionTime()).isEqualTo(T0);
    assertThat(now.reason()).isEqualTo("TransactionFailed");
    assertThat(now.message()).isEqualTo("second");
    assertThat(now.observedGeneration()).isEqualTo(2);
  }

  @Test
  void aStatusChangeMovesLastTransitionTime() {
    Conditions c = Conditions.EMPTY.setFalse(TOPOLOGY_RECONCILED, "Pending", "wait", 1, clock);
    clock.advance(Duration.ofSeconds(7));
    c = c.setTrue(TOPOLOGY_RECONCILED, 1, clock);
    assertThat(get(c, TOPOLOGY_RECONCILED).lastTransitionTime()).isEqualTo(T0.plusSeconds(7));
    clock.advance(Duration.ofSeconds(3));
    c = c.set(TOPOLOGY_RECONCILED, UNKNOWN, "Lost", "", 1, clock);
    assertThat(get(c, TOPOLOGY_RECONCILED).lastTransitionTime()).isEqualTo(T0.plusSeconds(10));
  }

  @Test
  void transitionTimesHaveSecondPrecision() {
    clock.advance(Duration.ofMillis(1500));
    Conditions c = Conditions.EMPTY.setTrue(PREREQUISITES_READY, 1, clock);
    assertThat(get(c, PREREQUISITES_READY).lastTransitionTime()).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void setIsPureAndKeepsOneConditionPerType() {
    Conditions before = Conditions.EMPTY.setTrue(PREREQUISITES_READY, 1, clock);
    Conditions after = before.setFalse(PREREQUISITES_READY, "Missing", "m", 1, clock);
    assertThat(before.isTrue(PREREQUISITES_READY)).isTrue();
    assertThat(after.items()).hasSize(1);
    assertThat(after.remove(PREREQUISITES_READY).items()).isEmpty();
  }

  @Test
  void readyComesFirstThenTypesByName() {
    Conditions c = Conditions.EMPTY
        .setTrue(TOPOLOGY_RECONCILED, 1, clock)
        .setTrue(PREREQUISITES_READY, 1, clock)
        .setTrue(DPU_VPC_RECONCILED, 1, clock)
        .setTrue(DPU_NODES_RECONCILED, 1, clock)
        .withReady(ResourceKind.DPU_VPC, 1, clock);
    assertThat(c.items()).extracting(Condition::type).containsExactly(
        READY, DPU_NODES_RECONCILED, DPU_VPC_RECONCILED, PREREQUISITES_READY, TOPOLOGY_RECONCILED);
  }

  @Test
  void readyIsTrueWhenAllOtherConditionsAreTrue() {
    Conditions c = Conditions.EMPTY
        .setTrue(PREREQUISITES_READY, 1, clock)
        .setTrue(DPU_VPC_RECONCILED, 1, clock)
        .setTrue(TOPOLOGY_RECONCILED, 1, clock)
        .setTrue(DPU_NODES_RECONCILED, 1, clock)
        .withReady(ResourceKind.DPU_VPC, 1, clock);
    assertThat(get(c, READY)).isEqualTo(new Condition(READY, TRUE, "Success", "", 1, T0));
  }

  @Test
  void readyIsFalseWithTheFirstFailingConditionsReasonAndMessage() {
    Conditions c = Conditions.EMPTY
        .setTrue(PREREQUISITES_READY, 3, clock)
        .setFalse(DPU_NODES_RECONCILED, "NodeUnreachable", "dpu-7 is not reporting", 3, clock)
        .setFalse(TOPOLOGY_RECONCILED, "NorthboundUnreachable", "cannot reach tcp:10.1.1.100:30641", 3, clock)
        .setTrue(DPU_VPC_RECONCILED, 3, clock)
        .withReady(ResourceKind.DPU_VPC, 3, clock);
    Condition ready = get(c, READY);
    assertThat(ready.status()).isEqualTo(FALSE);
    assertThat(ready.reason()).isEqualTo("NorthboundUnreachable");
    assertThat(ready.message()).isEqualTo("cannot reach tcp:10.1.1.100:30641");
    assertThat(ready.observedGeneration()).isEqualTo(3);
  }

  @Test
  void anUnknownConditionMakesReadyFalse() {
    Conditions c = Conditions.EMPTY
        .set(ConditionTypes.SERVICE_INTERFACE_RECONCILED, UNKNOWN, "Waiting", "agent silent", 1, clock)
        .withReady(ResourceKind.SERVICE_INTERFACE, 1, clock);
    assertThat(get(c, READY).status()).isEqualTo(FALSE);
    assertThat(get(c, READY).reason()).isEqualTo("Waiting");
  }

  @Test
  void aMissingConditionMakesReadyFalsePending() {
    Conditions c = Conditions.EMPTY
        .setTrue(PREREQUISITES_READY, 1, clock)
        .withReady(ResourceKind.DPU_VIRTUAL_NETWORK, 1, clock);
    Condition ready = get(c, READY);
    assertThat(ready.status()).isEqualTo(FALSE);
    assertThat(ready.reason()).isEqualTo("Pending");
    assertThat(ready.message()).contains(ConditionTypes.DPU_VIRTUAL_NETWORK_RECONCILED);
  }

  @Test
  void readyFollowsTheSameTransitionRules() {
    Conditions c = Conditions.EMPTY.withReady(ResourceKind.SERVICE_INTERFACE, 1, clock);
    clock.advance(Duration.ofSeconds(30));
    c = c.withReady(ResourceKind.SERVICE_INTERFACE, 2, clock);
    assertThat(get(c, READY).lastTransitionTime()).isEqualTo(T0);
    c = c.setTrue(ConditionTypes.SERVICE_INTERFACE_RECONCILED, 2, clock).withReady(ResourceKind.SERVICE_INTERFACE, 2, clock);
    assertThat(get(c, READY).status()).isEqualTo(TRUE);
    assertThat(get(c, READY).lastTransitionTime()).isEqualTo(T0.plusSeconds(30));
  }

  @Test
  void readyOfAKindWithoutConditionsIsTrue() {
    assertThat(Conditions.EMPTY.withReady(ResourceKind.DPU_NODE, 1, clock).isTrue(READY)).isTrue();
  }

  @Test
  void fieldErrorsBecomeAFalseConditionWithEveryMessage() {
    List<FieldError> errors = List.of(
        new FieldError("spec.tenant", "Required", "spec.tenant is required"),
        new FieldError("spec.nodeSelector", "InvalidSelector", "spec.nodeSelector is bad"));
    Conditions c = Conditions.EMPTY.setFromErrors(PREREQUISITES_READY, errors, 4, clock);
    Condition failed = get(c, PREREQUISITES_READY);
    assertThat(failed.status()).isEqualTo(FALSE);
    assertThat(failed.reason()).isEqualTo("Required");
    assertThat(failed.message()).isEqualTo("spec.tenant is required; spec.nodeSelector is bad");
    assertThat(Conditions.EMPTY.setFromErrors(PREREQUISITES_READY, List.of(), 4, clock).isTrue(PREREQUISITES_READY))
        .isTrue();
  }

  @Test
  void refusesTwoConditionsOfOneType() {
    Condition c = new Condition(READY, TRUE, "Success", "", 1, T0);
    assertThatThrownBy(() -> new Conditions(List.of(c, c))).hasMessageContaining("twice");
  }
}
