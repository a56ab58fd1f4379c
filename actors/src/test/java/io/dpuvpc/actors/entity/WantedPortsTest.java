package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.Annotations;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.MacAddresses;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import io.dpuvpc.actors.model.TemplateMetadata;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A DPU node learns the ports its ServiceInterfaces want there: applied, moved to another node,
 * deleted; kept across a restart of the node, re-told by a restarted interface; the node's
 * answer, commands and events round-trip through CBOR.
 */
class WantedPortsTest {
  @RegisterExtension
  final EntityHarness h = new EntityHarness();

  static final ResourceKey SI_A = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, EntityHarness.NS, "si-a");
  static final ResourceKey SI_B = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, EntityHarness.NS, "si-b");
  /** {@code Ports("n", [a, b]).digest()} of {@link #thePortsDigestFollowsTheContentAndNotTheJvm}, computed once. */
  static final long DIGEST_OF_A_AND_B = 8546777856386120705L;

  static ServiceInterfaceTemplate vf(String node, int vfId) {
    return new ServiceInterfaceTemplate(TemplateMetadata.EMPTY, ServiceInterfaceSpec.vf(0, vfId, "net").withNode(node));
  }

  DpuNodeEntity.Ports ports(String node) {
    return h.ask(h.directory.node(node), DpuNodeEntity.GetPorts::new);
  }

  @Test
  void aPortFollowsItsInterfaceOntoItsNodeAcrossAMoveAndAwayOnDelete() {
    h.setLabels("dpu-n", Map.of());
    h.setLabels("dpu-m", Map.of());
    h.applyNetwork("net", LabelSelector.EVERYTHING);
    h.applyServiceInterface("si-b", vf("dpu-n", 3));
    h.applyServiceInterface("si-a", vf("dpu-n", 2));

    WantedPort a = new WantedPort(SI_A, "pf0vf2", "default_si-a", MacAddresses.forKey(SI_A));
    WantedPort b = new WantedPort(SI_B, "pf0vf3", "default_si-b", MacAddresses.forKey(SI_B));
    assertThat(a.mac()).isNotNull();
    EntityTestConfig.eventually(() -> assertThat(ports("dpu-n")).isEqualTo(new DpuNodeEntity.Ports("dpu-n", List.of(a, b))));
    // The MAC is the one the interface reports.
    assertThat(h.serviceInterface("si-a").mac()).isEqualTo(a.mac());

    // Persisted: a restarted node answers the same at once, before any interface tells it again.
    h.directory.restartNode("dpu-n");
    assertThat(ports("dpu-n")).isEqualTo(new DpuNodeEntity.Ports("dpu-n", List.of(a, b)));

    h.applyServiceInterface("si-a", vf("dpu-m", 2));
    EntityTestConfig.eventually(() -> {
      assertThat(ports("dpu-n").ports()).containsExactly(b);
      assertThat(ports("dpu-m").ports()).containsExactly(a);
    });

    h.ask(h.directory.serviceInterface(EntityHarness.NS, "si-a"), ServiceInterfaceEntity.Delete::new);
    EntityTestConfig.eventually(() -> assertThat(ports("dpu-m").ports()).isEmpty());
    assertThat(ports("dpu-n").ports()).containsExactly(b);
  }

  @Test
  void theWatchingAgentIsToldEachChangeOfItsPortsWithoutAsking() {
    h.setLabels("dpu-n", Map.of());
    h.applyNetwork("net", LabelSelector.EVERYTHING);
    var agent = h.testKit.<DpuNodeEntity.Ports>createTestProbe();
    h.directory.node("dpu-n").tell(new DpuNodeEntity.WatchPorts(agent.getRef()));
    assertThat(agent.receiveMessage()).isEqualTo(new DpuNodeEntity.Ports("dpu-n", List.of()));

    h.applyServiceInterface("si-a", vf("dpu-n", 2));
    WantedPort a = new WantedPort(SI_A, "pf0vf2", "default_si-a", MacAddresses.forKey(SI_A));
    assertThat(agent.receiveMessage()).isEqualTo(new DpuNodeEntity.Ports("dpu-n", List.of(a)));

    h.ask(h.directory.serviceInterface(EntityHarness.NS, "si-a"), ServiceInterfaceEntity.Delete::new);
    assertThat(agent.receiveMessage()).isEqualTo(new DpuNodeEntity.Ports("dpu-n", List.of()));

    // A second watcher (a restarted agent) replaces the first: only it is told from now on.
    var restarted = h.testKit.<DpuNodeEntity.Ports>createTestProbe();
    h.directory.node("dpu-n").tell(new DpuNodeEntity.WatchPorts(restarted.getRef()));
    assertThat(restarted.receiveMessage().ports()).isEmpty();
    h.applyServiceInterface("si-b", vf("dpu-n", 3));
    DpuNodeEntity.Ports held = restarted.receiveMessage();
    assertThat(held.ports()).extracting(WantedPort::serviceInterface).containsExactly(SI_B);
    agent.expectNoMessage(java.time.Duration.ofMillis(300));

    // Renewed at a heartbeat with the digest of what it holds: nothing to repeat.
    h.directory.node("dpu-n").tell(new DpuNodeEntity.WatchPorts(restarted.getRef(), held.digest()));
    restarted.expectNoMessage(java.time.Duration.ofMillis(300));
    // With another digest (a told change lost on the way), or none, the list comes again.
    h.directory.node("dpu-n").tell(new DpuNodeEntity.WatchPorts(restarted.getRef(), held.digest() + 1));
    assertThat(restarted.receiveMessage()).isEqualTo(held);
    h.directory.node("dpu-n").tell(new DpuNodeEntity.WatchPorts(restarted.getRef(), 0));
    assertThat(restarted.receiveMessage()).isEqualTo(held);
    // A watcher the node does not know yet gets the list even with the right digest (a restarted
    // controller must learn who watches).
    h.directory.node("dpu-n").tell(new DpuNodeEntity.WatchPorts(agent.getRef(), held.digest()));
    assertThat(agent.receiveMessage()).isEqualTo(held);
  }

  @Test
  void thePortsDigestFollowsTheContentAndNotTheJvm() {
    WantedPort a = new WantedPort(SI_A, "pf0vf2", "default_si-a", "02:00:00:00:00:01");
    WantedPort b = new WantedPort(SI_B, "pf0vf3", "default_si-b", null);
    long digest = new DpuNodeEntity.Ports("n", List.of(a, b)).digest();

    assertThat(new DpuNodeEntity.Ports("other", List.of(a, b)).digest()).isEqualTo(digest);
    assertThat(new DpuNodeEntity.Ports("n", List.of(b, a)).digest()).isNotEqualTo(digest);
    assertThat(new DpuNodeEntity.Ports("n", List.of(a)).digest()).isNotEqualTo(digest);
    assertThat(new DpuNodeEntity.Ports("n", List.of(a, new WantedPort(SI_B, "pf0vf3", "default_si-b", "02:00:00:00:00:02")))
        .digest()).isNotEqualTo(digest);
    assertThat(new DpuNodeEntity.Ports("n", List.of()).digest()).isNotZero();
    // From strings only (no enum or identity hash codes): a fixed value, whatever the JVM.
    assertThat(digest).isEqualTo(DIGEST_OF_A_AND_B);
  }

  @Test
  void unknownMacWantsNoMacAndAChangedSpecReplacesThePort() {
    h.setLabels("dpu-n", Map.of());
    ServiceInterfaceTemplate anyMac = new ServiceInterfaceTemplate(
        TemplateMetadata.annotated(Map.of(Annotations.UNKNOWN_MAC, "true")), ServiceInterfaceSpec.pf(1, "net").withNode("dpu-n"));
    h.applyServiceInterface("si-a", anyMac);
    EntityTestConfig.eventually(() -> assertThat(ports("dpu-n").ports())
        .containsExactly(new WantedPort(SI_A, "pf1", "default_si-a", null)));

    h.applyServiceInterface("si-a", vf("dpu-n", 7));
    EntityTestConfig.eventually(() -> assertThat(ports("dpu-n").ports())
        .containsExactly(new WantedPort(SI_A, "pf0vf7", "default_si-a", MacAddresses.forKey(SI_A))));
  }

  @Test
  void aServiceInterfaceWantsTheOvsCniPortOfItsPodInterface() {
    h.setLabels("dpu-n", Map.of());
    h.applyServiceInterface("si-a", new ServiceInterfaceTemplate(null,
        ServiceInterfaceSpec.service("my-service", "my-sf", "dpf-operator-system/mybrint-vpc", "net").withNode("dpu-n")));
    EntityTestConfig.eventually(() -> assertThat(ports("dpu-n").ports())
        .containsExactly(new WantedPort(SI_A, "ovs-cni:my-sf", "default_si-a", MacAddresses.forKey(SI_A))));
  }

  @Test
  void theNodeWritesOnlyWhatChanges() {
    var node = h.directory.node("dpu-x");
    WantedPort a = new WantedPort(SI_A, "pf0vf2", "default_si-a", "02:00:00:00:00:01");
    node.tell(new DpuNodeEntity.PortWanted(SI_A, "pf0vf2", "default_si-a", "02:00:00:00:00:01"));
    node.tell(new DpuNodeEntity.PortWanted(SI_A, "pf0vf2", "default_si-a", "02:00:00:00:00:01"));
    node.tell(new DpuNodeEntity.PortUnwanted(SI_B)); // never wanted: nothing to forget
    node.tell(new DpuNodeEntity.PortWanted(SI_B, null, "default_si-b", null)); // incomplete: ignored
    assertThat(ports("dpu-x").ports()).containsExactly(a);
    // Two tells, one event: the sequence number is the resource version once the node exists.
    h.setLabels("dpu-x", Map.of());
    assertThat(h.node("dpu-x").metadata().resourceVersion()).isEqualTo("2");

    node.tell(new DpuNodeEntity.PortUnwanted(SI_A));
    node.tell(new DpuNodeEntity.PortUnwanted(SI_A));
    assertThat(ports("dpu-x").ports()).isEmpty();
    h.setLabels("dpu-x", Map.of("a", "b"));
    assertThat(h.node("dpu-x").metadata().resourceVersion()).isEqualTo("4");

    // Deleting the node keeps what its interfaces want.
    node.tell(new DpuNodeEntity.PortWanted(SI_A, "pf0vf2", "default_si-a", "02:00:00:00:00:01"));
    h.ask(node, DpuNodeEntity.Delete::new);
    assertThat(ports("dpu-x").ports()).containsExactly(a);
  }

  @Test
  void commandsEventsAndAnswersRoundTrip() {
    SerializationTestKit serialization = new SerializationTestKit(h.testKit.system());
    WantedPort a = new WantedPort(SI_A, "pf0vf2", "default_si-a", null);
    for (Object value : List.of(
        a,
        new DpuNodeEntity.PortWanted(SI_A, "pf0vf2", "default_si-a", "02:00:00:00:00:01"),
        new DpuNodeEntity.PortUnwanted(SI_A),
        new DpuNodeEntity.Ports("dpu-1", List.of(a)),
        new DpuNodeEntity.PortRecorded(a),
        new DpuNodeEntity.PortForgotten(SI_A),
        new DpuNodeEntity.State(null, 3, null, null, List.of(a)))) {
      assertThat(serialization.verifySerialization(value, true)).isEqualTo(value);
    }
  }
}
