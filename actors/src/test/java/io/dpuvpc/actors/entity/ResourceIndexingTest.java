package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The resource entities keep their kind's {@link ResourceIndexEntity} told: listed when created
 * (and created again), unlisted when deleted, and told again when they recover, so an entity that
 * stopped between persisting and telling still ends up listed (or unlisted).
 */
class ResourceIndexingTest {
  @RegisterExtension
  final EntityHarness h = new EntityHarness();

  static final String NS = EntityHarness.NS;

  List<ResourceKey> listed(ResourceKind kind, String namespace) {
    return h.<ResourceIndexEntity.Command, ResourceIndexEntity.Listing>ask(h.directory.index(kind),
        r -> new ResourceIndexEntity.List(namespace, r)).keys();
  }

  static ResourceKey vpc(String namespace, String name) {
    return ResourceKey.namespaced(ResourceKind.DPU_VPC, namespace, name);
  }

  @Test
  void everyKindListsWhatExists() {
    h.<IsolationClassEntity.Command, ApplyReply>ask(h.directory.isolationClass("ovn"), r -> new IsolationClassEntity.Apply(EntityCommandPathsTest.OVN, r));
    h.setLabels("dpu-1", Map.of("role", "worker"));
    h.applyNetwork("net-a", LabelSelector.EVERYTHING); // and its VPC "vpc"
    h.applyServiceInterface("si-1", EntityCommandPathsTest.vf("dpu-1", "net-a", Map.of()));
    h.applyDpuServiceInterface("pf0", DpuServiceInterfaceEntityTest.workers("net-a"));

    EntityTestConfig.eventually(() -> {
      assertThat(listed(ResourceKind.ISOLATION_CLASS, null))
          .containsExactly(ResourceKey.clusterScoped(ResourceKind.ISOLATION_CLASS, "ovn"));
      assertThat(listed(ResourceKind.DPU_NODE, null)).containsExactly(ResourceKey.clusterScoped(ResourceKind.DPU_NODE, "dpu-1"));
      assertThat(listed(ResourceKind.DPU_VPC, NS)).containsExactly(vpc(NS, "vpc"));
      assertThat(listed(ResourceKind.DPU_VIRTUAL_NETWORK, NS))
          .containsExactly(ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, NS, "net-a"));
      assertThat(listed(ResourceKind.DPU_SERVICE_INTERFACE, NS))
          .containsExactly(ResourceKey.namespaced(ResourceKind.DPU_SERVICE_INTERFACE, NS, "pf0"));
      // The DPUServiceInterface's child is a ServiceInterface like any other.
      assertThat(listed(ResourceKind.SERVICE_INTERFACE, NS)).containsExactly(
          ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, NS, "pf0-dpu-1"),
          ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, NS, "si-1"));
    });
  }

  @Test
  void deletedIsUnlistedAndCreatedAgainIsListedAgain() {
    h.applyVpc("red", LabelSelector.EVERYTHING);
    h.<DpuVpcEntity.Command, ApplyReply>ask(h.directory.vpc("other", "blue"),
        r -> new DpuVpcEntity.Apply(new DpuVpcSpec("t", "ovn", true, LabelSelector.EVERYTHING), r));
    EntityTestConfig.eventually(() -> assertThat(listed(ResourceKind.DPU_VPC, null))
        .containsExactly(vpc(NS, "red"), vpc("other", "blue")));
    assertThat(listed(ResourceKind.DPU_VPC, "other")).containsExactly(vpc("other", "blue"));

    assertThat(h.ask(h.directory.vpc(NS, "red"), DpuVpcEntity.Delete::new)).isInstanceOf(DeleteReply.Deleted.class);
    EntityTestConfig.eventually(() -> assertThat(listed(ResourceKind.DPU_VPC, null)).containsExactly(vpc("other", "blue")));

    h.applyVpc("red", LabelSelector.EVERYTHING);
    EntityTestConfig.eventually(() -> assertThat(listed(ResourceKind.DPU_VPC, NS)).containsExactly(vpc(NS, "red")));
    // A listing includes the keys the index noted but has not written yet, and a restart drops
    // those (the resource's IndexListing tells again after 5 s): wait for the write. An Add is
    // answered once its key is in the journal. (CI saw this restart come between the two.)
    TestProbe<ResourceIndexEntity.Listed> written = h.testKit.createTestProbe();
    h.directory.index(ResourceKind.DPU_VPC).tell(new ResourceIndexEntity.Add(vpc(NS, "red"), written.getRef()));
    written.expectMessage(new ResourceIndexEntity.Listed(vpc(NS, "red")));

    // The index's own journal holds all of that.
    h.directory.restartIndex(ResourceKind.DPU_VPC);
    assertThat(listed(ResourceKind.DPU_VPC, null)).containsExactly(vpc(NS, "red"), vpc("other", "blue"));
  }

  @Test
  void anEntityThatStoppedBeforeTheIndexHeardIsListedWhenItRecovers() {
    // An incarnation whose tells are lost, as if it crashed right after persisting.
    ActorRef<DpuVpcEntity.Command> lost = h.testKit.spawn(
        DpuVpcEntity.create(NS, "lost", new DeadLetterDirectory(h.testKit.system()), Clock.systemUTC()));
    assertThat(h.<DpuVpcEntity.Command, ApplyReply>ask(lost,
        r -> new DpuVpcEntity.Apply(new DpuVpcSpec("t", "ovn", true, LabelSelector.EVERYTHING), r)))
        .isInstanceOf(ApplyReply.Accepted.class);
    h.testKit.stop(lost);
    assertThat(listed(ResourceKind.DPU_VPC, null)).isEmpty();

    // The next incarnation recovers and tells the index.
    assertThat(h.vpc("lost").exists()).isTrue();
    EntityTestConfig.eventually(() -> assertThat(listed(ResourceKind.DPU_VPC, null)).containsExactly(vpc(NS, "lost")));
  }

  @Test
  void anEntityDeletedBeforeTheIndexHeardIsUnlistedWhenItRecovers() {
    ActorRef<DpuNodeEntity.Command> lost = h.testKit.spawn(
        DpuNodeEntity.create("gone", new DeadLetterDirectory(h.testKit.system()), Clock.systemUTC()));
    h.<DpuNodeEntity.Command, ApplyReply>ask(lost, r -> new DpuNodeEntity.SetLabels(Map.of("zone", "a"), r));
    h.<DpuNodeEntity.Command, DeleteReply>ask(lost, DpuNodeEntity.Delete::new);
    h.testKit.stop(lost);
    // Listed when it was created; the Remove was lost.
    ResourceKey gone = ResourceKey.clusterScoped(ResourceKind.DPU_NODE, "gone");
    h.directory.index(ResourceKind.DPU_NODE).tell(new ResourceIndexEntity.Add(gone));
    EntityTestConfig.eventually(() -> assertThat(listed(ResourceKind.DPU_NODE, null)).containsExactly(gone));

    assertThat(h.node("gone").exists()).isFalse();
    EntityTestConfig.eventually(() -> assertThat(listed(ResourceKind.DPU_NODE, null)).isEmpty());
  }
}
