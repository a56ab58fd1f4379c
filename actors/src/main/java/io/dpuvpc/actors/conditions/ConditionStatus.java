package io.dpuvpc.actors.conditions;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A condition's status, written as Kubernetes does: "True", "False", "Unknown". */
public enum ConditionStatus {
  TRUE("True"),
  FALSE("False"),
  UNKNOWN("Unknown");

  private final String text;

  ConditionStatus(String text) {
    this.text = text;
  }

  @JsonValue
  public String text() {
    return text;
  }

  @JsonCreator
  public static ConditionStatus of(String text) {
    for (ConditionStatus status : values()) {
      if (status.text.equals(text)) {
        return status;
      }
    }
    throw new IllegalArgumentException("\"" + text + "\" is not a condition status: True, False or Unknown");
  }

  @Override
  public String toString() {
    return text;
  }
}
