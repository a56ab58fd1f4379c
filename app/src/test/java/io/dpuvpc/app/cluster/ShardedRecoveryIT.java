package io.dpuvpc.app.cluster;

import static io.dpuvpc.app.cluster.ClusterFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import io.dpuvpc.actors.conditions.ConditionStatus;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.entity.ApplyReply;
import io.dpuvpc.actors.entity.DpuNodeEntity;
import io.dpuvpc.actors.entity.DpuServiceInterfaceEntity;
import io.dpuvpc.actors.entity.DpuVirtualNetworkEntity;
import io.dpuvpc.actors.entity.ServiceInterfaceEntity;
import io.dpuvpc.actors.entity.DpuVpcEntity;
import io.dpuvpc.actors.entity.FleetEntity;
import io.dpuvpc.actors.entity.ResourceIndexEntity;
import io.dpuvpc.actors.entity.ResourceMetadata;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.persistence.cassandra.EmbeddedCassandra;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import com.typesafe.config.Config;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.dpuvpc.ovn.lab.OvnCentralExtension;

/**
 * A full restart of a one-node cluster: intent applied through the sharded directory, the actor
 * system terminated, a new one (same cluster name, another port) started on the same Cassandra.
 * Without any message to them, remember-entities starts the entities again; they recover their
 * spec and re-derive their conditions by looking their prerequisites up on their own.
 */
class ShardedRecoveryIT {
  @RegisterExtension
  static final OvnCentralExtension OVN = new OvnCentralExtension();

  private static final String CLUSTER = "recovery";

  private static EmbeddedCassandra cassandra;
  private static CqlSession cql;

  @BeforeAll
  static void startCassandra() {
    cassandra = cassandra();
    cql = cql(cassandra);
  }

  @AfterAll
  static void closeSession() {
    if (cql != null) {
      cql.close();
    }
  }

  @Test
  void afterAFullRestartEveryEntityIsRecoveredAndReverifiedWithoutATrigger() {
    String keyspace = uniqueKeyspace("recovery");
    // Absent entities passivate after 1 s here (10 s by default).
    Config overrides = overrides(cassandra, keyspace, "dpuvpc.entities.forget-absent-after = 1s");
    DpuVpcSpec vpc = vpcSpec("red");
    String vpcId = EntityTypes.entityId(ResourceKey.namespaced(ResourceKind.DPU_VPC, NAMESPACE, "blue"));
    Set<String> networkIds = Set.of("net-a", "net-b").stream()
        .map(n -> EntityTypes.entityId(ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, NAMESPACE, n)))
        .collect(Collectors.toSet());

    long t0 = System.nanoTime();
    ResourceMetadata blueMetadata;
    try (ControllerNode first = ControllerNode.start(ControllerNode.Settings.loopback(CLUSTER, 0, overrides),
        Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> upMembers(first) == 1);
      assertThat(get(applyIsolationClass(first, OVN.central()))).isInstanceOf(ApplyReply.Accepted.class);
      assertThat(get(applyVpc(first, "blue", vpc, ASK))).isEqualTo(new ApplyReply.Accepted(
          ResourceKey.namespaced(ResourceKind.DPU_VPC, NAMESPACE, "blue"), 1, true));
      assertThat(get(applyNetwork(first, "net-a", networkSpec("blue", "10.1.0.0/24"))))
          .isInstanceOf(ApplyReply.Accepted.class);
      assertThat(get(applyNetwork(first, "net-b", networkSpec("blue", "10.2.0.0/24"))))
          .isInstanceOf(ApplyReply.Accepted.class);
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        DpuVpcEntity.Status status = vpcStatus(first, "blue");
        assertThat(status.virtualNetworks()).containsExactly("net-a", "net-b");
        assertThat(condition(status.conditions(), ConditionTypes.PREREQUISITES_READY).status())
            .isEqualTo(ConditionStatus.TRUE);
      });

      // A VPC applied then deleted, and a name only looked up: both passivate, which removes them
      // from remember-entities, so the restart below does not bring them back.
      assertThat(get(applyVpc(first, "gone", vpc, ASK))).isInstanceOf(ApplyReply.Accepted.class);
      assertThat(get(first.directory().vpc(NAMESPACE, "gone").ask(DpuVpcEntity.Delete::new, ASK)))
          .isInstanceOf(io.dpuvpc.actors.entity.DeleteReply.Deleted.class);
      assertThat(vpcStatus(first, "ghost").exists()).isFalse();
      assertThat(running(first, EntityTypes.DPU_VPC)).hasSize(3);
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(running(first, EntityTypes.DPU_VPC)).containsExactly(vpcId));
      blueMetadata = vpcStatus(first, "blue").metadata();
      assertThat(blueMetadata.uid()).isNotNull();
    }
    System.out.println("first node: applied and stopped in " + (System.nanoTime() - t0) / 1_000_000 + " ms");

    // The remember-entities store is in the journal (Cassandra), one persistent actor per shard
    // and one for the coordinator's shards: that is what outlives every node.
    List<String> shardingIds = cql.execute("SELECT DISTINCT persistence_id, partition_nr FROM " + keyspace + ".messages")
        .all().stream().map(row -> row.getString("persistence_id")).filter(id -> id.startsWith("/sharding/")).toList();
    assertThat(shardingIds).anyMatch(id -> id.contains("DPUVPC"))
        .anyMatch(id -> id.contains("DPUVirtualNetwork")).anyMatch(id -> id.contains("IsolationClass"));

    long t1 = System.nanoTime();
    try (ControllerNode second = ControllerNode.start(ControllerNode.Settings.loopback(CLUSTER, 0, overrides),
        Clock.systemUTC())) {
      // Nothing is sent to any entity: only this node's shard regions are asked what runs (and the
      // deleted and the looked-up VPC are not among them).
      await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        assertThat(running(second, EntityTypes.DPU_VPC)).containsExactly(vpcId);
        assertThat(running(second, EntityTypes.DPU_VIRTUAL_NETWORK)).containsExactlyInAnyOrderElementsOf(networkIds);
        assertThat(running(second, EntityTypes.ISOLATION_CLASS)).containsExactly("IsolationClass/" + ISOLATION_CLASS);
        assertThat(running(second, EntityTypes.FLEET)).containsExactly(FleetEntity.ID);
      });
      long restarted = (System.nanoTime() - t1) / 1_000_000;

      // The kinds' indexes are sharded and remembered too, and list what exists (not the deleted
      // VPC) from their journal; the VPC's metadata is what it was.
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(running(second, EntityTypes.RESOURCE_INDEX))
          .contains("DPUVPC", "DPUVirtualNetwork", "IsolationClass"));
      ResourceIndexEntity.Listing vpcs = get(second.directory().index(ResourceKind.DPU_VPC)
          .ask(r -> new ResourceIndexEntity.List(NAMESPACE, r), ASK));
      assertThat(vpcs.keys()).containsExactly(ResourceKey.namespaced(ResourceKind.DPU_VPC, NAMESPACE, "blue"));
      assertThat(vpcStatus(second, "blue").metadata()).isEqualTo(blueMetadata);

      // Recovered intent, and conditions the entities re-derived by themselves: the VPC looked its
      // IsolationClass up again, each network joined its VPC again. GetStatus only reads.
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
        DpuVpcEntity.Status status = vpcStatus(second, "blue");
        assertThat(status.spec()).isEqualTo(vpc);
        assertThat(status.generation()).isEqualTo(1);
        assertThat(status.virtualNetworks()).containsExactly("net-a", "net-b");
        assertThat(condition(status.conditions(), ConditionTypes.PREREQUISITES_READY).status())
            .isEqualTo(ConditionStatus.TRUE);
        assertThat(condition(status.conditions(), ConditionTypes.DPU_VPC_RECONCILED).status())
            .isEqualTo(ConditionStatus.TRUE);
        for (String network : List.of("net-a", "net-b")) {
          DpuVirtualNetworkEntity.Status net = networkStatus(second, network);
          assertThat(net.generation()).isEqualTo(1);
          assertThat(net.spec().vpcName()).isEqualTo("blue");
          assertThat(condition(net.conditions(), ConditionTypes.PREREQUISITES_READY).status())
              .isEqualTo(ConditionStatus.TRUE);
          assertThat(condition(net.conditions(), ConditionTypes.DPU_VIRTUAL_NETWORK_RECONCILED).status())
              .isEqualTo(ConditionStatus.TRUE);
        }
      });
      System.out.println("second node: entities running again after " + restarted + " ms, verified after "
          + (System.nanoTime() - t1) / 1_000_000 + " ms");

      // Every other kind answers through the directory under its own resource key (nothing applied
      // to them here), and the fleet knows the VPC's nodeSelector.
      assertThat(get(second.directory().node("dpu-1").ask(DpuNodeEntity.GetStatus::new, ASK)).key())
          .isEqualTo(ResourceKey.clusterScoped(ResourceKind.DPU_NODE, "dpu-1"));
      assertThat(get(second.directory().serviceInterface(NAMESPACE, "si-1")
          .ask(ServiceInterfaceEntity.GetStatus::new, ASK)).key())
          .isEqualTo(ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, NAMESPACE, "si-1"));
      assertThat(get(second.directory().dpuServiceInterface(NAMESPACE, "dsi-1")
          .ask(DpuServiceInterfaceEntity.GetStatus::new, ASK)).key())
          .isEqualTo(ResourceKey.namespaced(ResourceKind.DPU_SERVICE_INTERFACE, NAMESPACE, "dsi-1"));
      assertThat(get(second.directory().fleet().ask(FleetEntity.GetClaims::new, ASK)).nodesByVpc())
          .containsKey(vpcId);

      // Still writable after the restart: the next generation follows the recovered one.
      assertThat(get(applyVpc(second, "blue", new DpuVpcSpec("red", ISOLATION_CLASS, false, vpc.nodeSelector()), ASK)))
          .isEqualTo(new ApplyReply.Accepted(ResourceKey.namespaced(ResourceKind.DPU_VPC, NAMESPACE, "blue"), 2, true));
    }
  }
}
