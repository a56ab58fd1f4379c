package io.dpuvpc.actors.validation;

import static io.dpuvpc.actors.validation.ValidationReasons.FIELD_IMMUTABLE;

import java.util.List;
import java.util.Objects;

/** The one way to report that an update changed a field fixed at creation. */
final class Immutable {
  private Immutable() {}

  static void check(String path, Object before, Object after, List<FieldError> errors) {
    if (!Objects.equals(before, after)) {
      errors.add(new FieldError(path, FIELD_IMMUTABLE,
          path + " cannot change after creation (was " + before + ", now " + after
              + "): put the old value back, or delete the resource and create it anew"));
    }
  }
}
