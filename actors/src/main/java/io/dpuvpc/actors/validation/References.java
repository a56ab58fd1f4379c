package io.dpuvpc.actors.validation;

import static io.dpuvpc.actors.validation.ValidationReasons.NOT_FOUND;

import io.dpuvpc.actors.model.ResourceKind;
import java.util.List;
import java.util.Set;

/**
 * Checks that a reference by name (vpcName, isolationClassName, virtualNetwork) resolves. The
 * entity knows which names exist; this gives the one wording of the error.
 */
public final class References {
  private References() {}

  /**
   * An error on {@code fieldPath} when {@code name} is not among the {@code existing} names of
   * {@code kind} (in the same namespace for namespaced kinds); otherwise none.
   */
  public static List<FieldError> require(String fieldPath, ResourceKind kind, String name, Set<String> existing) {
    if (name == null || name.isEmpty() || existing.contains(name)) {
      return List.of(); // an empty name is the validators' Required error, not a dangling reference
    }
    String where = kind.clusterScoped() ? "" : " in this namespace";
    return List.of(new FieldError(fieldPath, NOT_FOUND,
        fieldPath + ": " + kind.kindName() + " \"" + name + "\" does not exist" + where + ": create it, or correct the name"));
  }
}
