package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import io.dpuvpc.actors.model.TemplateMetadata;
import io.dpuvpc.actors.validation.FieldError;
import java.time.Clock;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Command by command, the reply, the events and the state of the ServiceInterface entity, with
 * Pekko's {@code EventSourcedBehaviorTestKit}; its neighbours are dead letters (what it derives
 * from them is covered by ServiceInterfaceEntityTest and NorthboundPublishingTest).
 */
class ServiceInterfaceCommandPathsTest {
  static ActorTestKit testKit;
  EventSourcedBehaviorTestKit<ServiceInterfaceEntity.Command, ServiceInterfaceEntity.Event, ServiceInterfaceEntity.State> kit;

  static final ResourceKey KEY = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "default", "si");

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.parseString(
        "pekko.actor.serialization-bindings { \"io.dpuvpc.actors.CborSerializable\" = jackson-cbor }")));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @AfterEach
  void clear() {
    if (kit != null) {
      kit.clear();
    }
  }

  static ServiceInterfaceTemplate vf(String node, String network, Map<String, String> annotations) {
    return new ServiceInterfaceTemplate(TemplateMetadata.annotated(annotations),
        ServiceInterfaceSpec.vf(0, 2, network).withNode(node));
  }

  @Test
  void everyCommandPath() {
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), ServiceInterfaceEntity.create("default", "si",
        new DeadLetterDirectory(testKit.system()), Clock.systemUTC()));

    var missing = kit.<DeleteReply>runCommand(ServiceInterfaceEntity.Delete::new);
    assertThat(missing.reply()).isEqualTo(new DeleteReply.NotFound(KEY));
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
    assertThat(created.reply()).isEqualTo(new ApplyReply.Accepted(KEY, 1, true));
    assertThat(created.events()).containsExactly(new ServiceInterfaceEntity.Applied(first, 1));
    assertThat(created.state()).isEqualTo(new ServiceInterfaceEntity.State(first, 1));

    var same = kit.<ApplyReply>runCommand(r -> new ServiceInterfaceEntity.Apply(first, r));
    assertThat(same.reply()).isEqualTo(new ApplyReply.Accepted(KEY, 1, false));
    assertThat(same.hasNoEvents()).isTrue();

    ServiceInterfaceTemplate moved = vf("dpu-1", "other-net", Map.of("ovn.vpc.dpu.nvidia.com/unknown-mac", "true"));
    var changed = kit.<ApplyReply>runCommand(r -> new ServiceInterfaceEntity.Apply(moved, r));
    assertThat(changed.reply()).isEqualTo(new ApplyReply.Accepted(KEY, 2, true));
    assertThat(changed.events()).containsExactly(new ServiceInterfaceEntity.Applied(moved, 2));

    // Observations change what GetStatus derives, never the journal.
    assertThat(kit.runCommand(new ServiceInterfaceEntity.PortObserved(true, "02:00:00:00:00:01")).hasNoEvents()).isTrue();
    assertThat(kit.runCommand(new ServiceInterfaceEntity.NetworkDeleted(
        ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, "default", "other-net"))).hasNoEvents()).isTrue();
    var status = kit.<ServiceInterfaceEntity.Status>runCommand(ServiceInterfaceEntity.GetStatus::new);
    assertThat(status.hasNoEvents()).isTrue();
    assertThat(status.reply().serviceInterface()).isEqualTo(moved);
    assertThat(status.reply().generation()).isEqualTo(2);

    var deleted = kit.<DeleteReply>runCommand(ServiceInterfaceEntity.Delete::new);
    assertThat(deleted.reply()).isEqualTo(new DeleteReply.Deleted(KEY));
    assertThat(deleted.events()).containsExactly(new ServiceInterfaceEntity.Deleted(2));
    assertThat(deleted.state()).isEqualTo(new ServiceInterfaceEntity.State(null, 2));

    var recreated = kit.<ApplyReply>runCommand(r -> new ServiceInterfaceEntity.Apply(first, r));
    assertThat(recreated.reply()).isEqualTo(new ApplyReply.Accepted(KEY, 3, true));

    // The journal alone brings the state back.
    kit.restart();
    assertThat(kit.getState()).isEqualTo(new ServiceInterfaceEntity.State(first, 3));
  }
}
