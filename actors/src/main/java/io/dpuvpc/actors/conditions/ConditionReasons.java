package io.dpuvpc.actors.conditions;

/**
 * Reasons shared by all kinds. The reference reports {@value #SUCCESS} for every True condition;
 * False conditions carry the specific reason of what failed (for validation, the {@code
 * FieldError} reason).
 */
public final class ConditionReasons {
  private ConditionReasons() {}

  public static final String SUCCESS = "Success";
  /** A summarised condition has not been computed yet. */
  public static final String PENDING = "Pending";
}
