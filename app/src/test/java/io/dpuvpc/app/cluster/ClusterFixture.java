package io.dpuvpc.app.cluster;

import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.dpuvpc.actors.conditions.Condition;
import io.dpuvpc.actors.entity.ApplyReply;
import io.dpuvpc.actors.entity.DpuVirtualNetworkEntity;
import io.dpuvpc.actors.entity.DpuVpcEntity;
import io.dpuvpc.actors.entity.IsolationClassEntity;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.ovn.lab.OvnCentral;
import io.dpuvpc.persistence.cassandra.EmbeddedCassandra;
import io.dpuvpc.persistence.cassandra.SharedCassandra;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * What the cluster tests share: the real Cassandra of this JVM, a journal keyspace of their own,
 * the specs they apply, and asks through a node's sharded directory.
 */
final class ClusterFixture {
  static final Duration ASK = Duration.ofSeconds(15);
  static final String NAMESPACE = "tenant-a";
  static final String ISOLATION_CLASS = "ovn";

  private ClusterFixture() {}

  static EmbeddedCassandra cassandra() {
    return SharedCassandra.get();
  }

  static CqlSession cql(EmbeddedCassandra cassandra) {
    return CqlSession.builder().addContactPoint(cassandra.contactPoint())
        .withLocalDatacenter(EmbeddedCassandra.LOCAL_DATACENTER).build();
  }

  static String uniqueKeyspace(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  /** The Cassandra contact point and this test's own keyspaces, plus {@code extra}. */
  static Config overrides(EmbeddedCassandra cassandra, String keyspace, String extra) {
    return ConfigFactory.parseString(extra + "\n"
            + "pekko.persistence.cassandra.journal.keyspace = " + keyspace + "\n"
            + "pekko.persistence.cassandra.snapshot.keyspace = " + keyspace + "_snapshot\n")
        .withFallback(ConfigFactory.parseString(cassandra.driverConfig()));
  }

  /** The class every test VPC uses, on the test class's real OVN Northbound. */
  static IsolationClassSpec isolationClassSpec(OvnCentral ovn) {
    return new IsolationClassSpec(IsolationClassSpec.PROVISIONER,
        Map.of(IsolationClassSpec.NB_ENDPOINT, ovn.nbTcpEndpoint(), IsolationClassSpec.NB_RECONNECT_TIME, "1"));
  }

  static DpuVpcSpec vpcSpec(String tenant) {
    return new DpuVpcSpec(tenant, ISOLATION_CLASS, true, LabelSelector.EVERYTHING);
  }

  static DpuVirtualNetworkSpec networkSpec(String vpc, String subnet) {
    return DpuVirtualNetworkSpec.bridged(vpc, false, new DpuVirtualNetworkSpec.Ipv4Ipam(true, subnet, List.of()));
  }

  static CompletionStage<ApplyReply> applyIsolationClass(ControllerNode node, OvnCentral ovn) {
    return node.directory().isolationClass(ISOLATION_CLASS)
        .ask(replyTo -> new IsolationClassEntity.Apply(isolationClassSpec(ovn), replyTo), ASK);
  }

  static CompletionStage<ApplyReply> applyVpc(ControllerNode node, String name, DpuVpcSpec spec, Duration timeout) {
    return node.directory().vpc(NAMESPACE, name).ask(replyTo -> new DpuVpcEntity.Apply(spec, replyTo), timeout);
  }

  static CompletionStage<ApplyReply> applyNetwork(ControllerNode node, String name, DpuVirtualNetworkSpec spec) {
    return node.directory().network(NAMESPACE, name)
        .ask(replyTo -> new DpuVirtualNetworkEntity.Apply(spec, replyTo), ASK);
  }

  static DpuVpcEntity.Status vpcStatus(ControllerNode node, String name) {
    return get(node.directory().vpc(NAMESPACE, name).ask(DpuVpcEntity.GetStatus::new, ASK));
  }

  static DpuVirtualNetworkEntity.Status networkStatus(ControllerNode node, String name) {
    return get(node.directory().network(NAMESPACE, name).ask(DpuVirtualNetworkEntity.GetStatus::new, ASK));
  }

  static Condition condition(io.dpuvpc.actors.conditions.Conditions conditions, String type) {
    return conditions.get(type).orElseThrow(() -> new AssertionError("no condition " + type + " in " + conditions));
  }

  static Set<String> running(ControllerNode node, EntityTypeKey<?> type) {
    return get(node.runningEntityIds(type, ASK));
  }

  static Set<String> running(List<ControllerNode> nodes, EntityTypeKey<?> type) {
    Set<String> all = new TreeSet<>();
    nodes.forEach(node -> all.addAll(running(node, type)));
    return all;
  }

  static long upMembers(ControllerNode node) {
    return java.util.stream.StreamSupport.stream(node.cluster().state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up()).count();
  }

  static long members(ControllerNode node) {
    return java.util.stream.StreamSupport.stream(node.cluster().state().getMembers().spliterator(), false).count();
  }

  static <T> T get(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(ASK.toSeconds() + 5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
