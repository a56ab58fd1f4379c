package io.dpuvpc.actors.validation;

import static io.dpuvpc.actors.validation.ErrorAssertions.single;
import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.LabelSelector.Requirement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorValidatorTest {

  private static final String PATH = "spec.nodeSelector";

  private static List<FieldError> validate(Requirement r) {
    return LabelSelectorValidator.validate(PATH, LabelSelector.of(Map.of(), r));
  }

  @Test
  void acceptsEveryOperatorUsedRight() {
    assertThat(LabelSelectorValidator.validate(PATH, LabelSelector.of(
        Map.of("vpc.dpu.nvidia.com/tenant", "red", "empty", ""),
        Requirement.in("zone", "a", "b"), Requirement.notIn("zone", "c"),
        Requirement.exists("rack"), Requirement.doesNotExist("maintenance")))).isEmpty();
    assertThat(LabelSelectorValidator.validate(PATH, null)).isEmpty();
    assertThat(LabelSelectorValidator.validate(PATH, LabelSelector.EVERYTHING)).isEmpty();
  }

  @Test
  void refusesAnUnknownOperator() {
    FieldError e = single(validate(new Requirement("zone", "Equals", List.of("a"))),
        PATH + ".matchExpressions[0].operator", "InvalidSelector");
    assertThat(e.message()).contains("Equals").contains("In, NotIn, Exists or DoesNotExist");
    single(validate(new Requirement("zone", "in", List.of("a"))), PATH + ".matchExpressions[0].operator", "InvalidSelector");
    single(validate(new Requirement("zone", null, List.of("a"))), PATH + ".matchExpressions[0].operator", "InvalidSelector");
  }

  @Test
  void inAndNotInNeedValues() {
    single(validate(new Requirement("zone", "In", List.of())), PATH + ".matchExpressions[0].values", "InvalidSelector");
    single(validate(new Requirement("zone", "NotIn", null)), PATH + ".matchExpressions[0].values", "InvalidSelector");
  }

  @Test
  void existsAndDoesNotExistTakeNoValues() {
    single(validate(new Requirement("zone", "Exists", List.of("a"))), PATH + ".matchExpressions[0].values",
        "InvalidSelector");
    single(validate(new Requirement("zone", "DoesNotExist", List.of("a"))), PATH + ".matchExpressions[0].values",
        "InvalidSelector");
  }

  @Test
  void requiresAKey() {
    single(validate(new Requirement(null, "Exists", null)), PATH + ".matchExpressions[0].key", "Required");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-zone", "zone-", "a/b/c", "Bad_Prefix/zone", "/zone", "zone/", "has space"})
  void refusesInvalidLabelKeys(String key) {
    single(LabelSelectorValidator.validate(PATH, LabelSelector.ofLabels(Map.of(key, "a"))),
        PATH + ".matchLabels[" + key + "]", "InvalidLabel");
  }

  @Test
  void refusesInvalidLabelValuesAndOverlongNames() {
    single(LabelSelectorValidator.validate(PATH, LabelSelector.ofLabels(Map.of("zone", "-a"))),
        PATH + ".matchLabels[zone]", "InvalidLabel");
    single(LabelSelectorValidator.validate(PATH, LabelSelector.ofLabels(Map.of("zone", "a".repeat(64)))),
        PATH + ".matchLabels[zone]", "InvalidLabel");
    String longKey = "k".repeat(64);
    single(LabelSelectorValidator.validate(PATH, LabelSelector.ofLabels(Map.of(longKey, "a"))),
        PATH + ".matchLabels[" + longKey + "]", "InvalidLabel");
    single(validate(Requirement.in("zone", "ok", "not ok")), PATH + ".matchExpressions[0].values[1]", "InvalidLabel");
  }
}
