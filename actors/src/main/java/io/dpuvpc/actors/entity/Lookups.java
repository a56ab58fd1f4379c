package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.validation.FieldError;
import io.dpuvpc.actors.validation.References;
import java.util.List;
import java.util.Set;

/**
 * The one wording of what an entity found when it looked up a resource it refers to: nothing
 * wrong, the resource does not exist ({@link References}), or it could not be reached (the ask
 * failed, which the entity retries; a timeout is not proof that the resource is missing).
 */
final class Lookups {
  private Lookups() {}

  static final String LOOKUP_FAILED = "LookupFailed";

  /** {@code failure}: the ask's failure, or null when it was answered with {@code exists}. */
  static List<FieldError> errors(String field, ResourceKind kind, String name, String failure, boolean exists) {
    if (failure != null) {
      return List.of(new FieldError(field, LOOKUP_FAILED, field + ": could not reach " + kind.kindName() + " \"" + name
          + "\" (" + failure + "); retrying"));
    }
    return exists ? List.of() : References.require(field, kind, name, Set.of());
  }
}
