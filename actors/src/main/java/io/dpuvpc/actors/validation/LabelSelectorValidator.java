package io.dpuvpc.actors.validation;

import static io.dpuvpc.actors.validation.ValidationReasons.INVALID_LABEL;
import static io.dpuvpc.actors.validation.ValidationReasons.INVALID_SELECTOR;

import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.LabelSelector.Requirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validates a label selector as Kubernetes does ({@code metav1validation.ValidateLabelSelector}):
 * label keys are qualified names ({@code [prefix/]name}), values at most 63 characters, operators
 * In/NotIn need values, Exists/DoesNotExist take none.
 */
public final class LabelSelectorValidator {
  private LabelSelectorValidator() {}

  private static final Pattern QUALIFIED_NAME_PART =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

  /** The errors of {@code selector} at {@code path} (e.g. {@code spec.nodeSelector}); null is valid. */
  public static List<FieldError> validate(String path, LabelSelector selector) {
    List<FieldError> errors = new ArrayList<>();
    if (selector == null) {
      return errors;
    }
    errors.addAll(validateLabels(path + ".matchLabels", selector.matchLabels()));
    List<Requirement> expressions = selector.matchExpressions();
    for (int i = 0; i < expressions.size(); i++) {
      checkRequirement(path + ".matchExpressions[" + i + "]", expressions.get(i), errors);
    }
    return List.copyOf(errors);
  }

  /** The errors of a label map (an object's labels, or matchLabels) at {@code path}, per key. */
  public static List<FieldError> validateLabels(String path, Map<String, String> labels) {
    List<FieldError> errors = new ArrayList<>();
    for (Map.Entry<String, String> label : labels.entrySet()) {
      String labelPath = path + "[" + label.getKey() + "]";
      checkKey(labelPath, label.getKey(), errors);
      checkValue(labelPath, label.getValue(), errors);
    }
    return List.copyOf(errors);
  }

  private static void checkRequirement(String path, Requirement r, List<FieldError> errors) {
    if (r.key() == null || r.key().isEmpty()) {
      errors.add(Names.required(path + ".key", "the label key to test"));
    } else {
      checkKey(path + ".key", r.key(), errors);
    }
    String op = r.operator();
    if (op == null || !LabelSelector.OPERATORS.contains(op)) {
      errors.add(new FieldError(path + ".operator", INVALID_SELECTOR,
          path + ".operator: \"" + op + "\" is not a selector operator: use In, NotIn, Exists or DoesNotExist"));
      return;
    }
    boolean needsValues = LabelSelector.IN.equals(op) || LabelSelector.NOT_IN.equals(op);
    if (needsValues && r.values().isEmpty()) {
      errors.add(new FieldError(path + ".values", INVALID_SELECTOR,
          path + ".values: operator " + op + " needs at least one value: list the label values to compare with"));
    } else if (!needsValues && !r.values().isEmpty()) {
      errors.add(new FieldError(path + ".values", INVALID_SELECTOR,
          path + ".values: operator " + op + " takes no values: remove them or use In/NotIn"));
    }
    for (int i = 0; i < r.values().size(); i++) {
      checkValue(path + ".values[" + i + "]", r.values().get(i), errors);
    }
  }

  private static void checkKey(String path, String key, List<FieldError> errors) {
    int slash = key.indexOf('/');
    String prefix = slash < 0 ? null : key.substring(0, slash);
    String name = slash < 0 ? key : key.substring(slash + 1);
    boolean prefixOk = prefix == null || Names.isDns1123Subdomain(prefix);
    boolean nameOk = name.length() <= Names.LABEL_MAX && QUALIFIED_NAME_PART.matcher(name).matches();
    if (!prefixOk || !nameOk) {
      errors.add(new FieldError(path, INVALID_LABEL,
          path + ": \"" + Names.abbreviate(key) + "\" is not a valid label key: write an optional DNS-subdomain"
              + " prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending"
              + " alphanumeric, e.g. vpc.dpu.nvidia.com/tenant"));
    }
  }

  private static void checkValue(String path, String value, List<FieldError> errors) {
    if (value == null || value.isEmpty()) {
      return; // the empty value is a valid label value
    }
    if (value.length() > Names.LABEL_MAX || !QUALIFIED_NAME_PART.matcher(value).matches()) {
      errors.add(new FieldError(path, INVALID_LABEL,
          path + ": \"" + Names.abbreviate(value) + "\" is not a valid label value: use at most 63 letters,"
              + " digits, '-', '_' or '.', starting and ending alphanumeric"));
    }
  }
}
