package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import io.dpuvpc.actors.model.TemplateMetadata;
import io.dpuvpc.actors.validation.FieldError;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the fleet, node, ServiceInterface and DPUServiceInterface entities write to the journal
 * (events, and states for snapshots) and the fleet's answers round-trip through Jackson CBOR, the
 * serializer Cassandra's journal uses; the entity tests cover the commands (serialize-messages).
 */
class EntityEventsSerializationTest {
  @RegisterExtension
  final EntityHarness h = new EntityHarness();

  @Test
  void eventsStatesAndAnswersRoundTrip() {
    LabelSelector selector = LabelSelector.of(Map.of("role", "worker"), LabelSelector.Requirement.notIn("zone", "b"));
    ResourceKey dsi = ResourceKey.namespaced(ResourceKind.DPU_SERVICE_INTERFACE, "default", "pf0");
    ServiceInterfaceTemplate si = new ServiceInterfaceTemplate(TemplateMetadata.annotated(Map.of("a", "b")),
        ServiceInterfaceSpec.vf(0, 1, "net").withNode("dpu-1"));
    List<Object> values = List.of(
        new FleetEntity.NodeLabelled("dpu-1", Map.of("role", "worker")),
        new FleetEntity.NodeForgotten("dpu-1"),
        new FleetEntity.VpcRegistered("DPUVPC/default/red", selector),
        new FleetEntity.VpcUnregistered("DPUVPC/default/red"),
        new FleetEntity.WatchStarted(dsi.toString(), selector),
        new FleetEntity.WatchStopped(dsi.toString()),
        new FleetEntity.State(Map.of("dpu-1", Map.of("role", "worker")), Map.of("DPUVPC/default/red", selector),
            Map.of(dsi.toString(), LabelSelector.EVERYTHING)),
        new FleetEntity.Claims(Map.of("DPUVPC/default/red", Set.of("dpu-1")),
            List.of(new FieldError("spec.nodeSelector", "NodeInSeveralVPCs", "m"))),
        new DpuNodeEntity.Recorded(new DpuNode("dpu-1", Map.of("a", "b"), "c", "10.0.0.1", "172.16.0.2/24", "172.16.0.1",
            false, null), 2),
        new DpuNodeEntity.Deleted(2),
        new ServiceInterfaceEntity.Applied(si, 1),
        new ServiceInterfaceEntity.State(si, 1),
        new DpuServiceInterfaceEntity.Applied(DpuServiceInterfaceEntityTest.workers("net"), 1),
        new DpuServiceInterfaceEntity.ChildrenChosen(Map.of("dpu-1", "pf0-dpu-1")),
        new DpuServiceInterfaceEntity.State(DpuServiceInterfaceEntityTest.workers("net"), 1, Map.of("dpu-1", "pf0-dpu-1")),
        // What creation records, what the index persists and answers, and the metadata and conflicts.
        new ServiceInterfaceEntity.Applied(si, 1, "0b9c0ad4-5d36-4a55-9d7b-9d0bc3a1e2f1", Instant.parse("2026-01-01T00:00:00Z")),
        new ServiceInterfaceEntity.State(si, 1, "0b9c0ad4-5d36-4a55-9d7b-9d0bc3a1e2f1", Instant.parse("2026-01-01T00:00:00Z")),
        new ResourceIndexEntity.Added(dsi),
        new ResourceIndexEntity.Removed(dsi),
        new ResourceIndexEntity.State(List.of(dsi.toString(), "DPUServiceInterface/default/pf1")),
        new ResourceIndexEntity.Listing(ResourceKind.DPU_SERVICE_INTERFACE, "default", List.of(dsi), dsi),
        new ResourceMetadata("0b9c0ad4-5d36-4a55-9d7b-9d0bc3a1e2f1", Instant.parse("2026-01-01T00:00:00Z"), "7"),
        new ApplyReply.Conflict(dsi, "6", "7"),
        new ApplyReply.Conflict(dsi, "6", null),
        new DeleteReply.Conflict(dsi, "6", "7"));
    SerializationTestKit serialization = h.testKit.serializationTestKit();
    for (Object value : values) {
      assertThat(serialization.verifySerialization(value, true)).isEqualTo(value);
    }
  }
}
