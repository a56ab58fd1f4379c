package io.dpuvpc.actors.conditions;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.dpuvpc.actors.CborSerializable;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One status condition, as Kubernetes' {@code metav1.Condition}: a type, a status, a CamelCase
 * reason, a human message (what is wrong and what to do; empty when all is well), the generation
 * it was computed for and when the status last changed (second precision, as the API server keeps
 * it). Build and change them through {@link Conditions#set}.
 */
public record Condition(
    String type,
    ConditionStatus status,
    String reason,
    String message,
    long observedGeneration,
    Instant lastTransitionTime)
    implements CborSerializable {

  /** CamelCase: an upper-case letter, then letters and digits (a subset of what Kubernetes allows). */
  static final Pattern CAMEL_CASE = Pattern.compile("[A-Z][A-Za-z0-9]*");
  static final int MAX_REASON = 1024;
  static final int MAX_MESSAGE = 32768;

  public Condition {
    if (type == null || !CAMEL_CASE.matcher(type).matches()) {
      throw new IllegalArgumentException("condition type \"" + type + "\" must be CamelCase, e.g. Ready");
    }
    Objects.requireNonNull(status, "status");
    if (reason == null || reason.length() > MAX_REASON || !CAMEL_CASE.matcher(reason).matches()) {
      throw new IllegalArgumentException(
          "condition reason \"" + reason + "\" must be CamelCase (e.g. Success), at most " + MAX_REASON + " characters");
    }
    message = message == null ? "" : message;
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE - 3) + "...";
    }
    if (observedGeneration < 0) {
      throw new IllegalArgumentException("observedGeneration " + observedGeneration + " is negative");
    }
    Objects.requireNonNull(lastTransitionTime, "lastTransitionTime");
  }

  @JsonIgnore
  public boolean isTrue() {
    return status == ConditionStatus.TRUE;
  }
}
