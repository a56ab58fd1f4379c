package io.dpuvpc.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dpuvpc.actors.entity.DpuNodeEntity;
import io.dpuvpc.actors.entity.ResourceMetadata;
import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.actors.model.NodePortStatus;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code /nodes/{name}} shows of a node its agent reported, the Southbound and port observations
 * included, and why a node is not ready.
 */
class NodeJsonTest {
  @Test
  void theStatusShowsTheChassisOffloadAndEachPort() {
    Instant at = Instant.parse("2026-11-26T12:00:00Z");
    DpuNode node = new DpuNode("dpu-a", Map.of("rack", "r1"), "dpu-a", "10.0.100.1", "172.16.0.10/24", "172.16.0.1",
        true, at, true, true, List.of(new NodePortStatus("default_si-a", "pf0vf1", "02:00:00:00:00:01", true, true),
            new NodePortStatus("default_si-b", "pf0vf2", null, false, false),
            new NodePortStatus("default_si-c", "ovs-cni:my-sf", "0e:00:00:00:00:09", true, true, "02:aa:00:00:00:01", true)));
    JsonNode json = ControllerInfoService.nodeJson(new DpuNodeEntity.Status(
        ResourceKey.clusterScoped(ResourceKind.DPU_NODE, "dpu-a"), node, 2, new ResourceMetadata("u-1", at, "2")));

    JsonNode status = json.get("status");
    assertThat(status.get("chassis").asText()).isEqualTo("dpu-a");
    assertThat(status.get("chassisRegistered").asBoolean()).isTrue();
    assertThat(status.get("hwOffload").asBoolean()).isTrue();
    assertThat(status.get("ports").toString()).isEqualTo("["
        + "{\"logicalPort\":\"default_si-a\",\"representor\":\"pf0vf1\",\"mac\":\"02:00:00:00:00:01\",\"bound\":true,\"up\":true,"
        + "\"hostMac\":null,\"macMismatch\":false},"
        + "{\"logicalPort\":\"default_si-b\",\"representor\":\"pf0vf2\",\"mac\":null,\"bound\":false,\"up\":false,"
        + "\"hostMac\":null,\"macMismatch\":false},"
        + "{\"logicalPort\":\"default_si-c\",\"representor\":\"ovs-cni:my-sf\",\"mac\":\"0e:00:00:00:00:09\",\"bound\":true,"
        + "\"up\":true,\"hostMac\":\"02:aa:00:00:00:01\",\"macMismatch\":true}]");
    assertThat(status.get("ready").asBoolean()).isTrue();
    assertThat(status.get("reason").isNull()).isTrue();
  }

  @Test
  void aNodeNotReadySaysWhy() {
    DpuNode node = new DpuNode("dpu-a", Map.of(), "dpu-a", "10.0.100.1", null, null, false, null);
    JsonNode status = ControllerInfoService.nodeJson(new DpuNodeEntity.Status(
        ResourceKey.clusterScoped(ResourceKind.DPU_NODE, "dpu-a"), node, 1, ResourceMetadata.NONE,
        new DpuNodeEntity.NotReady(DpuNodeEntity.AGENT_SILENT, "no report from its agent for 9 s"))).get("status");
    assertThat(status.get("ready").asBoolean()).isFalse();
    assertThat(status.get("reason").asText()).isEqualTo("AgentSilent");
    assertThat(status.get("message").asText()).isEqualTo("no report from its agent for 9 s");
  }
}
