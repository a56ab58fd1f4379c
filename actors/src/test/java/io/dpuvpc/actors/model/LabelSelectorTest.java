package io.dpuvpc.actors.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.LabelSelector.Requirement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {

  private static final Map<String, String> RED = Map.of("vpc.dpu.nvidia.com/tenant", "red", "zone", "a");
  private static final Map<String, String> BLUE = Map.of("vpc.dpu.nvidia.com/tenant", "blue");

  @Test
  void emptySelectorMatchesEverything() {
    assertThat(LabelSelector.EVERYTHING.matches(RED)).isTrue();
    assertThat(LabelSelector.EVERYTHING.matches(Map.of())).isTrue();
    assertThat(LabelSelector.EVERYTHING.matches(null)).isTrue();
    assertThat(new LabelSelector(null, null)).isEqualTo(LabelSelector.EVERYTHING);
    assertThat(LabelSelector.orEverything(null).empty()).isTrue();
  }

  @Test
  void matchLabelsNeedsEveryLabel() {
    LabelSelector red = LabelSelector.ofLabels(Map.of("vpc.dpu.nvidia.com/tenant", "red"));
    assertThat(red.matches(RED)).isTrue();
    assertThat(red.matches(BLUE)).isFalse();
    assertThat(red.matches(Map.of())).isFalse();
    LabelSelector both = LabelSelector.ofLabels(Map.of("vpc.dpu.nvidia.com/tenant", "red", "zone", "b"));
    assertThat(both.matches(RED)).isFalse();
  }

  @Test
  void in() {
    LabelSelector s = LabelSelector.of(Map.of(), Requirement.in("zone", "a", "b"));
    assertThat(s.matches(RED)).isTrue();
    assertThat(s.matches(Map.of("zone", "c"))).isFalse();
    assertThat(s.matches(BLUE)).isFalse();
  }

  @Test
  void notInAlsoSelectsObjectsWithoutTheLabel() {
    LabelSelector s = LabelSelector.of(Map.of(), Requirement.notIn("zone", "a"));
    assertThat(s.matches(RED)).isFalse();
    assertThat(s.matches(Map.of("zone", "b"))).isTrue();
    assertThat(s.matches(BLUE)).isTrue();
  }

  @Test
  void existsAndDoesNotExist() {
    LabelSelector exists = LabelSelector.of(Map.of(), Requirement.exists("zone"));
    LabelSelector absent = LabelSelector.of(Map.of(), Requirement.doesNotExist("zone"));
    assertThat(exists.matches(RED)).isTrue();
    assertThat(exists.matches(BLUE)).isFalse();
    assertThat(absent.matches(RED)).isFalse();
    assertThat(absent.matches(BLUE)).isTrue();
    assertThat(exists.matches(Map.of("zone", ""))).isTrue();
  }

  @Test
  void labelsAndExpressionsAreAnded() {
    LabelSelector s = LabelSelector.of(Map.of("vpc.dpu.nvidia.com/tenant", "red"), Requirement.in("zone", "b"));
    assertThat(s.matches(RED)).isFalse();
    assertThat(s.matches(Map.of("vpc.dpu.nvidia.com/tenant", "red", "zone", "b"))).isTrue();
  }

  @Test
  void malformedSelectorsMatchNothing() {
    assertThat(LabelSelector.of(Map.of(), new Requirement("zone", "Equals", List.of("a"))).matches(RED)).isFalse();
    assertThat(LabelSelector.of(Map.of(), new Requirement("zone", "In", List.of())).matches(RED)).isFalse();
    assertThat(LabelSelector.of(Map.of(), new Requirement("zone", "NotIn", null)).matches(BLUE)).isFalse();
    assertThat(LabelSelector.of(Map.of(), new Requirement("zone", "Exists", List.of("a"))).matches(RED)).isFalse();
    assertThat(LabelSelector.of(Map.of(), new Requirement("zone", "DoesNotExist", List.of("a"))).matches(BLUE)).isFalse();
    assertThat(LabelSelector.of(Map.of(), new Requirement("", "Exists", null)).matches(RED)).isFalse();
    assertThat(LabelSelector.of(Map.of(), new Requirement("zone", null, null)).wellFormed()).isFalse();
  }

  @Test
  void printsAsKubectlWritesSelectors() {
    assertThat(LabelSelector.EVERYTHING).hasToString("{}");
    assertThat(LabelSelector.of(Map.of("b", "2", "a", "1"), Requirement.in("zone", "x", "y"),
        Requirement.notIn("zone", "z"), Requirement.exists("rack"), Requirement.doesNotExist("maintenance")))
        .hasToString("a=1,b=2,zone in (x,y),zone notin (z),rack,!maintenance");
  }

  @Test
  void isImmutableAndOrderIndependent() {
    var labels = new java.util.HashMap<String, String>(Map.of("b", "2", "a", "1"));
    LabelSelector s = LabelSelector.ofLabels(labels);
    labels.put("c", "3");
    assertThat(s.matchLabels()).containsOnlyKeys("a", "b");
    assertThat(s.matchLabels().keySet()).containsExactly("a", "b");
    assertThat(s).isEqualTo(LabelSelector.ofLabels(Map.of("a", "1", "b", "2")));
  }
}
