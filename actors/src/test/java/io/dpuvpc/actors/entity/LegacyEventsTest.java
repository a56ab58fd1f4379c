package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.CborSerializable;
import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.actors.model.DpuServiceInterfaceSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.Ipv4Ipam;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Events that create a resource written before uid and creationTimestamp existed (the
 * {@code Applied} events, and the node's {@code Recorded}, with only spec and generation) are still
 * read: the new fields come back null, with no migration needed, and the resource recovers with a
 * uid derived from its key and creation generation (stable across recoveries) and no creation time.
 */
class LegacyEventsTest {
  static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(EntityTestConfig.config()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** The shapes as the previous version wrote them, field for field. */
  record IsolationClassAppliedV1(IsolationClassSpec spec, long generation) implements CborSerializable {}

  record DpuVpcAppliedV1(DpuVpcSpec spec, long generation) implements CborSerializable {}

  record DpuVirtualNetworkAppliedV1(DpuVirtualNetworkSpec spec, long generation) implements CborSerializable {}

  record ServiceInterfaceAppliedV1(ServiceInterfaceTemplate serviceInterface, long generation) implements CborSerializable {}

  record DpuServiceInterfaceAppliedV1(DpuServiceInterfaceSpec spec, long generation) implements CborSerializable {}

  record DpuNodeRecordedV1(DpuNode node, long generation) implements CborSerializable {}

  /** The node as written before the agent reported its chassis, offload and ports. */
  record DpuNodeV2(String name, Map<String, String> labels, String chassisId, String vtepIp, String externalIp,
      String externalNextHop, boolean ready, Instant lastHeartbeat) implements CborSerializable {}

  record DpuNodeRecordedV2(DpuNodeV2 node, long generation, String uid, Instant creationTimestamp)
      implements CborSerializable {}

  /** Serializes {@code old} and reads it back as its manifest (the bare class name, as before) names {@code as}. */
  static Object readAs(Object old, Class<?> as) {
    Serialization serialization = SerializationExtension.get(testKit.system());
    byte[] bytes = serialization.serialize(old).get();
    return serialization.deserialize(bytes, serialization.findSerializerFor(old).identifier(), as.getName()).get();
  }

  @Test
  void everyOldCreatingEventIsReadWithoutUidOrCreationTime() {
    var ic = EntityCommandPathsTest.OVN;
    var vpc = new DpuVpcSpec("red", "ovn", true, LabelSelector.EVERYTHING);
    var net = DpuVirtualNetworkSpec.bridged("vpc", true, new Ipv4Ipam(true, "192.178.0.0/16", List.of()));
    var si = EntityCommandPathsTest.vf("dpu-1", "net", Map.of());
    var dsi = DpuServiceInterfaceEntityTest.workers("net");
    var node = DpuNode.labelled("dpu-1", Map.of("zone", "a"));

    assertThat(readAs(new IsolationClassAppliedV1(ic, 3), IsolationClassEntity.Applied.class))
        .isEqualTo(new IsolationClassEntity.Applied(ic, 3, null, null));
    assertThat(readAs(new DpuVpcAppliedV1(vpc, 1), DpuVpcEntity.Applied.class))
        .isEqualTo(new DpuVpcEntity.Applied(vpc, 1, null, null));
    assertThat(readAs(new DpuVirtualNetworkAppliedV1(net, 1), DpuVirtualNetworkEntity.Applied.class))
        .isEqualTo(new DpuVirtualNetworkEntity.Applied(net, 1, null, null));
    assertThat(readAs(new ServiceInterfaceAppliedV1(si, 1), ServiceInterfaceEntity.Applied.class))
        .isEqualTo(new ServiceInterfaceEntity.Applied(si, 1, null, null));
    assertThat(readAs(new DpuServiceInterfaceAppliedV1(dsi, 1), DpuServiceInterfaceEntity.Applied.class))
        .isEqualTo(new DpuServiceInterfaceEntity.Applied(dsi, 1, null, null));
    assertThat(readAs(new DpuNodeRecordedV1(node, 1), DpuNodeEntity.Recorded.class))
        .isEqualTo(new DpuNodeEntity.Recorded(node, 1, null, null));
  }

  @Test
  void aNodeWrittenBeforeTheObservationsExistedIsReadWithoutThem() {
    Instant created = Instant.parse("2026-02-01T10:00:00Z");
    var old = new DpuNodeV2("dpu-1", Map.of("zone", "a"), "dpu-1", "10.0.100.1", "172.16.0.10/24", "172.16.0.1", false,
        null);
    var node = new DpuNode("dpu-1", Map.of("zone", "a"), "dpu-1", "10.0.100.1", "172.16.0.10/24", "172.16.0.1", false,
        null, false, false, List.of());
    assertThat(readAs(new DpuNodeRecordedV2(old, 2, "u-1", created), DpuNodeEntity.Recorded.class))
        .isEqualTo(new DpuNodeEntity.Recorded(node, 2, "u-1", created));
  }

  @Test
  void aResourceCreatedByAnOldEventRecoversWithADerivedStableUid() {
    Instant now = Instant.parse("2026-03-01T12:00:00Z");
    var kit = EventSourcedBehaviorTestKit.<IsolationClassEntity.Command, IsolationClassEntity.Event,
        IsolationClassEntity.State>create(testKit.system(), IsolationClassEntity.create("legacy",
        new DeadLetterDirectory(testKit.system()), Clock.fixed(now, ZoneOffset.UTC)));
    IsolationClassSpec spec = EntityCommandPathsTest.OVN;
    // Created (generation 1), deleted, created again (generation 2), all before uids were recorded.
    kit.initialize(new IsolationClassEntity.Applied(spec, 1), new IsolationClassEntity.Deleted(1),
        new IsolationClassEntity.Applied(spec, 2));

    String derived = UUID.nameUUIDFromBytes("IsolationClass/legacy#2".getBytes(StandardCharsets.UTF_8)).toString();
    assertThat(metadata(kit)).isEqualTo(new ResourceMetadata(derived, null, "3"));
    kit.restart();
    assertThat(metadata(kit)).isEqualTo(new ResourceMetadata(derived, null, "3"));

    // An update keeps it; a new life gets a random one and a creation time.
    kit.<ApplyReply>runCommand(r -> new IsolationClassEntity.Apply(new IsolationClassSpec(IsolationClassSpec.PROVISIONER,
        Map.of(IsolationClassSpec.NB_ENDPOINT, "tcp:127.0.0.9:6641")), "3", r));
    assertThat(metadata(kit)).isEqualTo(new ResourceMetadata(derived, null, "4"));
    kit.<DeleteReply>runCommand(IsolationClassEntity.Delete::new);
    kit.<ApplyReply>runCommand(r -> new IsolationClassEntity.Apply(spec, r));
    ResourceMetadata reborn = metadata(kit);
    assertThat(reborn.uid()).isNotEqualTo(derived);
    assertThat(reborn.creationTimestamp()).isEqualTo(now);
    kit.clear();
  }

  static ResourceMetadata metadata(
      EventSourcedBehaviorTestKit<IsolationClassEntity.Command, IsolationClassEntity.Event, IsolationClassEntity.State> kit) {
    return kit.<IsolationClassEntity.Status>runCommand(IsolationClassEntity.Get::new).reply().metadata();
  }
}
