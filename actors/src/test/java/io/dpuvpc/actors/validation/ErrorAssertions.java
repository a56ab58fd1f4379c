package io.dpuvpc.actors.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** Asserts on validator output: exactly one error, on the field, with the reason, naming the field. */
final class ErrorAssertions {
  private ErrorAssertions() {}

  static FieldError single(List<FieldError> errors, String fieldPath, String reason) {
    assertThat(errors).as("errors").hasSize(1);
    FieldError error = errors.get(0);
    assertThat(error.fieldPath()).isEqualTo(fieldPath);
    assertThat(error.reason()).isEqualTo(reason);
    assertThat(error.message()).startsWith(fieldPath);
    return error;
  }

  static void contains(List<FieldError> errors, String fieldPath, String reason) {
    assertThat(errors)
        .as("errors")
        .anySatisfy(e -> {
          assertThat(e.fieldPath()).isEqualTo(fieldPath);
          assertThat(e.reason()).isEqualTo(reason);
          assertThat(e.message()).contains(fieldPath);
        });
  }
}
