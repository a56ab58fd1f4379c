package io.dpuvpc.actors.conditions;

import io.dpuvpc.actors.CborSerializable;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.validation.FieldError;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An immutable set of conditions, at most one per type, kept with Ready first and the rest by type
 * name (as the reference lists them). {@link #set} has the semantics of Kubernetes' {@code
 * meta.SetStatusCondition}: reason, message and observedGeneration always take the new values;
 * lastTransitionTime moves to the clock's now only when the status changes (or the condition is
 * new).
 *
 * <p>Conditions are derived from observation and not persisted as events (DESIGN.md); they are
 * serializable for replies and status publishing.
 */
public record Conditions(List<Condition> items) implements CborSerializable {

  public static final Conditions EMPTY = new Conditions(List.of());

  private static final Comparator<Condition> ORDER =
      Comparator.comparing((Condition c) -> !ConditionTypes.READY.equals(c.type())).thenComparing(Condition::type);

  public Conditions {
    List<Condition> sorted = new ArrayList<>(items == null ? List.of() : items);
    sorted.sort(ORDER);
    var seen = new HashSet<String>();
    for (Condition c : sorted) {
      if (!seen.add(c.type())) {
        throw new IllegalArgumentException("condition type " + c.type() + " appears twice");
      }
    }
    items = List.copyOf(sorted);
  }

  public Optional<Condition> get(String type) {
    return items.stream().filter(c -> c.type().equals(type)).findFirst();
  }

  public boolean isTrue(String type) {
    return get(type).map(Condition::isTrue).orElse(false);
  }

  /** Sets a condition with {@code SetStatusCondition} semantics; time comes from {@code clock}. */
  public Conditions set(
      String type, ConditionStatus status, String reason, String message, long observedGeneration, Clock clock) {
    Optional<Condition> existing = get(type);
    Instant transition = existing.isPresent() && existing.get().status() == status
        ? existing.get().lastTransitionTime()
        : clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Condition updated = new Condition(type, status, reason, message, observedGeneration, transition);
    List<Condition> next = new ArrayList<>(remove(type).items);
    next.add(updated);
    return new Conditions(next);
  }

  /** {@code type} True with reason Success and an empty message. */
  public Conditions setTrue(String type, long observedGeneration, Clock clock) {
    return set(type, ConditionStatus.TRUE, ConditionReasons.SUCCESS, "", observedGeneration, clock);
  }

  public Conditions setFalse(String type, String reason, String message, long observedGeneration, Clock clock) {
    return set(type, ConditionStatus.FALSE, reason, message, observedGeneration, clock);
  }

  /**
   * {@code type} True when there are no errors; otherwise False with the first error's reason and
   * every error's message, so the user sees all that is wrong at once.
   */
  public Conditions setFromErrors(String type, List<FieldError> errors, long observedGeneration, Clock clock) {
    if (errors.isEmpty()) {
      return setTrue(type, observedGeneration, clock);
    }
    String message = errors.stream().map(FieldError::message).collect(Collectors.joining("; "));
    return setFalse(type, errors.get(0).reason(), message, observedGeneration, clock);
  }

  public Conditions remove(String type) {
    return new Conditions(items.stream().filter(c -> !c.type().equals(type)).toList());
  }

  /**
   * Sets Ready from the kind's other conditions ({@link ConditionTypes#summarised}): True with
   * Success iff all are present and True; otherwise False with the reason and message of the
   * first, in reporting order, that is not True ({@value ConditionReasons#PENDING} when missing).
   */
  public Conditions withReady(ResourceKind kind, long observedGeneration, Clock clock) {
    for (String type : ConditionTypes.summarised(kind)) {
      Optional<Condition> c = get(type);
      if (c.isEmpty()) {
        return setFalse(ConditionTypes.READY, ConditionReasons.PENDING,
            type + " has not been determined yet: wait for the reconciliation to report it",
            observedGeneration, clock);
      }
      if (!c.get().isTrue()) {
        return setFalse(ConditionTypes.READY, c.get().reason(), c.get().message(), observedGeneration, clock);
      }
    }
    return setTrue(ConditionTypes.READY, observedGeneration, clock);
  }
}
