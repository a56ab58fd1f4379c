package io.dpuvpc.actors.model;

import io.dpuvpc.actors.CborSerializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Kubernetes label selector: {@code matchLabels} and {@code matchExpressions}, all ANDed. The
 * empty selector ({@code {}} or absent) matches every node, as the reference's {@code nodeSelector:
 * {}} does.
 *
 * <p>A malformed selector (unknown operator, In/NotIn without values, Exists/DoesNotExist with
 * values) matches nothing; {@code io.dpuvpc.actors.validation.LabelSelectorValidator} reports why.
 */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions)
    implements CborSerializable {

  public static final String IN = "In";
  public static final String NOT_IN = "NotIn";
  public static final String EXISTS = "Exists";
  public static final String DOES_NOT_EXIST = "DoesNotExist";
  public static final Set<String> OPERATORS = Set.of(IN, NOT_IN, EXISTS, DOES_NOT_EXIST);

  /** Matches every label set. */
  public static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of());

  public LabelSelector {
    matchLabels = Collections2.sortedCopy(matchLabels);
    matchExpressions = Collections2.copy(matchExpressions);
  }

  public static LabelSelector ofLabels(Map<String, String> matchLabels) {
    return new LabelSelector(matchLabels, List.of());
  }

  public static LabelSelector of(Map<String, String> matchLabels, Requirement... expressions) {
    return new LabelSelector(matchLabels, Arrays.asList(expressions));
  }

  /** Null-safe: an absent selector is the empty one. */
  public static LabelSelector orEverything(LabelSelector selector) {
    return selector == null ? EVERYTHING : selector;
  }

  public boolean empty() {
    return matchLabels.isEmpty() && matchExpressions.isEmpty();
  }

  public boolean wellFormed() {
    return matchExpressions.stream().allMatch(Requirement::wellFormed);
  }

  /** Whether a node (or object) with these labels is selected; malformed selectors select nothing. */
  public boolean matches(Map<String, String> labels) {
    Map<String, String> actual = labels == null ? Map.of() : labels;
    if (!wellFormed()) {
      return false;
    }
    for (Map.Entry<String, String> wanted : matchLabels.entrySet()) {
      if (!wanted.getValue().equals(actual.get(wanted.getKey()))) {
        return false;
      }
    }
    return matchExpressions.stream().allMatch(r -> r.matches(actual));
  }

  /**
   * In the notation of {@code kubectl -l}: {@code a=b,zone in (x,y),zone notin (z),rack,!maintenance};
   * {@code {}} for the empty selector, which selects everything.
   */
  @Override
  public String toString() {
    if (empty()) {
      return "{}";
    }
    List<String> parts = new java.util.ArrayList<>();
    matchLabels.forEach((k, v) -> parts.add(k + "=" + v));
    for (Requirement r : matchExpressions) {
      parts.add(r.toString());
    }
    return String.join(",", parts);
  }

  /** One {@code matchExpressions} entry: {@code key}, {@code operator} and {@code values}. */
  public record Requirement(String key, String operator, List<String> values) implements CborSerializable {

    public Requirement {
      values = Collections2.copy(values);
    }

    public static Requirement in(String key, String... values) {
      return new Requirement(key, IN, List.of(values));
    }

    public static Requirement notIn(String key, String... values) {
      return new Requirement(key, NOT_IN, List.of(values));
    }

    public static Requirement exists(String key) {
      return new Requirement(key, EXISTS, List.of());
    }

    public static Requirement doesNotExist(String key) {
      return new Requirement(key, DOES_NOT_EXIST, List.of());
    }

    /** Known operator, values present for In/NotIn and absent for Exists/DoesNotExist. */
    public boolean wellFormed() {
      if (key == null || key.isEmpty() || operator == null || !OPERATORS.contains(operator)) {
        return false;
      }
      boolean needsValues = IN.equals(operator) || NOT_IN.equals(operator);
      return needsValues != values.isEmpty();
    }

    @Override
    public String toString() {
      String op = operator == null ? "?" : operator;
      return switch (op) {
        case IN -> key + " in (" + String.join(",", values) + ")";
        case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
        case EXISTS -> key;
        case DOES_NOT_EXIST -> "!" + key;
        default -> key + " " + op + " (" + String.join(",", values) + ")";
      };
    }

    boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case IN -> value != null && values.contains(value);
        // As in Kubernetes, NotIn also selects objects that lack the label.
        case NOT_IN -> value == null || !values.contains(value);
        case EXISTS -> labels.containsKey(key);
        case DOES_NOT_EXIST -> !labels.containsKey(key);
        default -> false;
      };
    }
  }
}
