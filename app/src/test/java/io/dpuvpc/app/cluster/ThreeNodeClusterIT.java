package io.dpuvpc.app.cluster;

import static io.dpuvpc.app.cluster.ClusterFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.dpuvpc.actors.conditions.ConditionStatus;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.entity.ApplyReply;
import io.dpuvpc.actors.entity.DpuVirtualNetworkEntity;
import io.dpuvpc.actors.entity.DpuVpcEntity;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.persistence.cassandra.EmbeddedCassandra;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.dpuvpc.ovn.lab.OvnCentralExtension;

/**
 * Three controller nodes on loopback form one cluster over the shared real Cassandra. About 200
 * DPUVPCs and some networks are applied through different nodes; while applies go on, one node
 * crashes (its actor system stops without leaving the cluster, so nothing is handed off) and the
 * split brain resolver downs it. Its entities start on the two others by remember-entities,
 * without a message to them, with their state: every acknowledged apply is there.
 */
class ThreeNodeClusterIT {
  @RegisterExtension
  static final OvnCentralExtension OVN = new OvnCentralExtension();

  private static final String CLUSTER = "three";
  private static final int VPCS_BEFORE = 150;
  private static final int VPCS_DURING = 50;
  private static final int NETWORKS = 30;

  private static EmbeddedCassandra cassandra;
  private final List<ControllerNode> started = new ArrayList<>();

  @BeforeAll
  static void startCassandra() {
    cassandra = cassandra();
  }

  @AfterEach
  void stopNodes() {
    started.forEach(node -> {
      try {
        node.close();
      } catch (RuntimeException e) {
        System.out.println("stopping " + node.system().name() + ": " + e);
      }
    });
  }

  private ControllerNode start(Config overrides, List<org.apache.pekko.actor.Address> seeds) {
    ControllerNode node = ControllerNode.start(
        ControllerNode.Settings.loopback(CLUSTER, 0, overrides).withSeedNodes(seeds), Clock.systemUTC());
    started.add(node);
    return node;
  }

  /**
   * An apply asked again after a timeout, as a client does (applying the same spec twice is
   * idempotent). While the third node joins, the coordinator hands shards off to it, and a region
   * drops the messages it buffered for a shard in hand-off (Pekko keeps their order that way): on
   * a loaded machine those asks time out though nothing is wrong.
   */
  private static CompletableFuture<ApplyReply> retried(java.util.function.Supplier<java.util.concurrent.CompletionStage<ApplyReply>> apply) {
    CompletableFuture<ApplyReply> result = new CompletableFuture<>();
    attempt(apply, 3, result);
    return result;
  }

  private static void attempt(java.util.function.Supplier<java.util.concurrent.CompletionStage<ApplyReply>> apply, int left,
      CompletableFuture<ApplyReply> result) {
    apply.get().whenComplete((reply, failure) -> {
      if (failure == null) {
        result.complete(reply);
      } else if (left > 1 && (failure instanceof java.util.concurrent.TimeoutException
          || failure.getCause() instanceof java.util.concurrent.TimeoutException)) {
        System.out.println("an apply timed out, asking again: " + failure);
        attempt(apply, left - 1, result);
      } else {
        result.completeExceptionally(failure);
      }
    });
  }

  @Test
  void theEntitiesOfACrashedNodeComeBackOnTheOthersWithEveryAcknowledgedApply() throws Exception {
    long t0 = System.nanoTime();
    Config overrides = overrides(cassandra, uniqueKeyspace("three"), """
        pekko.cluster.split-brain-resolver.stable-after = 3s
        pekko.cluster.failure-detector.heartbeat-interval = 500ms
        pekko.cluster.failure-detector.acceptable-heartbeat-pause = 2s
        """);
    // The node that crashes: terminating its actor system does not run coordinated shutdown, so it
    // neither leaves the cluster nor hands its shards off; the others just stop hearing from it.
    Config crashing = ConfigFactory.parseString("pekko.coordinated-shutdown.run-by-actor-system-terminate = off")
        .withFallback(overrides);
    ControllerNode node1 = start(overrides, List.of());
    ControllerNode node2 = start(overrides, List.of(node1.address()));
    ControllerNode node3 = start(crashing, List.of(node1.address()));
    List<ControllerNode> nodes = List.of(node1, node2, node3);
    await().atMost(Duration.ofSeconds(30)).until(() -> nodes.stream().allMatch(n -> upMembers(n) == 3));
    System.out.println("cluster of 3 up after " + ms(t0) + " ms");

    assertThat(get(applyIsolationClass(node1, OVN.central()))).isInstanceOf(ApplyReply.Accepted.class);
    Map<String, DpuVpcSpec> acknowledgedVpcs = new ConcurrentHashMap<>();
    Map<String, DpuVirtualNetworkSpec> acknowledgedNetworks = new ConcurrentHashMap<>();

    // Before the crash: VPCs and networks through all three nodes, all in flight at once.
    long t1 = System.nanoTime();
    List<CompletableFuture<?>> applies = new ArrayList<>();
    for (int i = 0; i < VPCS_BEFORE; i++) {
      String name = vpcName(i);
      DpuVpcSpec spec = vpcSpec("tenant-" + i);
      ControllerNode via = nodes.get(i % 3);
      applies.add(retried(() -> applyVpc(via, name, spec, ASK))
          .thenAccept(reply -> acknowledge(reply, name, spec, acknowledgedVpcs)));
    }
    for (int i = 0; i < NETWORKS; i++) {
      String name = "net-" + i;
      DpuVirtualNetworkSpec spec = networkSpec(vpcName(i), "10." + i + ".0.0/24");
      ControllerNode via = nodes.get((i + 1) % 3);
      applies.add(retried(() -> applyNetwork(via, name, spec))
          .thenAccept(reply -> acknowledge(reply, name, spec, acknowledgedNetworks)));
    }
    CompletableFuture.allOf(applies.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    assertThat(acknowledgedVpcs).hasSize(VPCS_BEFORE);
    assertThat(acknowledgedNetworks).hasSize(NETWORKS);
    System.out.println(VPCS_BEFORE + " VPCs and " + NETWORKS + " networks applied in " + ms(t1) + " ms");

    Set<String> onNode3 = new TreeSet<>(running(node3, EntityTypes.DPU_VPC));
    onNode3.addAll(running(node3, EntityTypes.DPU_VIRTUAL_NETWORK));
    System.out.println("node 3 runs " + onNode3.size() + " of the VPCs and networks");
    assertThat(onNode3).as("the shards are spread over the three nodes").hasSizeGreaterThan(10);

    // During the crash: more VPCs through the surviving nodes, a few in flight at a time; an
    // apply that times out is not acknowledged and is applied again afterwards.
    Map<String, DpuVpcSpec> unacknowledged = new ConcurrentHashMap<>();
    CountDownLatch someAcknowledged = new CountDownLatch(10);
    Semaphore inFlight = new Semaphore(5);
    List<CompletableFuture<?>> during = new ArrayList<>();
    Thread applier = new Thread(() -> {
      for (int i = VPCS_BEFORE; i < VPCS_BEFORE + VPCS_DURING; i++) {
        String name = vpcName(i);
        DpuVpcSpec spec = vpcSpec("tenant-" + i);
        inFlight.acquireUninterruptibly();
        during.add(applyVpc(nodes.get(i % 2), name, spec, Duration.ofSeconds(5)).toCompletableFuture()
            .handle((reply, failure) -> {
              if (failure == null) {
                acknowledge(reply, name, spec, acknowledgedVpcs);
                someAcknowledged.countDown();
              } else {
                unacknowledged.put(name, spec);
              }
              inFlight.release();
              return null;
            }));
      }
    }, "applier");
    applier.start();
    assertThat(someAcknowledged.await(30, TimeUnit.SECONDS)).isTrue();

    long crash = System.nanoTime();
    node3.system().terminate();
    node3.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    started.remove(node3);
    System.out.println("node 3 crashed (stopped in " + ms(crash) + " ms) after " + acknowledgedVpcs.size()
        + " acknowledged VPC applies");

    List<ControllerNode> survivors = List.of(node1, node2);
    await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
        .until(() -> survivors.stream().allMatch(n -> members(n) == 2 && upMembers(n) == 2));
    System.out.println("node 3 downed and removed " + ms(crash) + " ms after the crash");

    // Remember-entities: node 3's entities run on the survivors again, though no one asked them.
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      Set<String> running = running(survivors, EntityTypes.DPU_VPC);
      running.addAll(running(survivors, EntityTypes.DPU_VIRTUAL_NETWORK));
      assertThat(running).containsAll(onNode3);
    });
    System.out.println("node 3's " + onNode3.size() + " entities running on the survivors " + ms(crash)
        + " ms after the crash");

    applier.join(120_000);
    CompletableFuture.allOf(during.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    // What was not acknowledged is applied again (idempotent), now that the shards have moved.
    System.out.println(unacknowledged.size() + " applies were not acknowledged during the crash");
    for (Map.Entry<String, DpuVpcSpec> retry : unacknowledged.entrySet()) {
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
        acknowledge(get(applyVpc(node1, retry.getKey(), retry.getValue(), Duration.ofSeconds(5))), retry.getKey(),
            retry.getValue(), acknowledgedVpcs);
        return true;
      });
    }
    assertThat(acknowledgedVpcs).hasSize(VPCS_BEFORE + VPCS_DURING);

    // Every acknowledged apply is there, asked through either survivor.
    long t2 = System.nanoTime();
    List<CompletableFuture<DpuVpcEntity.Status>> vpcs = new ArrayList<>();
    acknowledgedVpcs.keySet().stream().sorted().forEach(name -> vpcs.add(survivors.get(name.hashCode() & 1)
        .directory().vpc(NAMESPACE, name).ask(DpuVpcEntity.GetStatus::new, ASK).toCompletableFuture()));
    CompletableFuture.allOf(vpcs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    for (CompletableFuture<DpuVpcEntity.Status> future : vpcs) {
      DpuVpcEntity.Status status = future.get();
      assertThat(status.spec()).as(status.key().toString()).isEqualTo(acknowledgedVpcs.get(status.key().name()));
      assertThat(status.generation()).as(status.key().toString()).isEqualTo(1);
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      for (int i = 0; i < NETWORKS; i++) {
        String name = "net-" + i;
        DpuVirtualNetworkEntity.Status net = networkStatus(node2, name);
        assertThat(net.spec()).isEqualTo(acknowledgedNetworks.get(name));
        assertThat(condition(net.conditions(), ConditionTypes.DPU_VIRTUAL_NETWORK_RECONCILED).status())
            .as(name).isEqualTo(ConditionStatus.TRUE);
        DpuVpcEntity.Status vpc = vpcStatus(node1, vpcName(i));
        assertThat(vpc.virtualNetworks()).containsExactly(name);
        assertThat(condition(vpc.conditions(), ConditionTypes.PREREQUISITES_READY).status())
            .as(vpc.key().toString()).isEqualTo(ConditionStatus.TRUE);
      }
    });
    System.out.println("all " + acknowledgedVpcs.size() + " VPCs and " + NETWORKS + " networks verified in " + ms(t2)
        + " ms; whole test " + ms(t0) + " ms");
  }

  private static <S> void acknowledge(ApplyReply reply, String name, S spec, Map<String, S> acknowledged) {
    if (!(reply instanceof ApplyReply.Accepted)) {
      throw new AssertionError(name + ": " + reply);
    }
    acknowledged.put(name, spec);
  }

  private static String vpcName(int i) {
    return String.format("vpc-%03d", i);
  }

  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }
}
