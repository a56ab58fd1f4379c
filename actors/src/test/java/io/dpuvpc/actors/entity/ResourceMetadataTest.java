package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.Ipv4Ipam;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The metadata every resource reports (uid, creationTimestamp, resourceVersion) and optimistic
 * concurrency on it: an apply or delete naming a stale resourceVersion is refused with a Conflict
 * and writes nothing. The IsolationClass is taken through every path; each other kind through
 * the ones its own code handles (create, conflict, delete), with Pekko's
 * {@code EventSourcedBehaviorTestKit}, which also round-trips every message through Jackson CBOR.
 */
class ResourceMetadataTest {
  static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(EntityTestConfig.config()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  EventSourcedBehaviorTestKit<?, ?, ?> current;

  @AfterEach
  void clear() {
    if (current != null) {
      current.clear();
    }
  }

  EntityDirectory nowhere() {
    return new DeadLetterDirectory(testKit.system());
  }

  static void assertFresh(ResourceMetadata metadata, String resourceVersion) {
    assertThat(UUID.fromString(metadata.uid())).isNotNull();
    assertThat(metadata.creationTimestamp()).isEqualTo(NOW);
    assertThat(metadata.resourceVersion()).isEqualTo(resourceVersion);
  }

  @Test
  void isolationClassMetadataAndConflicts() {
    var kit = EventSourcedBehaviorTestKit.<IsolationClassEntity.Command, IsolationClassEntity.Event,
        IsolationClassEntity.State>create(testKit.system(), IsolationClassEntity.create("ovn", nowhere(), CLOCK));
    current = kit;
    ResourceKey key = ResourceKey.clusterScoped(ResourceKind.ISOLATION_CLASS, "ovn");
    IsolationClassSpec ovn = EntityCommandPathsTest.OVN;
    IsolationClassSpec other = new IsolationClassSpec(IsolationClassSpec.PROVISIONER,
        Map.of(IsolationClassSpec.NB_ENDPOINT, "tcp:127.0.0.2:6641"));

    assertThat(status(kit).metadata()).isEqualTo(ResourceMetadata.NONE);
    // Expecting a version of a resource that does not exist is a conflict, and creates nothing.
    var ghost = kit.<ApplyReply>runCommand(r -> new IsolationClassEntity.Apply(ovn, "1", r));
    assertThat(ghost.reply()).isEqualTo(new ApplyReply.Conflict(key, "1", null));
    assertThat(ghost.hasNoEvents()).isTrue();

    var created = kit.<ApplyReply>runCommand(r -> new IsolationClassEntity.Apply(ovn, r));
    assertThat(created.reply()).isEqualTo(new ApplyReply.Accepted(key, 1, true));
    var applied = (IsolationClassEntity.Applied) created.events().get(0);
    assertThat(applied.creationTimestamp()).isEqualTo(NOW);
    ResourceMetadata first = status(kit).metadata();
    assertFresh(first, "1");
    assertThat(first.uid()).isEqualTo(applied.uid());

    // Applying the same spec again changes nothing, metadata included.
    var same = kit.<ApplyReply>runCommand(r -> new IsolationClassEntity.Apply(ovn, "1", r));
    assertThat(same.reply()).isEqualTo(new ApplyReply.Accepted(key, 1, false));
    assertThat(same.hasNoEvents()).isTrue();
    assertThat(status(kit).metadata()).isEqualTo(first);

    // A change moves the resourceVersion, keeps uid and creation time; its event carries neither.
    var changed = kit.<ApplyReply>runCommand(r -> new IsolationClassEntity.Apply(other, "1", r));
    assertThat(changed.reply()).isEqualTo(new ApplyReply.Accepted(key, 2, true));
    assertThat(changed.events()).containsExactly(new IsolationClassEntity.Applied(other, 2));
    ResourceMetadata second = status(kit).metadata();
    assertThat(second).isEqualTo(new ResourceMetadata(first.uid(), NOW, "2"));

    // Based on version 1, which is stale now: refused, nothing written, nothing changed.
    var stale = kit.<ApplyReply>runCommand(r -> new IsolationClassEntity.Apply(ovn, "1", r));
    assertThat(stale.reply()).isEqualTo(new ApplyReply.Conflict(key, "1", "2"));
    assertThat(stale.hasNoEvents()).isTrue();
    assertThat(stale.state().spec()).isEqualTo(other);
    // Even an apply that would change nothing is told it was based on a stale version.
    var staleSame = kit.<ApplyReply>runCommand(r -> new IsolationClassEntity.Apply(other, "1", r));
    assertThat(staleSame.reply()).isEqualTo(new ApplyReply.Conflict(key, "1", "2"));

    var staleDelete = kit.<DeleteReply>runCommand(r -> new IsolationClassEntity.DeleteIfUnchanged("1", r));
    assertThat(staleDelete.reply()).isEqualTo(new DeleteReply.Conflict(key, "1", "2"));
    assertThat(staleDelete.hasNoEvents()).isTrue();
    assertThat(staleDelete.state().spec()).isEqualTo(other);

    // The journal keeps uid and creation time: a restart reports the same metadata.
    kit.restart();
    assertThat(status(kit).metadata()).isEqualTo(second);

    var deleted = kit.<DeleteReply>runCommand(r -> new IsolationClassEntity.DeleteIfUnchanged("2", r));
    assertThat(deleted.reply()).isEqualTo(new DeleteReply.Deleted(key));
    assertThat(status(kit).metadata()).isEqualTo(ResourceMetadata.NONE);
    var gone = kit.<ApplyReply>runCommand(r -> new IsolationClassEntity.Apply(ovn, "3", r));
    assertThat(gone.reply()).isEqualTo(new ApplyReply.Conflict(key, "3", null));
    assertThat(gone.hasNoEvents()).isTrue();
    // Deleting what is gone is NotFound, whatever version it names.
    assertThat(kit.<DeleteReply>runCommand(r -> new IsolationClassEntity.DeleteIfUnchanged("3", r)).reply())
        .isEqualTo(new DeleteReply.NotFound(key));

    // Created again: a new life, a new uid; the version goes on growing.
    kit.<ApplyReply>runCommand(r -> new IsolationClassEntity.Apply(ovn, r));
    ResourceMetadata again = status(kit).metadata();
    assertFresh(again, "4");
    assertThat(again.uid()).isNotEqualTo(first.uid());
  }

  static IsolationClassEntity.Status status(
      EventSourcedBehaviorTestKit<IsolationClassEntity.Command, IsolationClassEntity.Event, IsolationClassEntity.State> kit) {
    return kit.<IsolationClassEntity.Status>runCommand(IsolationClassEntity.Get::new).reply();
  }

  @Test
  void vpcVersionMovesWithWhatItPersistsBesideItsSpec() {
    var kit = EventSourcedBehaviorTestKit.<DpuVpcEntity.Command, DpuVpcEntity.Event, DpuVpcEntity.State>create(
        testKit.system(), DpuVpcEntity.create("default", "vpc", nowhere(), CLOCK));
    current = kit;
    ResourceKey key = ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "vpc");
    DpuVpcSpec spec = new DpuVpcSpec("red", "ovn", true, LabelSelector.EVERYTHING);

    assertThat(kit.<ApplyReply>runCommand(r -> new DpuVpcEntity.Apply(spec, "7", r)).reply())
        .isEqualTo(new ApplyReply.Conflict(key, "7", null));
    kit.<ApplyReply>runCommand(r -> new DpuVpcEntity.Apply(spec, r));
    ResourceMetadata created = kit.<DpuVpcEntity.Status>runCommand(DpuVpcEntity.GetStatus::new).reply().metadata();
    assertFresh(created, "1");

    // A network joining is persisted: the VPC's version moves, its generation does not.
    kit.<DpuVpcEntity.AttachReply>runCommand(r -> new DpuVpcEntity.AttachNetwork("n1", "10.0.0.0/24", r));
    var status = kit.<DpuVpcEntity.Status>runCommand(DpuVpcEntity.GetStatus::new).reply();
    assertThat(status.generation()).isEqualTo(1);
    assertThat(status.metadata()).isEqualTo(new ResourceMetadata(created.uid(), NOW, "2"));

    var stale = kit.<ApplyReply>runCommand(r -> new DpuVpcEntity.Apply(spec, "1", r));
    assertThat(stale.reply()).isEqualTo(new ApplyReply.Conflict(key, "1", "2"));
    assertThat(stale.hasNoEvents()).isTrue();
    var staleDelete = kit.<DeleteReply>runCommand(r -> new DpuVpcEntity.DeleteIfUnchanged("1", r));
    assertThat(staleDelete.reply()).isEqualTo(new DeleteReply.Conflict(key, "1", "2"));
    assertThat(staleDelete.hasNoEvents()).isTrue();
    assertThat(kit.<DeleteReply>runCommand(r -> new DpuVpcEntity.DeleteIfUnchanged("2", r)).reply())
        .isEqualTo(new DeleteReply.Deleted(key));
  }

  @Test
  void virtualNetworkMetadataAndConflicts() {
    var kit = EventSourcedBehaviorTestKit.<DpuVirtualNetworkEntity.Command, DpuVirtualNetworkEntity.Event,
        DpuVirtualNetworkEntity.State>create(testKit.system(), DpuVirtualNetworkEntity.create("default", "net", nowhere(), CLOCK));
    current = kit;
    ResourceKey key = ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, "default", "net");
    DpuVirtualNetworkSpec spec = DpuVirtualNetworkSpec.bridged("vpc", true, new Ipv4Ipam(true, "192.178.0.0/16", List.of()));

    kit.<ApplyReply>runCommand(r -> new DpuVirtualNetworkEntity.Apply(spec, r));
    ResourceMetadata created = kit.<DpuVirtualNetworkEntity.Status>runCommand(DpuVirtualNetworkEntity.GetStatus::new)
        .reply().metadata();
    assertFresh(created, "1");
    kit.<DpuVirtualNetworkEntity.Status>runCommand(r -> new DpuVirtualNetworkEntity.AttachInterface("si", r));
    assertThat(kit.<DpuVirtualNetworkEntity.Status>runCommand(DpuVirtualNetworkEntity.GetStatus::new).reply().metadata())
        .isEqualTo(new ResourceMetadata(created.uid(), NOW, "2"));

    var stale = kit.<ApplyReply>runCommand(r -> new DpuVirtualNetworkEntity.Apply(spec, "1", r));
    assertThat(stale.reply()).isEqualTo(new ApplyReply.Conflict(key, "1", "2"));
    assertThat(stale.hasNoEvents()).isTrue();
    var staleDelete = kit.<DeleteReply>runCommand(r -> new DpuVirtualNetworkEntity.DeleteIfUnchanged("1", r));
    assertThat(staleDelete.reply()).isEqualTo(new DeleteReply.Conflict(key, "1", "2"));
    assertThat(staleDelete.hasNoEvents()).isTrue();
  }

  @Test
  void serviceInterfaceMetadataAndConflicts() {
    var kit = EventSourcedBehaviorTestKit.<ServiceInterfaceEntity.Command, ServiceInterfaceEntity.Event,
        ServiceInterfaceEntity.State>create(testKit.system(), ServiceInterfaceEntity.create("default", "si", nowhere(), CLOCK));
    current = kit;
    ResourceKey key = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "default", "si");
    ServiceInterfaceTemplate first = EntityCommandPathsTest.vf("dpu-1", "net", Map.of());
    ServiceInterfaceTemplate moved = EntityCommandPathsTest.vf("dpu-2", "net", Map.of());

    kit.<ApplyReply>runCommand(r -> new ServiceInterfaceEntity.Apply(first, r));
    ResourceMetadata created = kit.<ServiceInterfaceEntity.Status>runCommand(ServiceInterfaceEntity.GetStatus::new)
        .reply().metadata();
    assertFresh(created, "1");

    var based = kit.<ApplyReply>runCommand(r -> new ServiceInterfaceEntity.Apply(moved, "1", r));
    assertThat(based.reply()).isEqualTo(new ApplyReply.Accepted(key, 2, true));
    var stale = kit.<ApplyReply>runCommand(r -> new ServiceInterfaceEntity.Apply(first, "1", r));
    assertThat(stale.reply()).isEqualTo(new ApplyReply.Conflict(key, "1", "2"));
    assertThat(stale.hasNoEvents()).isTrue();
    assertThat(stale.state().serviceInterface()).isEqualTo(moved);

    kit.<DeleteReply>runCommand(ServiceInterfaceEntity.Delete::new);
    kit.<ApplyReply>runCommand(r -> new ServiceInterfaceEntity.Apply(first, r));
    ResourceMetadata again = kit.<ServiceInterfaceEntity.Status>runCommand(ServiceInterfaceEntity.GetStatus::new)
        .reply().metadata();
    assertFresh(again, "4");
    assertThat(again.uid()).isNotEqualTo(created.uid());
  }

  @Test
  void dpuServiceInterfaceMetadataAndConflicts() {
    var kit = EventSourcedBehaviorTestKit.<DpuServiceInterfaceEntity.Command, DpuServiceInterfaceEntity.Event,
        DpuServiceInterfaceEntity.State>create(testKit.system(),
        DpuServiceInterfaceEntity.create("default", "pf0", nowhere(), CLOCK));
    current = kit;
    ResourceKey key = ResourceKey.namespaced(ResourceKind.DPU_SERVICE_INTERFACE, "default", "pf0");
    var spec = DpuServiceInterfaceEntityTest.workers("net");

    kit.<ApplyReply>runCommand(r -> new DpuServiceInterfaceEntity.Apply(spec, r));
    ResourceMetadata created = kit.<DpuServiceInterfaceEntity.Status>runCommand(DpuServiceInterfaceEntity.GetStatus::new)
        .reply().metadata();
    assertFresh(created, "1");
    // The children it chose are persisted: the version moves.
    kit.runCommand(new DpuServiceInterfaceEntity.NodesMatched(java.util.Set.of("dpu-1")));
    assertThat(kit.<DpuServiceInterfaceEntity.Status>runCommand(DpuServiceInterfaceEntity.GetStatus::new).reply()
        .metadata()).isEqualTo(new ResourceMetadata(created.uid(), NOW, "2"));

    var stale = kit.<DeleteReply>runCommand(r -> new DpuServiceInterfaceEntity.DeleteIfUnchanged("1", r));
    assertThat(stale.reply()).isEqualTo(new DeleteReply.Conflict(key, "1", "2"));
    assertThat(stale.hasNoEvents()).isTrue();
    var staleApply = kit.<ApplyReply>runCommand(r -> new DpuServiceInterfaceEntity.Apply(spec, "1", r));
    assertThat(staleApply.reply()).isEqualTo(new ApplyReply.Conflict(key, "1", "2"));
  }

  @Test
  void dpuNodeMetadataAndConflicts() {
    var kit = EventSourcedBehaviorTestKit.<DpuNodeEntity.Command, DpuNodeEntity.Event, DpuNodeEntity.State>create(
        testKit.system(), DpuNodeEntity.create("dpu-1", nowhere(), CLOCK));
    current = kit;
    ResourceKey key = ResourceKey.clusterScoped(ResourceKind.DPU_NODE, "dpu-1");

    assertThat(kit.<ApplyReply>runCommand(r -> new DpuNodeEntity.SetLabels(Map.of("zone", "a"), "1", r)).reply())
        .isEqualTo(new ApplyReply.Conflict(key, "1", null));
    kit.<ApplyReply>runCommand(r -> new DpuNodeEntity.SetLabels(Map.of("zone", "a"), r));
    ResourceMetadata created = kit.<DpuNodeEntity.Status>runCommand(DpuNodeEntity.GetStatus::new).reply().metadata();
    assertFresh(created, "1");

    // The agent's report is unconditional, and moves the version like any persisted change.
    kit.<ApplyReply>runCommand(r -> new DpuNodeEntity.Report(new DpuNode("dpu-1", Map.of(), "chassis-1", "10.0.100.1",
        "172.16.0.10/24", "172.16.0.1", true, null), r));
    assertThat(kit.<DpuNodeEntity.Status>runCommand(DpuNodeEntity.GetStatus::new).reply().metadata())
        .isEqualTo(new ResourceMetadata(created.uid(), NOW, "2"));

    var stale = kit.<ApplyReply>runCommand(r -> new DpuNodeEntity.SetLabels(Map.of("zone", "b"), "1", r));
    assertThat(stale.reply()).isEqualTo(new ApplyReply.Conflict(key, "1", "2"));
    assertThat(stale.hasNoEvents()).isTrue();
    var staleDelete = kit.<DeleteReply>runCommand(r -> new DpuNodeEntity.DeleteIfUnchanged("1", r));
    assertThat(staleDelete.reply()).isEqualTo(new DeleteReply.Conflict(key, "1", "2"));
    assertThat(staleDelete.hasNoEvents()).isTrue();
    assertThat(kit.<DeleteReply>runCommand(r -> new DpuNodeEntity.DeleteIfUnchanged("2", r)).reply())
        .isEqualTo(new DeleteReply.Deleted(key));
    assertThat(kit.<DpuNodeEntity.Status>runCommand(DpuNodeEntity.GetStatus::new).reply().metadata())
        .isEqualTo(ResourceMetadata.NONE);
  }
}
