package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.actors.model.NodePortStatus;
import io.dpuvpc.actors.validation.FieldError;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DPU node entity: an agent's report validated field by field, durable facts persisted only
 * when they change while readiness and the heartbeat stay in memory, Kubernetes labels kept when
 * the agent reports none, labels told to the fleet, restart and delete.
 */
class DpuNodeEntityTest {
  @RegisterExtension
  final EntityHarness h = new EntityHarness();

  static DpuNode facts(String name, String vtep) {
    return new DpuNode(name, Map.of(), "chassis-" + name, vtep, "172.16.0.10/24", "172.16.0.1", true,
        Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void aBadReportIsRejectedNamingTheFieldAndChangesNothing() {
    ApplyReply reply = h.report(facts("dpu-1", "10.0.100.300"));
    assertThat(reply).isInstanceOfSatisfying(ApplyReply.Rejected.class, r -> {
      assertThat(r.errors()).extracting(FieldError::fieldPath).containsExactly("vtepIp");
      assertThat(r.errors().get(0).message()).contains("10.0.100.300");
    });
    assertThat(h.node("dpu-1").exists()).isFalse();

    DpuNode otherName = facts("dpu-2", "10.0.100.2");
    assertThat(h.<DpuNodeEntity.Command, ApplyReply>ask(h.directory.node("dpu-1"), r -> new DpuNodeEntity.Report(otherName, r)))
        .isInstanceOfSatisfying(ApplyReply.Rejected.class,
            r -> assertThat(r.errors()).extracting(FieldError::fieldPath).containsExactly("metadata.name"));
  }

  @Test
  void factsArePersistedWhenTheyChangeReadinessOnlyInMemory() {
    assertThat(h.setLabels("dpu-1", Map.of("zone", "a"))).isInstanceOfSatisfying(ApplyReply.Accepted.class,
        a -> assertThat(a.generation()).isEqualTo(1));
    ApplyReply first = h.report(facts("dpu-1", "10.0.100.1"));
    assertThat(first).isInstanceOfSatisfying(ApplyReply.Accepted.class, a -> assertThat(a.changed()).isTrue());
    // A heartbeat with the same facts writes nothing.
    assertThat(h.report(facts("dpu-1", "10.0.100.1"))).isInstanceOfSatisfying(ApplyReply.Accepted.class,
        a -> assertThat(a.changed()).isFalse());

    DpuNode known = h.node("dpu-1").node();
    assertThat(known.labels()).isEqualTo(Map.of("zone", "a")); // the agent reported no labels: Kubernetes' stay
    assertThat(known.vtepIp()).isEqualTo("10.0.100.1");
    assertThat(known.ready()).isTrue();
    assertThat(known.lastHeartbeat()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));

    h.directory.restartNode("dpu-1");
    DpuNode recovered = h.node("dpu-1").node();
    assertThat(recovered.chassisId()).isEqualTo("chassis-dpu-1");
    assertThat(recovered.externalIp()).isEqualTo("172.16.0.10/24");
    assertThat(recovered.labels()).isEqualTo(Map.of("zone", "a"));
    assertThat(recovered.ready()).isFalse();
    assertThat(recovered.lastHeartbeat()).isNull();
  }

  @Test
  void aNodeWhoseAgentStopsReportingIsNotReadyAfterTheGraceAndReadyAgainAtItsNextReport() {
    java.util.concurrent.atomic.AtomicReference<Instant> now =
        new java.util.concurrent.atomic.AtomicReference<>(Instant.parse("2026-11-26T12:00:00Z"));
    TestDirectory directory = new TestDirectory(h.testKit, clockOf(now));
    // The agent's own timestamp is a year off: readiness goes by when the entity heard it.
    DpuNode facts = facts("dpu-1", "10.0.100.1");
    assertThat(h.<DpuNodeEntity.Command, ApplyReply>ask(directory.node("dpu-1"), r -> new DpuNodeEntity.Report(facts, r)))
        .isInstanceOf(ApplyReply.Accepted.class);
    java.util.function.Supplier<DpuNodeEntity.Status> status = () -> h.<DpuNodeEntity.Command, DpuNodeEntity.Status>ask(
        directory.node("dpu-1"), DpuNodeEntity.GetStatus::new);
    java.util.function.Supplier<DpuNode> node = () -> status.get().node();

    now.set(now.get().plus(DpuNodeEntity.HEARTBEAT_GRACE));
    assertThat(node.get().ready()).isTrue();
    assertThat(status.get().notReady()).isNull();
    now.set(now.get().plusSeconds(1));
    DpuNodeEntity.Status staleStatus = status.get();
    DpuNode stale = staleStatus.node();
    assertThat(stale.ready()).isFalse();
    assertThat(stale.lastHeartbeat()).isEqualTo(facts.lastHeartbeat()); // what the agent last said, for the operator
    assertThat(stale.vtepIp()).isEqualTo("10.0.100.1"); // the durable facts stay
    // Why, for the operator: silent, for how long against which grace, and since when.
    assertThat(staleStatus.notReady().reason()).isEqualTo(DpuNodeEntity.AGENT_SILENT);
    assertThat(staleStatus.notReady().message())
        .contains("for 31 s (grace 30 s)", "last heard at 2026-11-26T12:00:00Z", "down or cut off");

    h.<DpuNodeEntity.Command, ApplyReply>ask(directory.node("dpu-1"), r -> new DpuNodeEntity.Report(facts, r));
    assertThat(node.get().ready()).isTrue();
    assertThat(status.get().notReady()).isNull();

    // Heard, but the agent itself says not ready: another reason.
    DpuNode unready = facts.observed(false, facts.lastHeartbeat(), false, false, List.of());
    h.<DpuNodeEntity.Command, ApplyReply>ask(directory.node("dpu-1"), r -> new DpuNodeEntity.Report(unready, r));
    assertThat(status.get().notReady().reason()).isEqualTo(DpuNodeEntity.AGENT_NOT_READY);
  }

  @Test
  void aHeartbeatNamingTheAcceptedReportKeepsTheNodeHeardAndAnyOtherAsksForTheFacts() {
    java.util.concurrent.atomic.AtomicReference<Instant> now =
        new java.util.concurrent.atomic.AtomicReference<>(Instant.parse("2026-11-26T12:00:00Z"));
    TestDirectory directory = new TestDirectory(h.testKit, clockOf(now));
    java.util.function.Function<Long, DpuNodeEntity.HeartbeatAnswer> heartbeat = serial ->
        h.<DpuNodeEntity.Command, DpuNodeEntity.HeartbeatAnswer>ask(directory.node("dpu-1"),
            r -> new DpuNodeEntity.Heartbeat(serial, null, r));
    java.util.function.Supplier<DpuNodeEntity.Status> status = () -> h.<DpuNodeEntity.Command, DpuNodeEntity.Status>ask(
        directory.node("dpu-1"), DpuNodeEntity.GetStatus::new);
    ReportSerials serials = new ReportSerials(41);
    DpuNode facts = facts("dpu-1", "10.0.100.1");

    // Before any report there are no facts to confirm: the agent must send them.
    assertThat(heartbeat.apply(42L)).isEqualTo(new DpuNodeEntity.HeartbeatAnswer("dpu-1", false));
    ApplyReply accepted = h.<DpuNodeEntity.Command, ApplyReply>ask(directory.node("dpu-1"), r -> serials.report(facts, r));
    serials.answered(accepted);
    assertThat(serials.heartbeat(null, null)).get().extracting(DpuNodeEntity.Heartbeat::serial).isEqualTo(42L);

    // Its heartbeat keeps it heard past the grace, with the facts of that report.
    now.set(now.get().plus(DpuNodeEntity.HEARTBEAT_GRACE));
    assertThat(heartbeat.apply(42L).known()).isTrue();
    now.set(now.get().plusSeconds(20));
    DpuNodeEntity.Status heard = status.get();
    assertThat(heard.notReady()).isNull();
    assertThat(heard.node().ready()).isTrue();
    assertThat(heard.node().vtepIp()).isEqualTo("10.0.100.1");
    assertThat(heard.node().lastHeartbeat()).isEqualTo(Instant.parse("2026-11-26T12:00:30Z")); // heard then (no time given)
    // With the agent's own time, that is what is shown, as for a report.
    Instant agentTime = Instant.parse("2025-01-01T00:00:00Z");
    assertThat(h.<DpuNodeEntity.Command, DpuNodeEntity.HeartbeatAnswer>ask(directory.node("dpu-1"),
        r -> new DpuNodeEntity.Heartbeat(42L, agentTime, r)).known()).isTrue();
    assertThat(status.get().node().lastHeartbeat()).isEqualTo(agentTime);

    // A heartbeat naming another report is not a sign of life: the facts may differ.
    now.set(now.get().plus(DpuNodeEntity.HEARTBEAT_GRACE).plusSeconds(1));
    assertThat(heartbeat.apply(41L).known()).isFalse();
    assertThat(heartbeat.apply(0L).known()).isFalse();
    assertThat(status.get().notReady().reason()).isEqualTo(DpuNodeEntity.AGENT_SILENT);

    // A restarted entity holds no report: the first heartbeat after it asks for the facts again.
    directory.restartNode("dpu-1");
    assertThat(heartbeat.apply(42L).known()).isFalse();
    serials.unknown();
    assertThat(serials.heartbeat(null, null)).isEmpty();
    serials.answered(h.<DpuNodeEntity.Command, ApplyReply>ask(directory.node("dpu-1"), r -> serials.report(facts, r)));
    assertThat(heartbeat.apply(43L).known()).isTrue();
    assertThat(status.get().notReady()).isNull();
  }

  /** A clock that reads {@code now}, which the test moves. */
  private static java.time.Clock clockOf(java.util.concurrent.atomic.AtomicReference<Instant> now) {
    return new java.time.Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public java.time.Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
  }

  @Test
  void theAgentsObservationsAreShownButNeverPersisted() {
    DpuNode facts = facts("dpu-1", "10.0.100.1");
    List<NodePortStatus> ports = List.of(new NodePortStatus("default_si-a", "pf0vf1", "02:00:00:00:00:01", true, true),
        new NodePortStatus("default_si-b", "pf0vf2", null, false, false));
    assertThat(h.report(facts)).isInstanceOfSatisfying(ApplyReply.Accepted.class, a -> assertThat(a.changed()).isTrue());
    // The same facts with new observations: nothing to persist.
    assertThat(h.report(facts.observed(true, facts.lastHeartbeat(), true, true, ports)))
        .isInstanceOfSatisfying(ApplyReply.Accepted.class, a -> assertThat(a.changed()).isFalse());

    DpuNode known = h.node("dpu-1").node();
    assertThat(known.chassisRegistered()).isTrue();
    assertThat(known.hwOffload()).isTrue();
    assertThat(known.ports()).isEqualTo(ports);

    h.directory.restartNode("dpu-1");
    DpuNode recovered = h.node("dpu-1").node();
    assertThat(recovered.chassisId()).isEqualTo("chassis-dpu-1");
    assertThat(recovered.chassisRegistered()).isFalse();
    // An agent that has not seen the Southbound yet reports no chassis id: the known one stays, nothing is written.
    DpuNode unobserved = new DpuNode("dpu-1", Map.of(), null, "10.0.100.1", "172.16.0.10/24", "172.16.0.1", true, null);
    assertThat(h.report(unobserved)).isInstanceOfSatisfying(ApplyReply.Accepted.class,
        a -> assertThat(a.changed()).isFalse());
    assertThat(h.node("dpu-1").node().chassisId()).isEqualTo("chassis-dpu-1");
    assertThat(recovered.hwOffload()).isFalse();
    assertThat(recovered.ports()).isEmpty();
  }

  @Test
  void labelsReachTheFleetAndADeleteRemovesTheNode() {
    h.applyVpc("zone-a", FleetEntityTest.select("zone", "a"));
    h.setLabels("dpu-1", Map.of("zone", "a"));
    EntityTestConfig.eventually(() -> assertThat(h.vpc("zone-a").nodes()).containsExactly("dpu-1"));

    h.setLabels("dpu-1", Map.of("zone", "b"));
    EntityTestConfig.eventually(() -> assertThat(h.vpc("zone-a").nodes()).isEmpty());
    assertThat(h.setLabels("dpu-1", Map.of("bad key!", "x"))).isInstanceOf(ApplyReply.Rejected.class);

    h.setLabels("dpu-1", Map.of("zone", "a"));
    EntityTestConfig.eventually(() -> assertThat(h.claims().nodesByVpc().get("DPUVPC/default/zone-a")).isEqualTo(Set.of("dpu-1")));
    assertThat(h.ask(h.directory.node("dpu-1"), DpuNodeEntity.Delete::new)).isInstanceOf(DeleteReply.Deleted.class);
    assertThat(h.ask(h.directory.node("dpu-1"), DpuNodeEntity.Delete::new)).isInstanceOf(DeleteReply.NotFound.class);
    assertThat(h.node("dpu-1").exists()).isFalse();
    EntityTestConfig.eventually(() -> assertThat(h.vpc("zone-a").nodes()).isEmpty());
  }
}
