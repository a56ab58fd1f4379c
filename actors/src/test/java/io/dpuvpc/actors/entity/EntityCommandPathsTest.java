package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.Ipv4Ipam;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.validation.FieldError;
import io.dpuvpc.actors.model.TemplateMetadata;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Command by command, the reply, the events persisted and the resulting state of the IsolationClass,
 * DPUVPC, DPUVirtualNetwork and ServiceInterface entities, with Pekko's {@code EventSourcedBehaviorTestKit} (which also
 * serializes every command, event and state through Jackson CBOR and checks that they round-trip).
 */
class EntityCommandPathsTest {
  static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.parseString(
        "pekko.actor.serialization-bindings { \"io.dpuvpc.actors.CborSerializable\" = jackson-cbor }")));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** Entities the VPC and the network talk to: ignored here, these tests pin one entity's paths. */
  static EntityDirectory nowhere() {
    return new DeadLetterDirectory(testKit.system());
  }

  EventSourcedBehaviorTestKit<?, ?, ?> current;

  @AfterEach
  void clear() {
    if (current != null) {
      current.clear();
    }
  }

  static final IsolationClassSpec OVN = new IsolationClassSpec(IsolationClassSpec.PROVISIONER,
      Map.of(IsolationClassSpec.NB_ENDPOINT, "tcp:127.0.0.1:6641"));

  @Test
  void isolationClassPaths() {
    var kit = EventSourcedBehaviorTestKit.<IsolationClassEntity.Command, IsolationClassEntity.Event, IsolationClassEntity.State>create(
        testKit.system(), IsolationClassEntity.create("ovn"));
    current = kit;
    ResourceKey key = ResourceKey.clusterScoped(ResourceKind.ISOLATION_CLASS, "ovn");

    var created = kit.<ApplyReply>runCommand(r -> new IsolationClassEntity.Apply(OVN, r));
    assertThat(created.reply()).isEqualTo(new ApplyReply.Accepted(key, 1, true));
    assertThat(created.events()).usingRecursiveFieldByFieldElementComparatorIgnoringFields(EntityTestConfig.METADATA)
        .containsExactly(new IsolationClassEntity.Applied(OVN, 1));
    EntityTestConfig.assertWithoutMetadata(created.state()).isEqualTo(new IsolationClassEntity.State(OVN, 1));

    var same = kit.<ApplyReply>runCommand(r -> new IsolationClassEntity.Apply(OVN, r));
    assertThat(same.reply()).isEqualTo(new ApplyReply.Accepted(key, 1, false));
    assertThat(same.hasNoEvents()).isTrue();

    var wrong = kit.<ApplyReply>runCommand(r -> new IsolationClassEntity.Apply(new IsolationClassSpec("other.example.com", Map.of()), r));
    assertThat(wrong.reply()).isInstanceOf(ApplyReply.Rejected.class);
    assertThat(wrong.hasNoEvents()).isTrue();
    EntityTestConfig.assertWithoutMetadata(wrong.state()).isEqualTo(new IsolationClassEntity.State(OVN, 1));

    var deleted = kit.<DeleteReply>runCommand(IsolationClassEntity.Delete::new);
    assertThat(deleted.reply()).isEqualTo(new DeleteReply.Deleted(key));
    assertThat(deleted.events()).containsExactly(new IsolationClassEntity.Deleted(1));
    assertThat(deleted.state().spec()).isNull();

    var again = kit.<DeleteReply>runCommand(IsolationClassEntity.Delete::new);
    assertThat(again.reply()).isEqualTo(new DeleteReply.NotFound(key));
    assertThat(again.hasNoEvents()).isTrue();

    // The journal replays to the same state.
    kit.restart();
    var status = kit.<IsolationClassEntity.Status>runCommand(IsolationClassEntity.Get::new);
    assertThat(status.reply()).isEqualTo(new IsolationClassEntity.Status(key, null, 1));
  }

  @Test
  void vpcPaths() {
    var kit = EventSourcedBehaviorTestKit.<DpuVpcEntity.Command, DpuVpcEntity.Event, DpuVpcEntity.State>create(
        testKit.system(), DpuVpcEntity.create("default", "vpc", nowhere(), Clock.systemUTC()));
    current = kit;
    ResourceKey key = ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "vpc");
    DpuVpcSpec spec = new DpuVpcSpec("red", "ovn", true, LabelSelector.EVERYTHING);

    var noVpc = kit.<DpuVpcEntity.AttachReply>runCommand(r -> new DpuVpcEntity.AttachNetwork("n1", "10.0.0.0/24", r));
    assertThat(noVpc.reply()).isEqualTo(new DpuVpcEntity.NoSuchVpc(key));
    assertThat(noVpc.hasNoEvents()).isTrue();

    var created = kit.<ApplyReply>runCommand(r -> new DpuVpcEntity.Apply(spec, r));
    assertThat(created.reply()).isEqualTo(new ApplyReply.Accepted(key, 1, true));
    assertThat(created.events()).usingRecursiveFieldByFieldElementComparatorIgnoringFields(EntityTestConfig.METADATA)
        .containsExactly(new DpuVpcEntity.Applied(spec, 1));

    var immutable = kit.<ApplyReply>runCommand(r -> new DpuVpcEntity.Apply(new DpuVpcSpec("blue", "ovn", true, LabelSelector.EVERYTHING), r));
    assertThat(immutable.reply()).isInstanceOf(ApplyReply.Rejected.class);
    assertThat(immutable.hasNoEvents()).isTrue();

    var attached = kit.<DpuVpcEntity.AttachReply>runCommand(r -> new DpuVpcEntity.AttachNetwork("n1", "10.0.0.0/24", r));
    assertThat(attached.reply()).isEqualTo(new DpuVpcEntity.Attached(key, 1, "ovn"));
    assertThat(attached.events()).containsExactly(new DpuVpcEntity.NetworkAttached("n1", "10.0.0.0/24", false, true));
    assertThat(attached.state().subnets()).isEqualTo(Map.of("n1", "10.0.0.0/24"));

    var overlap = kit.<DpuVpcEntity.AttachReply>runCommand(r -> new DpuVpcEntity.AttachNetwork("n2", "10.0.0.0/16", r));
    assertThat(overlap.reply()).isInstanceOf(DpuVpcEntity.AttachRefused.class);
    assertThat(overlap.hasNoEvents()).isTrue();

    var again = kit.<DpuVpcEntity.AttachReply>runCommand(r -> new DpuVpcEntity.AttachNetwork("n1", "10.0.0.0/24", r));
    assertThat(again.reply()).isEqualTo(new DpuVpcEntity.Attached(key, 1, "ovn"));
    assertThat(again.hasNoEvents()).isTrue();

    // A network recovered from version 1 events re-joins with its real flags: the VPC records them.
    var routed = new DpuVpcEntity.AttachedNetwork("10.0.0.0/24", true, false);
    var flags = kit.<DpuVpcEntity.AttachReply>runCommand(r -> new DpuVpcEntity.AttachNetwork("n1", routed, r));
    assertThat(flags.reply()).isEqualTo(new DpuVpcEntity.Attached(key, 1, "ovn"));
    assertThat(flags.events()).containsExactly(new DpuVpcEntity.NetworkAttached("n1", "10.0.0.0/24", true, false));
    assertThat(flags.state().networks()).isEqualTo(Map.of("n1", routed));

    var detached = kit.runCommand(new DpuVpcEntity.DetachNetwork("n1"));
    assertThat(detached.events()).containsExactly(new DpuVpcEntity.NetworkDetached("n1"));
    assertThat(detached.state().networks()).isEmpty();

    var deleted = kit.<DeleteReply>runCommand(DpuVpcEntity.Delete::new);
    assertThat(deleted.reply()).isEqualTo(new DeleteReply.Deleted(key));
    assertThat(deleted.events()).containsExactly(new DpuVpcEntity.Deleted(1));
    assertThat(deleted.state()).isEqualTo(new DpuVpcEntity.State(null, 1, Map.of()));
  }

  @Test
  void virtualNetworkPaths() {
    var kit = EventSourcedBehaviorTestKit.<DpuVirtualNetworkEntity.Command, DpuVirtualNetworkEntity.Event,
        DpuVirtualNetworkEntity.State>create(testKit.system(), DpuVirtualNetworkEntity.create("default", "net", nowhere(), Clock.systemUTC()));
    current = kit;
    ResourceKey key = ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, "default", "net");
    DpuVirtualNetworkSpec spec = DpuVirtualNetworkSpec.bridged("vpc", true, new Ipv4Ipam(true, "192.178.0.0/16", List.of()));

    var created = kit.<ApplyReply>runCommand(r -> new DpuVirtualNetworkEntity.Apply(spec, r));
    assertThat(created.reply()).isEqualTo(new ApplyReply.Accepted(key, 1, true));
    assertThat(created.events()).usingRecursiveFieldByFieldElementComparatorIgnoringFields(EntityTestConfig.METADATA)
        .containsExactly(new DpuVirtualNetworkEntity.Applied(spec, 1));

    var changed = kit.<ApplyReply>runCommand(r -> new DpuVirtualNetworkEntity.Apply(
        DpuVirtualNetworkSpec.bridged("vpc", false, new Ipv4Ipam(true, "192.178.0.0/16", List.of())), r));
    assertThat(changed.reply()).isInstanceOfSatisfying(ApplyReply.Rejected.class,
        r -> assertThat(r.errors().get(0).fieldPath()).isEqualTo("spec.externallyRouted"));
    assertThat(changed.hasNoEvents()).isTrue();

    var joined = kit.<DpuVirtualNetworkEntity.Status>runCommand(r -> new DpuVirtualNetworkEntity.AttachInterface("si-1", r));
    assertThat(joined.events()).containsExactly(new DpuVirtualNetworkEntity.InterfaceAttached("si-1"));
    assertThat(joined.reply().serviceInterfaces()).containsExactly("si-1");
    assertThat(joined.reply().spec()).isEqualTo(spec);
    var again = kit.<DpuVirtualNetworkEntity.Status>runCommand(r -> new DpuVirtualNetworkEntity.AttachInterface("si-1", r));
    assertThat(again.hasNoEvents()).isTrue();
    kit.<DpuVirtualNetworkEntity.Status>runCommand(r -> new DpuVirtualNetworkEntity.AttachInterface("si-2", r));
    var left = kit.runCommand(new DpuVirtualNetworkEntity.DetachInterface("si-1"));
    assertThat(left.events()).containsExactly(new DpuVirtualNetworkEntity.InterfaceDetached("si-1"));
    assertThat(left.state().serviceInterfaces()).containsExactly("si-2");
    assertThat(kit.runCommand(new DpuVirtualNetworkEntity.DetachInterface("never-joined")).hasNoEvents()).isTrue();

    var deleted = kit.<DeleteReply>runCommand(DpuVirtualNetworkEntity.Delete::new);
    assertThat(deleted.reply()).isEqualTo(new DeleteReply.Deleted(key));
    assertThat(deleted.events()).containsExactly(new DpuVirtualNetworkEntity.Deleted(1));
    assertThat(deleted.state()).isEqualTo(new DpuVirtualNetworkEntity.State(null, 1));

    // An absent network answers a joining interface without recording it.
    var absent = kit.<DpuVirtualNetworkEntity.Status>runCommand(r -> new DpuVirtualNetworkEntity.AttachInterface("si-3", r));
    assertThat(absent.hasNoEvents()).isTrue();
    assertThat(absent.reply().exists()).isFalse();
  }

  static ServiceInterfaceTemplate vf(String node, String network, Map<String, String> annotations) {
    return new ServiceInterfaceTemplate(TemplateMetadata.annotated(annotations),
        ServiceInterfaceSpec.vf(0, 2, network).withNode(node));
  }

  @Test
  void serviceInterfacePaths() {
    var kit = EventSourcedBehaviorTestKit.<ServiceInterfaceEntity.Command, ServiceInterfaceEntity.Event,
        ServiceInterfaceEntity.State>create(testKit.system(), ServiceInterfaceEntity.create("default", "si", nowhere(),
        Clock.systemUTC()));
    current = kit;
    ResourceKey key = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "default", "si");

    var missing = kit.<DeleteReply>runCommand(ServiceInterfaceEntity.Delete::new);
    assertThat(missing.reply()).isEqualTo(new DeleteReply.NotFound(key));
    assertThat(missing.hasNoEvents()).isTrue();

    var rejected = kit.<ApplyReply>runCommand(r -> new ServiceInterfaceEntity.Apply(vf(null, "net", Map.of()), r));
    assertThat(rejected.reply()).isInstanceOfSatisfying(ApplyReply.Rejected.class,
        r -> assertThat(r.errors()).extracting(FieldError::fieldPath).contains("spec.node"));
    assertThat(rejected.hasNoEvents()).isTrue();
    var badAnnotation = kit.<ApplyReply>runCommand(r -> new ServiceInterfaceEntity.Apply(
        vf("dpu-1", "net", Map.of("ovn.vpc.dpu.nvidia.com/unknown-mac", "yes")), r));
    assertThat(badAnnotation.reply()).isInstanceOf(ApplyReply.Rejected.class);
    assertThat(badAnnotation.hasNoEvents()).isTrue();

    ServiceInterfaceTemplate first = vf("dpu-1", "net", Map.of());
    var created = kit.<ApplyReply>runCommand(r -> new ServiceInterfaceEntity.Apply(first, r));
    assertThat(created.reply()).isEqualTo(new ApplyReply.Accepted(key, 1, true));
    assertThat(created.events()).usingRecursiveFieldByFieldElementComparatorIgnoringFields(EntityTestConfig.METADATA)
        .containsExactly(new ServiceInterfaceEntity.Applied(first, 1));
    EntityTestConfig.assertWithoutMetadata(created.state()).isEqualTo(new ServiceInterfaceEntity.State(first, 1));

    var same = kit.<ApplyReply>runCommand(r -> new ServiceInterfaceEntity.Apply(first, r));
    assertThat(same.reply()).isEqualTo(new ApplyReply.Accepted(key, 1, false));
    assertThat(same.hasNoEvents()).isTrue();

    ServiceInterfaceTemplate moved = vf("dpu-1", "other-net", Map.of("ovn.vpc.dpu.nvidia.com/unknown-mac", "true"));
    var changed = kit.<ApplyReply>runCommand(r -> new ServiceInterfaceEntity.Apply(moved, r));
    assertThat(changed.reply()).isEqualTo(new ApplyReply.Accepted(key, 2, true));
    assertThat(changed.events()).usingRecursiveFieldByFieldElementComparatorIgnoringFields(EntityTestConfig.METADATA)
        .containsExactly(new ServiceInterfaceEntity.Applied(moved, 2));

    // Observations change what GetStatus derives, never the journal.
    assertThat(kit.runCommand(new ServiceInterfaceEntity.PortObserved(true, "02:00:00:00:00:01")).hasNoEvents()).isTrue();
    assertThat(kit.runCommand(new ServiceInterfaceEntity.NetworkDeleted(
        ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, "default", "other-net"))).hasNoEvents()).isTrue();
    var status = kit.<ServiceInterfaceEntity.Status>runCommand(ServiceInterfaceEntity.GetStatus::new);
    assertThat(status.hasNoEvents()).isTrue();
    assertThat(status.reply().serviceInterface()).isEqualTo(moved);
    assertThat(status.reply().generation()).isEqualTo(2);

    var deleted = kit.<DeleteReply>runCommand(ServiceInterfaceEntity.Delete::new);
    assertThat(deleted.reply()).isEqualTo(new DeleteReply.Deleted(key));
    assertThat(deleted.events()).containsExactly(new ServiceInterfaceEntity.Deleted(2));
    assertThat(deleted.state()).isEqualTo(new ServiceInterfaceEntity.State(null, 2));

    var recreated = kit.<ApplyReply>runCommand(r -> new ServiceInterfaceEntity.Apply(first, r));
    assertThat(recreated.reply()).isEqualTo(new ApplyReply.Accepted(key, 3, true));

    // The journal alone brings the state back.
    kit.restart();
    EntityTestConfig.assertWithoutMetadata(kit.getState()).isEqualTo(new ServiceInterfaceEntity.State(first, 3));
  }
}
