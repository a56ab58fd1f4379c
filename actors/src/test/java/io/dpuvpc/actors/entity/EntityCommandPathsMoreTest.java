package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.dpuvpc.actors.conditions.Condition;
import io.dpuvpc.actors.conditions.ConditionStatus;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.actors.model.DpuServiceInterfaceSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.Ipv4Ipam;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import io.dpuvpc.actors.model.TemplateMetadata;
import io.dpuvpc.actors.northbound.Northbound;
import io.dpuvpc.actors.validation.FieldError;
import io.dpuvpc.actors.validation.ValidationReasons;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Command by command, the reply, the events persisted and the resulting state of the DPUNode,
 * Fleet and DPUServiceInterface entities, with Pekko's {@code EventSourcedBehaviorTestKit} (which
 * also serializes every command, event and state through Jackson CBOR and checks that they
 * round-trip), and what each tells the entities around it.
 */
class EntityCommandPathsMoreTest {
  static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(EntityTestConfig.config()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final String NS = "default";

  /** A message an entity told another, {@code to} naming the recipient as its resource key does. */
  record Sent(String to, Object message) {}

  /**
   * The entities around the one under test. Tells to the fleet, nodes, VPCs, DPUServiceInterfaces
   * and IsolationClasses are recorded synchronously, in the order the entity sent them, so a test
   * can say exactly what was told and that nothing else was. ServiceInterfaces and networks are
   * asked (an ask needs an actor): each is a probe the test answers, or not.
   */
  static final class Recorder implements EntityDirectory {
    private final List<Sent> sent = new ArrayList<>();
    private final Map<String, TestProbe<?>> probes = new ConcurrentHashMap<>();

    private <T> RecipientRef<T> recording(String to) {
      return message -> {
        synchronized (sent) {
          sent.add(new Sent(to, message));
        }
      };
    }

    /** What was told since the last call, oldest first. */
    List<Sent> drain() {
      synchronized (sent) {
        List<Sent> all = List.copyOf(sent);
        sent.clear();
        return all;
      }
    }

    @SuppressWarnings("unchecked")
    <T> TestProbe<T> probe(String id) {
      return (TestProbe<T>) probes.computeIfAbsent(id, k -> testKit.createTestProbe());
    }

    TestProbe<ServiceInterfaceEntity.Command> serviceInterfaceProbe(String name) {
      return probe("si/" + name);
    }

    TestProbe<DpuVirtualNetworkEntity.Command> networkProbe(String name) {
      return probe("net/" + name);
    }

    @Override
    public RecipientRef<IsolationClassEntity.Command> isolationClass(String name) {
      return recording(ResourceKey.clusterScoped(ResourceKind.ISOLATION_CLASS, name).toString());
    }

    @Override
    public RecipientRef<DpuVpcEntity.Command> vpc(String namespace, String name) {
      return recording(ResourceKey.namespaced(ResourceKind.DPU_VPC, namespace, name).toString());
    }

    @Override
    public RecipientRef<DpuVirtualNetworkEntity.Command> network(String namespace, String name) {
      return networkProbe(name).getRef();
    }

    @Override
    public RecipientRef<FleetEntity.Command> fleet() {
      return recording(FleetEntity.ID);
    }

    @Override
    public RecipientRef<DpuNodeEntity.Command> node(String name) {
      return recording(ResourceKey.clusterScoped(ResourceKind.DPU_NODE, name).toString());
    }

    @Override
    public RecipientRef<ServiceInterfaceEntity.Command> serviceInterface(String namespace, String name) {
      return serviceInterfaceProbe(name).getRef();
    }

    @Override
    public RecipientRef<DpuServiceInterfaceEntity.Command> dpuServiceInterface(String namespace, String name) {
      return recording(ResourceKey.namespaced(ResourceKind.DPU_SERVICE_INTERFACE, namespace, name).toString());
    }

    @Override
    public RecipientRef<Northbound.Command> northbound() {
      return recording("northbound");
    }

    /**
     * Not recorded: every creation, deletion and recovery tells the index, which would crowd out
     * what these tests pin; ResourceIndexingTest pins those tells.
     */
    @Override
    public RecipientRef<ResourceIndexEntity.Command> index(ResourceKind kind) {
      return message -> {};
    }
  }

  /**
   * The next message of {@code type} the probe receives, skipping others: the DPUServiceInterface
   * asks again every {@link DpuServiceInterfaceEntity#REFRESH_INTERVAL}, so a slow run sees repeats.
   */
  static <T, M extends T> M next(TestProbe<T> probe, Class<M> type) {
    List<T> fished = probe.fishForMessage(Duration.ofSeconds(3),
        m -> type.isInstance(m) ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    return type.cast(fished.get(fished.size() - 1));
  }

  final Recorder directory = new Recorder();
  EventSourcedBehaviorTestKit<?, ?, ?> current;

  @AfterEach
  void clear() {
    if (current != null) {
      current.clear();
    }
  }

  // ---------------------------------------------------------------- DPUNode

  static final ResourceKey NODE = ResourceKey.clusterScoped(ResourceKind.DPU_NODE, "dpu-1");

  EventSourcedBehaviorTestKit<DpuNodeEntity.Command, DpuNodeEntity.Event, DpuNodeEntity.State> node() {
    var kit = EventSourcedBehaviorTestKit.<DpuNodeEntity.Command, DpuNodeEntity.Event, DpuNodeEntity.State>create(
        testKit.system(), DpuNodeEntity.create("dpu-1", directory, CLOCK));
    current = kit;
    return kit;
  }

  /** What the agent of {@code name} reports: no labels, ready, with a heartbeat. */
  static DpuNode report(String name, String vtep, String externalIp, String nextHop) {
    return new DpuNode(name, Map.of(), "chassis-1", vtep, externalIp, nextHop, true, Instant.parse("2026-02-01T10:00:00Z"));
  }

  /** The durable part of a node: what is persisted (never ready, no heartbeat). */
  static DpuNode durable(Map<String, String> labels, String vtep) {
    return new DpuNode("dpu-1", labels, "chassis-1", vtep, "172.16.0.10/24", "172.16.0.1", false, null);
  }

  @Test
  void nodeRejectsBadReportsAndLabelsWritingNothing() {
    var kit = node();

    var unknown = kit.<DpuNodeEntity.Status>runCommand(DpuNodeEntity.GetStatus::new);
    assertThat(unknown.reply()).isEqualTo(new DpuNodeEntity.Status(NODE, null, 0));
    assertThat(unknown.reply().exists()).isFalse();

    var missing = kit.<DeleteReply>runCommand(DpuNodeEntity.Delete::new);
    assertThat(missing.reply()).isEqualTo(new DeleteReply.NotFound(NODE));
    assertThat(missing.hasNoEvents()).isTrue();

    var nothing = kit.<ApplyReply>runCommand(r -> new DpuNodeEntity.Report(null, r));
    assertThat(nothing.reply()).isEqualTo(new ApplyReply.Rejected(NODE, List.of(
        new FieldError("node", ValidationReasons.REQUIRED, "node is required: report the node's facts"))));
    assertThat(nothing.hasNoEvents()).isTrue();

    // Sent to the wrong entity, with a bad VTEP address: every error at once, the name first.
    var misrouted = kit.<ApplyReply>runCommand(r -> new DpuNodeEntity.Report(
        report("dpu-2", "10.0.100.300", "172.16.0.10/24", "172.16.0.1"), r));
    assertThat(misrouted.reply()).isInstanceOfSatisfying(ApplyReply.Rejected.class, rejected -> {
      assertThat(rejected.key()).isEqualTo(NODE);
      assertThat(rejected.errors()).extracting(FieldError::fieldPath, FieldError::reason).containsExactly(
          tuple("metadata.name", ValidationReasons.INVALID_NAME),
          tuple("vtepIp", ValidationReasons.INVALID_IP_ADDRESS));
      assertThat(rejected.errors().get(0).message()).isEqualTo("metadata.name: the report of node \"dpu-2\" was sent to"
          + " node \"dpu-1\": send each node's report to its own entity");
    });
    assertThat(misrouted.hasNoEvents()).isTrue();

    var badExternal = kit.<ApplyReply>runCommand(r -> new DpuNodeEntity.Report(
        report("dpu-1", "10.0.100.1", "172.16.0.10/33", "not-an-ip"), r));
    assertThat(badExternal.reply()).isInstanceOfSatisfying(ApplyReply.Rejected.class,
        rejected -> assertThat(rejected.errors()).extracting(FieldError::fieldPath, FieldError::reason).containsExactly(
            tuple("externalIp", ValidationReasons.INVALID_CIDR),
            tuple("externalNextHop", ValidationReasons.INVALID_IP_ADDRESS)));
    assertThat(badExternal.hasNoEvents()).isTrue();

    var outside = kit.<ApplyReply>runCommand(r -> new DpuNodeEntity.Report(
        report("dpu-1", "10.0.100.1", "172.16.0.10/24", "172.17.0.1"), r));
    assertThat(outside.reply()).isInstanceOfSatisfying(ApplyReply.Rejected.class,
        rejected -> assertThat(rejected.errors()).containsExactly(new FieldError("externalNextHop",
            ValidationReasons.OUTSIDE_SUBNET, "externalNextHop: 172.17.0.1 is outside the external network 172.16.0.0/24:"
                + " report a next hop on the external network")));
    assertThat(outside.hasNoEvents()).isTrue();

    var badLabels = kit.<ApplyReply>runCommand(r -> new DpuNodeEntity.SetLabels(Map.of("bad key!", "x"), r));
    assertThat(badLabels.reply()).isInstanceOfSatisfying(ApplyReply.Rejected.class,
        rejected -> assertThat(rejected.errors()).extracting(FieldError::fieldPath, FieldError::reason).containsExactly(
            tuple("metadata.labels[bad key!]", ValidationReasons.INVALID_LABEL)));
    assertThat(badLabels.hasNoEvents()).isTrue();
    assertThat(badLabels.state()).isEqualTo(new DpuNodeEntity.State(null, 0));

    // A rejected report does not count as a heartbeat either: the node is still unknown.
    assertThat(kit.<DpuNodeEntity.Status>runCommand(DpuNodeEntity.GetStatus::new).reply())
        .isEqualTo(new DpuNodeEntity.Status(NODE, null, 0));
    assertThat(directory.drain()).isEmpty();
  }

  @Test
  void nodePersistsFactsOnlyWhenTheyChangeAndTellsTheFleetOnlyOfLabels() {
    var kit = node();
    Map<String, String> zoneA = Map.of("zone", "a");

    var labelled = kit.<ApplyReply>runCommand(r -> new DpuNodeEntity.SetLabels(zoneA, r));
    assertThat(labelled.reply()).isEqualTo(new ApplyReply.Accepted(NODE, 1, true));
    assertThat(labelled.events()).usingRecursiveFieldByFieldElementComparatorIgnoringFields(EntityTestConfig.METADATA)
        .containsExactly(new DpuNodeEntity.Recorded(DpuNode.labelled("dpu-1", zoneA), 1));
    EntityTestConfig.assertWithoutMetadata(labelled.state())
        .isEqualTo(new DpuNodeEntity.State(DpuNode.labelled("dpu-1", zoneA), 1));
    assertThat(directory.drain()).containsExactly(new Sent("fleet", new FleetEntity.NodeLabelsChanged("dpu-1", zoneA)));

    var sameLabels = kit.<ApplyReply>runCommand(r -> new DpuNodeEntity.SetLabels(zoneA, r));
    assertThat(sameLabels.reply()).isEqualTo(new ApplyReply.Accepted(NODE, 1, false));
    assertThat(sameLabels.hasNoEvents()).isTrue();
    assertThat(directory.drain()).isEmpty();

    // The agent reports no labels: Kubernetes' stay; readiness and heartbeat are not persisted.
    DpuNode facts = report("dpu-1", "10.0.100.1", "172.16.0.10/24", "172.16.0.1");
    var reported = kit.<ApplyReply>runCommand(r -> new DpuNodeEntity.Report(facts, r));
    assertThat(reported.reply()).isEqualTo(new ApplyReply.Accepted(NODE, 2, true));
    assertThat(reported.events()).usingRecursiveFieldByFieldElementComparatorIgnoringFields(EntityTestConfig.METADATA)
        .containsExactly(new DpuNodeEntity.Recorded(durable(zoneA, "10.0.100.1"), 2));
    EntityTestConfig.assertWithoutMetadata(reported.state())
        .isEqualTo(new DpuNodeEntity.State(durable(zoneA, "10.0.100.1"), 2));
    assertThat(directory.drain()).isEmpty(); // the labels did not change
    EntityTestConfig.assertWithoutMetadata(kit.<DpuNodeEntity.Status>runCommand(DpuNodeEntity.GetStatus::new).reply())
        .isEqualTo(new DpuNodeEntity.Status(NODE, new DpuNode("dpu-1", zoneA, "chassis-1", "10.0.100.1", "172.16.0.10/24",
            "172.16.0.1", true, Instant.parse("2026-02-01T10:00:00Z")), 2));

    // A heartbeat with the same facts writes nothing but is remembered; without a time, the clock's.
    DpuNode heartbeat = new DpuNode("dpu-1", Map.of(), "chassis-1", "10.0.100.1", "172.16.0.10/24", "172.16.0.1",
        false, null);
    var beat = kit.<ApplyReply>runCommand(r -> new DpuNodeEntity.Report(heartbeat, r));
    assertThat(beat.reply()).isEqualTo(new ApplyReply.Accepted(NODE, 2, false));
    assertThat(beat.hasNoEvents()).isTrue();
    assertThat(kit.<DpuNodeEntity.Status>runCommand(DpuNodeEntity.GetStatus::new).reply().node())
        .isEqualTo(new DpuNode("dpu-1", zoneA, "chassis-1", "10.0.100.1", "172.16.0.10/24", "172.16.0.1", false, NOW));

    // A report without a name is taken as this node's; its labels replace Kubernetes'.
    DpuNode relabelled = new DpuNode(null, Map.of("zone", "b"), "chassis-1", "10.0.100.2", "172.16.0.10/24",
        "172.16.0.1", true, null);
    var moved = kit.<ApplyReply>runCommand(r -> new DpuNodeEntity.Report(relabelled, r));
    assertThat(moved.reply()).isEqualTo(new ApplyReply.Accepted(NODE, 3, true));
    assertThat(moved.events()).usingRecursiveFieldByFieldElementComparatorIgnoringFields(EntityTestConfig.METADATA)
        .containsExactly(new DpuNodeEntity.Recorded(durable(Map.of("zone", "b"), "10.0.100.2"), 3));
    assertThat(directory.drain()).containsExactly(
        new Sent("fleet", new FleetEntity.NodeLabelsChanged("dpu-1", Map.of("zone", "b"))));

    // Kubernetes' labels replace the agent's and keep the facts.
    var kubernetes = kit.<ApplyReply>runCommand(r -> new DpuNodeEntity.SetLabels(Map.of("zone", "c", "rack", "r1"), r));
    assertThat(kubernetes.reply()).isEqualTo(new ApplyReply.Accepted(NODE, 4, true));
    DpuNode last = durable(Map.of("zone", "c", "rack", "r1"), "10.0.100.2");
    assertThat(kubernetes.events()).usingRecursiveFieldByFieldElementComparatorIgnoringFields(EntityTestConfig.METADATA)
        .containsExactly(new DpuNodeEntity.Recorded(last, 4));
    EntityTestConfig.assertWithoutMetadata(kubernetes.state()).isEqualTo(new DpuNodeEntity.State(last, 4));
    assertThat(directory.drain()).containsExactly(
        new Sent("fleet", new FleetEntity.NodeLabelsChanged("dpu-1", Map.of("rack", "r1", "zone", "c"))));

    // Recovery (a new incarnation, as sharding starts one): the facts come back, readiness and heartbeat
    // do not, and the fleet is told the labels again. (kit.restart() would respawn the same
    // DpuNodeEntity instance, whose in-memory readiness survives: see the report.)
    // A second EventSourcedBehaviorTestKit would clear the journal: spawn the incarnation plainly.
    var recovered = testKit.spawn(DpuNodeEntity.create("dpu-1", directory, CLOCK));
    TestProbe<DpuNodeEntity.Status> probe = testKit.createTestProbe();
    recovered.tell(new DpuNodeEntity.GetStatus(probe.getRef()));
    DpuNodeEntity.Status unheard = probe.receiveMessage();
    EntityTestConfig.assertWithoutMetadata(unheard).ignoringFields("notReady")
        .isEqualTo(new DpuNodeEntity.Status(NODE, last, 4));
    assertThat(unheard.notReady().reason()).isEqualTo(DpuNodeEntity.AGENT_SILENT); // not heard since the restart
    assertThat(directory.drain()).containsExactly(
        new Sent("fleet", new FleetEntity.NodeLabelsChanged("dpu-1", Map.of("rack", "r1", "zone", "c"))));
    testKit.stop(recovered);
  }

  @Test
  void nodeDeleteTellsTheFleetAndAReportRecreatesIt() {
    var kit = node();
    kit.<ApplyReply>runCommand(r -> new DpuNodeEntity.Report(
        new DpuNode("dpu-1", Map.of("zone", "a"), "chassis-1", "10.0.100.1", "172.16.0.10/24", "172.16.0.1", true, null),
        r));
    directory.drain();

    var deleted = kit.<DeleteReply>runCommand(DpuNodeEntity.Delete::new);
    assertThat(deleted.reply()).isEqualTo(new DeleteReply.Deleted(NODE));
    assertThat(deleted.events()).containsExactly(new DpuNodeEntity.Deleted(1));
    assertThat(deleted.state()).isEqualTo(new DpuNodeEntity.State(null, 1));
    assertThat(directory.drain()).containsExactly(new Sent("fleet", new FleetEntity.NodeRemoved("dpu-1")));
    assertThat(kit.<DpuNodeEntity.Status>runCommand(DpuNodeEntity.GetStatus::new).reply())
        .isEqualTo(new DpuNodeEntity.Status(NODE, null, 1));

    var again = kit.<DeleteReply>runCommand(DpuNodeEntity.Delete::new);
    assertThat(again.reply()).isEqualTo(new DeleteReply.NotFound(NODE));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(directory.drain()).isEmpty();

    // A deleted node's labels are gone: a report without labels recreates it unlabelled, one generation on.
    var recreated = kit.<ApplyReply>runCommand(r -> new DpuNodeEntity.Report(
        report("dpu-1", "10.0.100.1", "172.16.0.10/24", "172.16.0.1"), r));
    assertThat(recreated.reply()).isEqualTo(new ApplyReply.Accepted(NODE, 2, true));
    assertThat(recreated.events()).usingRecursiveFieldByFieldElementComparatorIgnoringFields(EntityTestConfig.METADATA)
        .containsExactly(new DpuNodeEntity.Recorded(durable(Map.of(), "10.0.100.1"), 2));
    assertThat(directory.drain()).containsExactly(new Sent("fleet", new FleetEntity.NodeLabelsChanged("dpu-1", Map.of())));

    kit.restart();
    EntityTestConfig.assertWithoutMetadata(kit.getState())
        .isEqualTo(new DpuNodeEntity.State(durable(Map.of(), "10.0.100.1"), 2));
  }

  // ---------------------------------------------------------------- Fleet

  static final String FLEET_PID = "Fleet|fleet";
  static final ResourceKey RED = ResourceKey.namespaced(ResourceKind.DPU_VPC, NS, "red");
  static final ResourceKey BLUE = ResourceKey.namespaced(ResourceKind.DPU_VPC, NS, "blue");
  static final ResourceKey PF0 = ResourceKey.namespaced(ResourceKind.DPU_SERVICE_INTERFACE, NS, "pf0");
  static final LabelSelector TENANT_RED = LabelSelector.ofLabels(Map.of("tenant", "red"));
  static final LabelSelector ZONE_A = LabelSelector.ofLabels(Map.of("zone", "a"));

  EventSourcedBehaviorTestKit<FleetEntity.Command, FleetEntity.Event, FleetEntity.State> fleet() {
    var kit = EventSourcedBehaviorTestKit.<FleetEntity.Command, FleetEntity.Event, FleetEntity.State>create(
        testKit.system(), FleetEntity.journaled(directory));
    current = kit;
    return kit;
  }

  static Sent claimed(ResourceKey vpc, Set<String> nodes) {
    return new Sent(vpc.toString(), new DpuVpcEntity.NodesClaimed(nodes));
  }

  static Sent claimed(ResourceKey vpc, Set<String> nodes, Set<String> conflicting, FieldError... conflicts) {
    return new Sent(vpc.toString(), new DpuVpcEntity.NodesClaimed(nodes, List.of(conflicts), conflicting));
  }

  static Sent matched(Set<String> nodes) {
    return new Sent(PF0.toString(), new DpuServiceInterfaceEntity.NodesMatched(nodes));
  }

  @Test
  void fleetRecordsNodesAndIgnoresWhatChangesNothing() {
    var kit = fleet();
    var empty = kit.<FleetEntity.Claims>runCommand(FleetEntity.GetClaims::new);
    assertThat(empty.reply()).isEqualTo(new FleetEntity.Claims(Map.of(), List.of()));
    assertThat(empty.hasNoEvents()).isTrue();

    var labelled = kit.runCommand(new FleetEntity.NodeLabelsChanged("n1", Map.of("zone", "a")));
    assertThat(labelled.events()).containsExactly(new FleetEntity.NodeLabelled("n1", Map.of("zone", "a")));
    assertThat(labelled.state()).isEqualTo(new FleetEntity.State(Map.of("n1", Map.of("zone", "a")), Map.of(), Map.of()));

    assertThat(kit.runCommand(new FleetEntity.NodeLabelsChanged("n1", Map.of("zone", "a"))).hasNoEvents()).isTrue();
    // No labels is a change (null reads as none).
    var unlabelled = kit.runCommand(new FleetEntity.NodeLabelsChanged("n1", null));
    assertThat(unlabelled.events()).containsExactly(new FleetEntity.NodeLabelled("n1", Map.of()));
    assertThat(unlabelled.state().nodes()).isEqualTo(Map.of("n1", Map.of()));

    assertThat(kit.runCommand(new FleetEntity.NodeRemoved("n9")).hasNoEvents()).isTrue();
    assertThat(kit.runCommand(new FleetEntity.UnregisterVpc(RED)).hasNoEvents()).isTrue();
    assertThat(kit.runCommand(new FleetEntity.UnwatchNodes(PF0)).hasNoEvents()).isTrue();

    var forgotten = kit.runCommand(new FleetEntity.NodeRemoved("n1"));
    assertThat(forgotten.events()).containsExactly(new FleetEntity.NodeForgotten("n1"));
    assertThat(forgotten.state()).isEqualTo(new FleetEntity.State(Map.of(), Map.of(), Map.of()));
    assertThat(directory.drain()).isEmpty(); // nobody registered, nobody told
  }

  @Test
  void fleetPushesClaimsAndMatchesToWhoseAnswerChangedAndToTheRequester() {
    var kit = fleet();
    kit.runCommand(new FleetEntity.NodeLabelsChanged("n1", Map.of("tenant", "red", "zone", "a")));
    kit.runCommand(new FleetEntity.NodeLabelsChanged("n2", Map.of("zone", "a")));

    var red = kit.runCommand(new FleetEntity.RegisterVpc(RED, TENANT_RED));
    assertThat(red.events()).containsExactly(new FleetEntity.VpcRegistered("DPUVPC/default/red", TENANT_RED));
    assertThat(directory.drain()).containsExactly(claimed(RED, Set.of("n1")));

    // Registering again writes nothing, but the requester is told again (it may have restarted).
    assertThat(kit.runCommand(new FleetEntity.RegisterVpc(RED, TENANT_RED)).hasNoEvents()).isTrue();
    assertThat(directory.drain()).containsExactly(claimed(RED, Set.of("n1")));

    // n1 is selected by both: both are told, with the conflict naming the node and both VPCs.
    FieldError conflict = new FieldError("spec.nodeSelector", ValidationReasons.NODE_IN_SEVERAL_VPCS,
        "spec.nodeSelector: DPU node n1 is selected by the DPUVPCs default/blue and default/red, but a node belongs to at"
            + " most one DPUVPC: narrow the nodeSelectors so that only one selects it");
    var blue = kit.runCommand(new FleetEntity.RegisterVpc(BLUE, ZONE_A));
    assertThat(blue.events()).containsExactly(new FleetEntity.VpcRegistered("DPUVPC/default/blue", ZONE_A));
    assertThat(directory.drain()).containsExactly(claimed(BLUE, Set.of("n1", "n2"), Set.of("n1"), conflict),
        claimed(RED, Set.of("n1"), Set.of("n1"), conflict));
    assertThat(kit.<FleetEntity.Claims>runCommand(FleetEntity.GetClaims::new).reply()).isEqualTo(new FleetEntity.Claims(
        Map.of("DPUVPC/default/blue", Set.of("n1", "n2"), "DPUVPC/default/red", Set.of("n1")), List.of(conflict)));

    var watch = kit.runCommand(new FleetEntity.WatchNodes(PF0, ZONE_A));
    assertThat(watch.events()).containsExactly(new FleetEntity.WatchStarted("DPUServiceInterface/default/pf0", ZONE_A));
    assertThat(directory.drain()).containsExactly(matched(Set.of("n1", "n2"))); // the VPCs' answers did not change
    assertThat(kit.runCommand(new FleetEntity.WatchNodes(PF0, ZONE_A)).hasNoEvents()).isTrue();
    assertThat(directory.drain()).containsExactly(matched(Set.of("n1", "n2")));

    // A relabel ends the conflict: both VPCs and the watcher are told.
    var relabel = kit.runCommand(new FleetEntity.NodeLabelsChanged("n1", Map.of("tenant", "red")));
    assertThat(relabel.events()).containsExactly(new FleetEntity.NodeLabelled("n1", Map.of("tenant", "red")));
    assertThat(directory.drain()).containsExactly(claimed(BLUE, Set.of("n2")), claimed(RED, Set.of("n1")),
        matched(Set.of("n2")));

    // A node nobody selects changes no answer: nobody is told.
    assertThat(kit.runCommand(new FleetEntity.NodeLabelsChanged("n3", Map.of("rack", "r1"))).events())
        .containsExactly(new FleetEntity.NodeLabelled("n3", Map.of("rack", "r1")));
    assertThat(directory.drain()).isEmpty();

    var removed = kit.runCommand(new FleetEntity.NodeRemoved("n2"));
    assertThat(removed.events()).containsExactly(new FleetEntity.NodeForgotten("n2"));
    assertThat(directory.drain()).containsExactly(claimed(BLUE, Set.of()), matched(Set.of()));

    // A malformed selector selects nothing (validating it is the VPC's business).
    ResourceKey odd = ResourceKey.namespaced(ResourceKind.DPU_VPC, NS, "odd");
    LabelSelector malformed =
        LabelSelector.of(Map.of(), new LabelSelector.Requirement("tenant", LabelSelector.IN, List.of()));
    kit.runCommand(new FleetEntity.RegisterVpc(odd, malformed));
    assertThat(directory.drain()).containsExactly(claimed(odd, Set.of()));
    kit.runCommand(new FleetEntity.UnregisterVpc(odd));
    assertThat(directory.drain()).isEmpty();

    // After a restart every party is told again: a push may have been lost.
    FleetEntity.State before = kit.getState();
    kit.restart();
    assertThat(kit.getState()).isEqualTo(before);
    assertThat(directory.drain()).containsExactly(claimed(BLUE, Set.of()), claimed(RED, Set.of("n1")), matched(Set.of()));

    var unregistered = kit.runCommand(new FleetEntity.UnregisterVpc(BLUE));
    assertThat(unregistered.events()).containsExactly(new FleetEntity.VpcUnregistered("DPUVPC/default/blue"));
    var unwatched = kit.runCommand(new FleetEntity.UnwatchNodes(PF0));
    assertThat(unwatched.events()).containsExactly(new FleetEntity.WatchStopped("DPUServiceInterface/default/pf0"));
    assertThat(unwatched.state()).isEqualTo(new FleetEntity.State(
        Map.of("n1", Map.of("tenant", "red"), "n3", Map.of("rack", "r1")), Map.of("DPUVPC/default/red", TENANT_RED),
        Map.of()));
    assertThat(directory.drain()).isEmpty(); // red's answer did not change; the leavers are not told
  }

  @Test
  void fleetSnapshotsEvery200EventsAndRecoversFromTheSnapshot() {
    var kit = fleet();
    var snapshots = kit.snapshotTestKit().orElseThrow();
    for (int i = 1; i < 200; i++) {
      kit.runCommand(new FleetEntity.NodeLabelsChanged("n1", Map.of("seq", Integer.toString(i))));
    }
    snapshots.expectNothingPersisted(FLEET_PID, Duration.ofMillis(100));
    var last = kit.runCommand(new FleetEntity.NodeLabelsChanged("n1", Map.of("seq", "200")));
    FleetEntity.State state = new FleetEntity.State(Map.of("n1", Map.of("seq", "200")), Map.of(), Map.of());
    assertThat(last.state()).isEqualTo(state);
    snapshots.expectNextPersisted(FLEET_PID, state);
    assertThat(kit.persistenceTestKit().persistedInStorage(FLEET_PID)).hasSize(200);

    // With the journal gone, the snapshot alone recovers the state.
    kit.persistenceTestKit().clearByPersistenceId(FLEET_PID);
    kit.restart();
    assertThat(kit.getState()).isEqualTo(state);
  }

  // ---------------------------------------------------------------- DPUServiceInterface

  static final ServiceInterfaceSpec PF0_ON_NET = ServiceInterfaceSpec.pf(0, "net");
  static final LabelSelector WORKERS = LabelSelector.ofLabels(Map.of("role", "worker"));
  static final DpuServiceInterfaceSpec PF0_SPEC = DpuServiceInterfaceSpec.of(WORKERS, Map.of(), PF0_ON_NET);

  EventSourcedBehaviorTestKit<DpuServiceInterfaceEntity.Command, DpuServiceInterfaceEntity.Event,
      DpuServiceInterfaceEntity.State> dsi() {
    var kit = EventSourcedBehaviorTestKit.<DpuServiceInterfaceEntity.Command, DpuServiceInterfaceEntity.Event,
        DpuServiceInterfaceEntity.State>create(testKit.system(), DpuServiceInterfaceEntity.create(NS, "pf0", directory, CLOCK));
    current = kit;
    return kit;
  }

  DpuServiceInterfaceEntity.Status status(
      EventSourcedBehaviorTestKit<DpuServiceInterfaceEntity.Command, DpuServiceInterfaceEntity.Event,
          DpuServiceInterfaceEntity.State> kit) {
    return kit.<DpuServiceInterfaceEntity.Status>runCommand(DpuServiceInterfaceEntity.GetStatus::new).reply();
  }

  static Condition cond(String type, long generation, String reason, String message) {
    return new Condition(type, "Success".equals(reason) ? ConditionStatus.TRUE : ConditionStatus.FALSE, reason, message,
        generation, NOW);
  }

  static Condition ok(String type, long generation) {
    return cond(type, generation, "Success", "");
  }

  static ServiceInterfaceTemplate childSpec(ServiceInterfaceSpec spec, String node) {
    return new ServiceInterfaceTemplate(TemplateMetadata.annotated(Map.of()), spec.withNode(node));
  }

  /** Answers the network lookup the DPUServiceInterface sent: the network exists. */
  void networkExists() {
    var get = next(directory.networkProbe("net"), DpuVirtualNetworkEntity.GetStatus.class);
    get.replyTo().tell(new DpuVirtualNetworkEntity.Status(ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, NS, "net"),
        DpuVirtualNetworkSpec.bridged("vpc", true, new Ipv4Ipam(true, "10.40.0.0/24", List.of())), 1, Conditions.EMPTY, List.of(), "ovn"));
  }

  /**
   * Waits for the child's Apply of {@code expected} (a refresh may have re-sent an earlier one,
   * which is skipped) and answers it with {@code reply}.
   */
  void answerApply(String child, ServiceInterfaceTemplate expected, ApplyReply reply) {
    List<ServiceInterfaceEntity.Command> fished = directory.serviceInterfaceProbe(child).fishForMessage(
        Duration.ofSeconds(3), m -> m instanceof ServiceInterfaceEntity.Apply apply && apply.serviceInterface().equals(expected)
            ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    ((ServiceInterfaceEntity.Apply) fished.get(fished.size() - 1)).replyTo().tell(reply);
  }

  /** Receives the child's GetStatus and answers it: the child is Ready. */
  Condition answerReady(String child) {
    Condition ready = ok(ConditionTypes.READY, 1);
    var get = next(directory.serviceInterfaceProbe(child), ServiceInterfaceEntity.GetStatus.class);
    get.replyTo().tell(new ServiceInterfaceEntity.Status(ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, NS, child),
        childSpec(PF0_ON_NET, child.substring("pf0-".length())), 1,
        new Conditions(List.of(ready, ok(ConditionTypes.SERVICE_INTERFACE_RECONCILED, 1))), true, "02:00:00:00:00:0a", "10.40.0.5"));
    return ready;
  }

  @Test
  void dpuServiceInterfaceRejectsBadSpecsAndAnswersWhenMissing() {
    var kit = dsi();

    EntityTestConfig.assertWithoutMetadata(status(kit))
        .isEqualTo(new DpuServiceInterfaceEntity.Status(PF0, null, 0, Conditions.EMPTY, List.of()));
    var missing = kit.<DeleteReply>runCommand(DpuServiceInterfaceEntity.Delete::new);
    assertThat(missing.reply()).isEqualTo(new DeleteReply.NotFound(PF0));
    assertThat(missing.hasNoEvents()).isTrue();

    // A push that crossed a deletion: nothing is created and the fleet is told to forget it.
    var stray = kit.runCommand(new DpuServiceInterfaceEntity.NodesMatched(Set.of("dpu-1")));
    assertThat(stray.hasNoEvents()).isTrue();
    EntityTestConfig.assertWithoutMetadata(stray.state())
        .isEqualTo(new DpuServiceInterfaceEntity.State(null, 0, Map.of()));
    assertThat(directory.drain()).containsExactly(new Sent("fleet", new FleetEntity.UnwatchNodes(PF0)));

    var withNode = kit.<ApplyReply>runCommand(r -> new DpuServiceInterfaceEntity.Apply(
        DpuServiceInterfaceSpec.of(WORKERS, Map.of(), PF0_ON_NET.withNode("dpu-1")), r));
    assertThat(withNode.reply()).isInstanceOfSatisfying(ApplyReply.Rejected.class, rejected -> {
      assertThat(rejected.key()).isEqualTo(PF0);
      assertThat(rejected.errors()).extracting(FieldError::fieldPath, FieldError::reason).containsExactly(
          tuple("spec.template.spec.template.spec.node", ValidationReasons.FIELD_NOT_ALLOWED));
    });
    assertThat(withNode.hasNoEvents()).isTrue();

    var noTemplate = kit.<ApplyReply>runCommand(r -> new DpuServiceInterfaceEntity.Apply(new DpuServiceInterfaceSpec(null), r));
    assertThat(noTemplate.reply()).isEqualTo(new ApplyReply.Rejected(PF0, List.of(new FieldError("spec.template.spec",
        ValidationReasons.REQUIRED, "spec.template.spec is required: set it to a nodeSelector and a ServiceInterface template"))));
    assertThat(noTemplate.hasNoEvents()).isTrue();

    var badSelector = kit.<ApplyReply>runCommand(r -> new DpuServiceInterfaceEntity.Apply(DpuServiceInterfaceSpec.of(
        LabelSelector.of(Map.of(), new LabelSelector.Requirement("role", LabelSelector.IN, List.of())), Map.of(), PF0_ON_NET), r));
    assertThat(badSelector.reply()).isInstanceOfSatisfying(ApplyReply.Rejected.class,
        rejected -> assertThat(rejected.errors()).extracting(FieldError::fieldPath, FieldError::reason).containsExactly(
            tuple("spec.template.spec.nodeSelector.matchExpressions[0].values",
                ValidationReasons.INVALID_SELECTOR)));
    assertThat(badSelector.hasNoEvents()).isTrue();
    EntityTestConfig.assertWithoutMetadata(badSelector.state())
        .isEqualTo(new DpuServiceInterfaceEntity.State(null, 0, Map.of()));
    assertThat(directory.drain()).isEmpty();
  }

  @Test
  void dpuServiceInterfaceExpandsToOneChildPerMatchedNode() {
    var kit = dsi();

    var created = kit.<ApplyReply>runCommand(r -> new DpuServiceInterfaceEntity.Apply(PF0_SPEC, r));
    assertThat(created.reply()).isEqualTo(new ApplyReply.Accepted(PF0, 1, true));
    assertThat(created.events()).usingRecursiveFieldByFieldElementComparatorIgnoringFields(EntityTestConfig.METADATA)
        .containsExactly(new DpuServiceInterfaceEntity.Applied(PF0_SPEC, 1));
    EntityTestConfig.assertWithoutMetadata(created.state())
        .isEqualTo(new DpuServiceInterfaceEntity.State(PF0_SPEC, 1, Map.of()));
    assertThat(directory.drain()).containsExactly(new Sent("fleet", new FleetEntity.WatchNodes(PF0, WORKERS)));

    var same = kit.<ApplyReply>runCommand(r -> new DpuServiceInterfaceEntity.Apply(PF0_SPEC, r));
    assertThat(same.reply()).isEqualTo(new ApplyReply.Accepted(PF0, 1, false));
    assertThat(same.hasNoEvents()).isTrue();
    assertThat(directory.drain()).isEmpty();

    // Before the network answers and before the fleet does.
    String lookingUp = "looking up DPUVirtualNetwork \"net\"";
    EntityTestConfig.assertWithoutMetadata(status(kit))
        .isEqualTo(new DpuServiceInterfaceEntity.Status(PF0, PF0_SPEC, 1, new Conditions(List.of(
        cond(ConditionTypes.READY, 1, "Pending", lookingUp),
        cond(ConditionTypes.SERVICE_INTERFACE_PRE_REQS_READY, 1, "Pending", lookingUp),
        cond(ConditionTypes.SERVICE_INTERFACE_SET_RECONCILED, 1, "Pending",
            "waiting for the DPU nodes that spec.template.spec.nodeSelector \"role=worker\" selects"),
        ok(ConditionTypes.SERVICE_INTERFACE_SET_READY, 1))), List.of()));
    networkExists();
    EntityTestConfig.eventually(() -> assertThat(status(kit).conditions().get(ConditionTypes.SERVICE_INTERFACE_PRE_REQS_READY))
        .contains(ok(ConditionTypes.SERVICE_INTERFACE_PRE_REQS_READY, 1)));

    // The fleet's answer: one child per node, named <name>-<node>, each applied the template placed on its node.
    var chosen = kit.runCommand(new DpuServiceInterfaceEntity.NodesMatched(Set.of("dpu-2", "dpu-1")));
    Map<String, String> two = Map.of("dpu-1", "pf0-dpu-1", "dpu-2", "pf0-dpu-2");
    assertThat(chosen.events()).containsExactly(new DpuServiceInterfaceEntity.ChildrenChosen(two));
    EntityTestConfig.assertWithoutMetadata(chosen.state())
        .isEqualTo(new DpuServiceInterfaceEntity.State(PF0_SPEC, 1, two));
    DpuServiceInterfaceEntity.Status applying = status(kit);
    assertThat(applying.children()).containsExactly(new DpuServiceInterfaceEntity.Child("pf0-dpu-1", "dpu-1", null),
        new DpuServiceInterfaceEntity.Child("pf0-dpu-2", "dpu-2", null));
    assertThat(applying.conditions().get(ConditionTypes.SERVICE_INTERFACE_SET_RECONCILED))
        .contains(cond(ConditionTypes.SERVICE_INTERFACE_SET_RECONCILED, 1, "Pending", "applying ServiceInterface pf0-dpu-1"));
    assertThat(applying.conditions().get(ConditionTypes.SERVICE_INTERFACE_SET_READY)).contains(cond(
        ConditionTypes.SERVICE_INTERFACE_SET_READY, 1, "Pending", "ServiceInterface pf0-dpu-1 has not reported yet"));

    // One child accepts and is Ready, the other refuses: the refusal is reported, naming the child.
    ResourceKey child1 = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, NS, "pf0-dpu-1");
    ResourceKey child2 = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, NS, "pf0-dpu-2");
    answerApply("pf0-dpu-1", childSpec(PF0_ON_NET, "dpu-1"), new ApplyReply.Accepted(child1, 1, true));
    answerApply("pf0-dpu-2", childSpec(PF0_ON_NET, "dpu-2"), new ApplyReply.Rejected(child2,
        List.of(new FieldError("spec.pf.pfID", "InvalidValue", "spec.pf.pfID: no PF 0 on dpu-2"))));
    Condition ready1 = answerReady("pf0-dpu-1");
    EntityTestConfig.eventually(() -> {
      DpuServiceInterfaceEntity.Status s = status(kit);
      assertThat(s.children()).containsExactly(new DpuServiceInterfaceEntity.Child("pf0-dpu-1", "dpu-1", ready1),
          new DpuServiceInterfaceEntity.Child("pf0-dpu-2", "dpu-2", null));
      assertThat(s.conditions()).isEqualTo(new Conditions(List.of(
          cond(ConditionTypes.READY, 1, "InvalidValue", "ServiceInterface pf0-dpu-2: spec.pf.pfID: no PF 0 on dpu-2"),
          ok(ConditionTypes.SERVICE_INTERFACE_PRE_REQS_READY, 1),
          cond(ConditionTypes.SERVICE_INTERFACE_SET_RECONCILED, 1, "InvalidValue",
              "ServiceInterface pf0-dpu-2: spec.pf.pfID: no PF 0 on dpu-2"),
          cond(ConditionTypes.SERVICE_INTERFACE_SET_READY, 1, "Pending", "ServiceInterface pf0-dpu-2 has not reported yet"))));
    });

    // The same answer again writes nothing and applies every child again; now both accept and are Ready.
    assertThat(kit.runCommand(new DpuServiceInterfaceEntity.NodesMatched(Set.of("dpu-1", "dpu-2"))).hasNoEvents()).isTrue();
    answerApply("pf0-dpu-1", childSpec(PF0_ON_NET, "dpu-1"), new ApplyReply.Accepted(child1, 1, false));
    answerApply("pf0-dpu-2", childSpec(PF0_ON_NET, "dpu-2"), new ApplyReply.Accepted(child2, 1, true));
    answerReady("pf0-dpu-1");
    Condition ready2 = answerReady("pf0-dpu-2");
    EntityTestConfig.eventually(() -> {
      DpuServiceInterfaceEntity.Status s = status(kit);
      assertThat(s.children()).containsExactly(new DpuServiceInterfaceEntity.Child("pf0-dpu-1", "dpu-1", ready1),
          new DpuServiceInterfaceEntity.Child("pf0-dpu-2", "dpu-2", ready2));
      assertThat(s.conditions()).isEqualTo(new Conditions(List.of(ok(ConditionTypes.READY, 1),
          ok(ConditionTypes.SERVICE_INTERFACE_PRE_REQS_READY, 1), ok(ConditionTypes.SERVICE_INTERFACE_SET_RECONCILED, 1),
          ok(ConditionTypes.SERVICE_INTERFACE_SET_READY, 1))));
    });

    // dpu-1 no longer matches, dpu-3 does: its child is deleted, dpu-3's created; dpu-2's, which
    // accepted this template, is not asked again.
    var moved = kit.runCommand(new DpuServiceInterfaceEntity.NodesMatched(Set.of("dpu-2", "dpu-3")));
    Map<String, String> twoThree = Map.of("dpu-2", "pf0-dpu-2", "dpu-3", "pf0-dpu-3");
    assertThat(moved.events()).containsExactly(new DpuServiceInterfaceEntity.ChildrenChosen(twoThree));
    EntityTestConfig.assertWithoutMetadata(moved.state())
        .isEqualTo(new DpuServiceInterfaceEntity.State(PF0_SPEC, 1, twoThree));
    var deleteChild = next(directory.serviceInterfaceProbe("pf0-dpu-1"), ServiceInterfaceEntity.Delete.class);
    deleteChild.replyTo().tell(new DeleteReply.Deleted(child1));
    answerApply("pf0-dpu-3", childSpec(PF0_ON_NET, "dpu-3"),
        new ApplyReply.Accepted(ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, NS, "pf0-dpu-3"), 1, true));
    EntityTestConfig.eventually(() -> assertThat(status(kit).children()).containsExactly(
        new DpuServiceInterfaceEntity.Child("pf0-dpu-2", "dpu-2", ready2),
        new DpuServiceInterfaceEntity.Child("pf0-dpu-3", "dpu-3", null)));

    // A new template: one generation on, the children kept and applied the new template; the fleet told again.
    ServiceInterfaceSpec pf1 = ServiceInterfaceSpec.pf(1, "net");
    DpuServiceInterfaceSpec changed = DpuServiceInterfaceSpec.of(WORKERS, Map.of(), pf1);
    var updated = kit.<ApplyReply>runCommand(r -> new DpuServiceInterfaceEntity.Apply(changed, r));
    assertThat(updated.reply()).isEqualTo(new ApplyReply.Accepted(PF0, 2, true));
    assertThat(updated.events()).usingRecursiveFieldByFieldElementComparatorIgnoringFields(EntityTestConfig.METADATA)
        .containsExactly(new DpuServiceInterfaceEntity.Applied(changed, 2));
    EntityTestConfig.assertWithoutMetadata(updated.state())
        .isEqualTo(new DpuServiceInterfaceEntity.State(changed, 2, twoThree));
    assertThat(directory.drain()).containsExactly(new Sent("fleet", new FleetEntity.WatchNodes(PF0, WORKERS)));
    answerApply("pf0-dpu-2", childSpec(pf1, "dpu-2"), new ApplyReply.Accepted(child2, 2, true));
    next(directory.networkProbe("net"), DpuVirtualNetworkEntity.GetStatus.class); // looked up again
    // What was observed of the children under the old template is forgotten.
    assertThat(status(kit).children()).containsExactly(new DpuServiceInterfaceEntity.Child("pf0-dpu-2", "dpu-2", null),
        new DpuServiceInterfaceEntity.Child("pf0-dpu-3", "dpu-3", null));

    // Delete: the fleet forgets it, every child is deleted, the generation stays.
    var deleted = kit.<DeleteReply>runCommand(DpuServiceInterfaceEntity.Delete::new);
    assertThat(deleted.reply()).isEqualTo(new DeleteReply.Deleted(PF0));
    assertThat(deleted.events()).containsExactly(new DpuServiceInterfaceEntity.Deleted(2));
    EntityTestConfig.assertWithoutMetadata(deleted.state())
        .isEqualTo(new DpuServiceInterfaceEntity.State(null, 2, Map.of()));
    assertThat(directory.drain()).containsExactly(new Sent("fleet", new FleetEntity.UnwatchNodes(PF0)));
    next(directory.serviceInterfaceProbe("pf0-dpu-2"), ServiceInterfaceEntity.Delete.class);
    next(directory.serviceInterfaceProbe("pf0-dpu-3"), ServiceInterfaceEntity.Delete.class);
    EntityTestConfig.assertWithoutMetadata(status(kit))
        .isEqualTo(new DpuServiceInterfaceEntity.Status(PF0, null, 2, Conditions.EMPTY, List.of()));

    var again = kit.<DeleteReply>runCommand(DpuServiceInterfaceEntity.Delete::new);
    assertThat(again.reply()).isEqualTo(new DeleteReply.NotFound(PF0));
    assertThat(again.hasNoEvents()).isTrue();

    // Created again, one generation on, with no children until the fleet answers.
    var recreated = kit.<ApplyReply>runCommand(r -> new DpuServiceInterfaceEntity.Apply(PF0_SPEC, r));
    assertThat(recreated.reply()).isEqualTo(new ApplyReply.Accepted(PF0, 3, true));
    assertThat(recreated.events()).usingRecursiveFieldByFieldElementComparatorIgnoringFields(EntityTestConfig.METADATA)
        .containsExactly(new DpuServiceInterfaceEntity.Applied(PF0_SPEC, 3));
    EntityTestConfig.assertWithoutMetadata(recreated.state())
        .isEqualTo(new DpuServiceInterfaceEntity.State(PF0_SPEC, 3, Map.of()));
  }

  @Test
  void dpuServiceInterfaceRecoversItsChildrenAndWatchesAgain() {
    var kit = dsi();
    kit.<ApplyReply>runCommand(r -> new DpuServiceInterfaceEntity.Apply(PF0_SPEC, r));
    kit.runCommand(new DpuServiceInterfaceEntity.NodesMatched(Set.of("dpu-1")));
    next(directory.serviceInterfaceProbe("pf0-dpu-1"), ServiceInterfaceEntity.Apply.class); // left unanswered
    directory.drain();

    kit.restart(); // DpuServiceInterfaceEntity.create builds a new instance in Behaviors.setup: nothing observed survives
    EntityTestConfig.assertWithoutMetadata(kit.getState())
        .isEqualTo(new DpuServiceInterfaceEntity.State(PF0_SPEC, 1, Map.of("dpu-1", "pf0-dpu-1")));
    assertThat(directory.drain()).containsExactly(new Sent("fleet", new FleetEntity.WatchNodes(PF0, WORKERS)));
    // What it had observed is gone until the fleet and the children answer again.
    DpuServiceInterfaceEntity.Status recovered = status(kit);
    assertThat(recovered.children()).containsExactly(new DpuServiceInterfaceEntity.Child("pf0-dpu-1", "dpu-1", null));
    assertThat(recovered.conditions().get(ConditionTypes.SERVICE_INTERFACE_SET_RECONCILED)).contains(cond(
        ConditionTypes.SERVICE_INTERFACE_SET_RECONCILED, 1, "Pending",
        "waiting for the DPU nodes that spec.template.spec.nodeSelector \"role=worker\" selects"));

    // The fleet's push re-applies the child without writing anything.
    assertThat(kit.runCommand(new DpuServiceInterfaceEntity.NodesMatched(Set.of("dpu-1"))).hasNoEvents()).isTrue();
    answerApply("pf0-dpu-1", childSpec(PF0_ON_NET, "dpu-1"),
        new ApplyReply.Accepted(ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, NS, "pf0-dpu-1"), 1, false));
    EntityTestConfig.eventually(() -> assertThat(status(kit).conditions().get(ConditionTypes.SERVICE_INTERFACE_SET_RECONCILED))
        .contains(ok(ConditionTypes.SERVICE_INTERFACE_SET_RECONCILED, 1)));
  }

  @Test
  void anUnconfirmedChildDeletionIsRetriedNotOrphaned() {
    var kit = dsi();
    kit.<ApplyReply>runCommand(r -> new DpuServiceInterfaceEntity.Apply(PF0_SPEC, r));
    kit.runCommand(new DpuServiceInterfaceEntity.NodesMatched(Set.of("dpu-1")));
    next(directory.serviceInterfaceProbe("pf0-dpu-1"), ServiceInterfaceEntity.Apply.class);

    kit.<DeleteReply>runCommand(DpuServiceInterfaceEntity.Delete::new);
    next(directory.serviceInterfaceProbe("pf0-dpu-1"), ServiceInterfaceEntity.Delete.class); // lost: never answered
    // After the ask's timeout (5 s) and the retry delay (2 s), the child is deleted again.
    var retried = directory.serviceInterfaceProbe("pf0-dpu-1").fishForMessage(Duration.ofSeconds(10),
        m -> m instanceof ServiceInterfaceEntity.Delete ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    ((ServiceInterfaceEntity.Delete) retried.get(retried.size() - 1)).replyTo()
        .tell(new DeleteReply.Deleted(ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, NS, "pf0-dpu-1")));
  }
}
