package io.dpuvpc.actors.validation;

import static io.dpuvpc.actors.validation.ValidationReasons.INVALID_NAME;
import static io.dpuvpc.actors.validation.ValidationReasons.REQUIRED;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Kubernetes name rules (apimachinery {@code validation.IsDNS1123Subdomain} / {@code
 * IsDNS1123Label}): object names and references by name are DNS-1123 subdomains, at most 253
 * characters of lower-case alphanumerics, '-' and '.', starting and ending alphanumeric.
 */
public final class Names {
  private Names() {}

  public static final int SUBDOMAIN_MAX = 253;
  public static final int LABEL_MAX = 63;
  private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  static final Pattern DNS1123_LABEL = Pattern.compile(LABEL);
  static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");

  public static boolean isDns1123Subdomain(String value) {
    return value != null && value.length() <= SUBDOMAIN_MAX && DNS1123_SUBDOMAIN.matcher(value).matches();
  }

  public static boolean isDns1123Label(String value) {
    return value != null && value.length() <= LABEL_MAX && DNS1123_LABEL.matcher(value).matches();
  }

  /** Adds an error unless {@code value} is a non-empty DNS-1123 subdomain. */
  static void requireSubdomain(String path, String value, List<FieldError> errors) {
    if (value == null || value.isEmpty()) {
      errors.add(required(path, "a name such as \"example-vpc\""));
    } else if (!isDns1123Subdomain(value)) {
      errors.add(new FieldError(path, INVALID_NAME,
          path + ": \"" + abbreviate(value) + "\" is not a valid name: use at most " + SUBDOMAIN_MAX
              + " lower-case letters, digits, '-' and '.', starting and ending with a letter or digit"));
    }
  }

  static FieldError required(String path, String what) {
    return new FieldError(path, REQUIRED, path + " is required: set it to " + what);
  }

  static String abbreviate(String value) {
    return value.length() <= 80 ? value : value.substring(0, 77) + "...";
  }
}
