package io.dpuvpc.actors.validation;

import io.dpuvpc.actors.CborSerializable;
import java.util.Objects;

/**
 * One thing wrong with a resource: the field's path (e.g. {@code
 * spec.bridgedNetwork.ipam.ipv4.subnet}), a CamelCase reason from {@link ValidationReasons}, and a
 * message that names the field, says what is wrong and what to do. Entities turn these into False
 * conditions, the HTTP API into 4xx bodies.
 */
public record FieldError(String fieldPath, String reason, String message) implements CborSerializable {

  public FieldError {
    Objects.requireNonNull(fieldPath, "fieldPath");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return reason + ": " + message;
  }
}
