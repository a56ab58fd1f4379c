package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * What the fleet entity spends on claims and matches while a fleet comes up: {@code watchers}
 * DPUServiceInterfaces watch a rack each, {@code nodes} DPU nodes report their labels, then
 * {@code vpcs} DPUVPCs register, each selecting the nodes labelled with its name. Each event makes
 * the next state as the entity's event handler does (a copy of the changed map, included in the
 * figures) and asks its claims and matches as the entity's push does ({@link FleetClaims}, {@link
 * FleetMatches}, kept between states). The baseline, in the same run, is both computed from
 * scratch ({@link FleetEntity#vpcClaims}, {@link FleetEntity#matches}), as the entity did before:
 * it is timed on the last {@code baselineEvents} events of each phase only, at full size, because
 * all of them would take hours at 10,000 × 1,000.
 */
public final class FleetClaimsBenchmark {

  /** Per phase: events, the total milliseconds, the mean per event. */
  public record Phase(String what, int events, double totalMillis) {
    public double meanMillis() {
      return totalMillis / events;
    }
  }

  private FleetClaimsBenchmark() {}

  public static List<Phase> run(int nodes, int vpcs, int watchers, int baselineEvents, Consumer<String> progress) {
    if (nodes < 1 || vpcs < 1 || watchers < 0 || baselineEvents < 1 || baselineEvents > Math.min(nodes, vpcs)) {
      throw new IllegalArgumentException(
          "nodes and vpcs must be at least 1, watchers at least 0, baseline events between 1 and both");
    }
    FleetClaims kept = new FleetClaims();
    FleetMatches matches = new FleetMatches();
    FleetEntity.State state = new FleetEntity.State(Map.of(), Map.of(), Map.of());
    for (int w = 0; w < watchers; w++) {
      String dsi = ResourceKey.namespaced(ResourceKind.DPU_SERVICE_INTERFACE, "tenant-0", "dsi-" + w).toString();
      state = new FleetEntity.State(state.nodes(), state.vpcs(),
          FleetEntity.State.with(state.watchers(), dsi, LabelSelector.ofLabels(Map.of("rack", "rack-" + (w % 40)))));
    }
    kept.of(state);
    matches.of(state);
    List<FleetEntity.State> lastNodeStates = new ArrayList<>();
    long start = System.nanoTime();
    state = events(state, nodes, baselineEvents, kept, matches, lastNodeStates, (s, n) -> new FleetEntity.State(
        FleetEntity.State.with(s.nodes(), "dpu-" + n, Map.of("vpc", "vpc-" + (n % vpcs), "rack", "rack-" + (n % 40))),
        s.vpcs(), s.watchers()));
    Phase nodePhase = new Phase("node reports (kept)", nodes, millisSince(start));
    progress.accept(String.format("%,d node reports: %.1f ms", nodes, nodePhase.totalMillis()));
    Phase nodeBaseline = fromScratch("last node reports (from scratch, baseline)", lastNodeStates);
    progress.accept(String.format("baseline, %d node reports from scratch: %.1f ms", baselineEvents, nodeBaseline.totalMillis()));

    List<FleetEntity.State> lastVpcStates = new ArrayList<>();
    start = System.nanoTime();
    state = events(state, vpcs, baselineEvents, kept, matches, lastVpcStates, (s, v) -> new FleetEntity.State(s.nodes(),
        FleetEntity.State.with(s.vpcs(), ResourceKey.namespaced(ResourceKind.DPU_VPC, "tenant-" + (v % 10), "vpc-" + v).toString(),
            LabelSelector.ofLabels(Map.of("vpc", "vpc-" + v))), s.watchers()));
    Phase vpcPhase = new Phase("VPC registrations (kept)", vpcs, millisSince(start));
    progress.accept(String.format("%,d VPC registrations: %.1f ms", vpcs, vpcPhase.totalMillis()));
    Phase vpcBaseline = fromScratch("last VPC registrations (from scratch, baseline)", lastVpcStates);

    if (!kept.of(state).equals(FleetEntity.vpcClaims(state)) || !matches.of(state).equals(FleetEntity.matches(state))) {
      throw new IllegalStateException("the kept claims or matches differ from the ones computed from scratch");
    }
    int selected = kept.of(state).values().stream().mapToInt(c -> c.nodes().size()).sum();
    if (selected != nodes) {
      throw new IllegalStateException(selected + " nodes selected, expected " + nodes);
    }
    progress.accept(String.format("baseline, %d VPC registrations from scratch: %.1f ms; claims and matches equal, "
        + "%,d nodes selected", baselineEvents, vpcBaseline.totalMillis(), selected));
    return List.of(nodePhase, nodeBaseline, vpcPhase, vpcBaseline);
  }

  /**
   * {@code count} events, each the next state as the event handler makes it and its claims and
   * matches asked as the entity's push asks them; the last {@code keptLast} states go to {@code last}.
   */
  private static FleetEntity.State events(FleetEntity.State state, int count, int keptLast, FleetClaims claims,
      FleetMatches matches, List<FleetEntity.State> last, BiFunction<FleetEntity.State, Integer, FleetEntity.State> next) {
    for (int i = 0; i < count; i++) {
      state = next.apply(state, i);
      claims.of(state);
      matches.of(state);
      if (i >= count - keptLast) {
        last.add(state);
      }
    }
    return state;
  }

  /** What the entity computed per event before: every selector over every node, claims and matches. */
  private static Phase fromScratch(String what, List<FleetEntity.State> states) {
    long start = System.nanoTime();
    for (FleetEntity.State s : states) {
      FleetEntity.vpcClaims(s);
      FleetEntity.matches(s);
    }
    return new Phase(what, states.size(), millisSince(start));
  }

  public static String table(int nodes, int vpcs, int watchers, List<Phase> phases) {
    StringBuilder out = new StringBuilder(String.format(
        "Fleet claims and matches, %,d DPU nodes, %,d DPUVPCs, %,d DPUServiceInterfaces%n", nodes, vpcs, watchers));
    out.append(String.format("%-50s %10s %12s %14s%n", "phase", "events", "total ms", "ms per event"));
    for (Phase p : phases) {
      out.append(String.format("%-50s %,10d %,12.1f %,14.3f%n", p.what(), p.events(), p.totalMillis(), p.meanMillis()));
    }
    return out.toString();
  }

  private static double millisSince(long start) {
    return (System.nanoTime() - start) / 1e6;
  }
}
