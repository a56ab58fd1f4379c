package io.dpuvpc.app.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.dpuvpc.persistence.cassandra.CassandraPersistenceConfig;
import io.dpuvpc.persistence.cassandra.CassandraSchema;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;

/**
 * One controller process in the cluster: an actor system with the cluster provider, Artery on the
 * given host and port, the journal on Cassandra, the Cassandra schema created before anything
 * persists, and a shard region for every entity kind ({@link ShardedDirectory}).
 *
 * <p>Start-up order matters: the schema first (the remember-entities store writes to the journal
 * as soon as a shard starts), then sharding, then joining the cluster. A node with no seed nodes
 * forms a new cluster by joining itself; the others join the seeds; in Kubernetes
 * ({@link ClusterBootstrapping}, kubernetes-api) Cluster Bootstrap finds the replicas. A full restart of every node
 * recovers every entity by itself (remember-entities on the journal).
 *
 * <p>{@link #close()} leaves the cluster gracefully (shards are handed off to the other nodes).
 */
public final class ControllerNode implements AutoCloseable {
  /** The cluster name when none is given; every node of one cluster must use the same. */
  public static final String DEFAULT_CLUSTER_NAME = "dpuvpc";
  /** The cluster-wide settings of a controller: {@value}. */
  public static final String RESOURCE = "dpuvpc-cluster.conf";

  private final ActorSystem<Void> system;
  private final ShardedDirectory directory;

  private ControllerNode(ActorSystem<Void> system, ShardedDirectory directory) {
    this.system = system;
    this.directory = directory;
  }

  /**
   * What differs per node: the cluster name, the address it listens on ({@code port} 0: any free
   * port), the seed nodes it joins (empty: it forms a new cluster on its own), how long start-up
   * may wait for the Cassandra schema, and the config that overrides the defaults (journal
   * keyspaces, the Cassandra contact point, timings).
   */
  public record Settings(String clusterName, String host, int port, List<Address> seedNodes,
                         Duration schemaTimeout, Config overrides) {
    public Settings {
      Objects.requireNonNull(clusterName, "clusterName");
      Objects.requireNonNull(host, "host");
      seedNodes = List.copyOf(seedNodes);
      schemaTimeout = schemaTimeout == null ? Duration.ofSeconds(60) : schemaTimeout;
      overrides = overrides == null ? ConfigFactory.empty() : overrides;
    }

    /** A node on loopback at {@code port}, forming a new cluster, with {@code overrides}. */
    public static Settings loopback(String clusterName, int port, Config overrides) {
      return new Settings(clusterName, "127.0.0.1", port, List.of(), null, overrides);
    }

    public Settings withSeedNodes(List<Address> seeds) {
      return new Settings(clusterName, host, port, seeds, schemaTimeout, overrides);
    }
  }

  /** The node's full config: its own settings, then {@value #RESOURCE}, then persistence's. */
  public static Config config(Settings settings) {
    Config own = ConfigFactory.empty()
        .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(settings.host()))
        .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(settings.port()));
    return CassandraPersistenceConfig.load(settings.overrides().withFallback(own)
        .withFallback(ClusterBootstrapping.config(ClusterBootstrapping.mode(settings.overrides(), System.getenv())))
        .withFallback(ConfigFactory.parseResources(ControllerNode.class.getClassLoader(), RESOURCE)));
  }

  /**
   * Starts the node and returns once the schema exists and the shard regions run; joining the
   * cluster goes on in the background (entity messages wait in the regions until it has).
   *
   * @throws IllegalStateException when the schema cannot be created in time (Cassandra down); the
   *     actor system is terminated then
   */
  public static ControllerNode start(Settings settings, Clock clock) {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), settings.clusterName(), config(settings));
    try {
      CassandraSchema.createIfEnabled(system).toCompletableFuture()
          .get(settings.schemaTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      system.terminate();
      throw new IllegalStateException("interrupted while creating the Cassandra schema", e);
    } catch (ExecutionException | TimeoutException e) {
      system.terminate();
      throw new IllegalStateException("could not create the Cassandra schema within " + settings.schemaTimeout().toSeconds() + " s"
          + ": is Cassandra reachable at " + system.settings().config().getList("datastax-java-driver.basic.contact-points")
          .unwrapped() + "? (" + e + ")", e);
    }
    ShardedDirectory directory = ShardedDirectory.init(system, clock);
    Cluster cluster = Cluster.get(system);
    if (ClusterBootstrapping.mode(settings.overrides(), System.getenv()) == ClusterBootstrapping.Mode.KUBERNETES_API) {
      ClusterBootstrapping.start(system);
    } else if (settings.seedNodes().isEmpty()) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    } else {
      cluster.manager().tell(new JoinSeedNodes(settings.seedNodes()));
    }
    return new ControllerNode(system, directory);
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public ShardedDirectory directory() {
    return directory;
  }

  /** The node's cluster address (with the real port when it was started with port 0). */
  public Address address() {
    return Cluster.get(system).selfMember().address();
  }

  public Cluster cluster() {
    return Cluster.get(system);
  }

  /**
   * The ids of the entities of {@code type} running on this node right now, sorted. Asking does
   * not start any entity: it is how one sees what remember-entities restarted by itself.
   */
  public CompletionStage<Set<String>> runningEntityIds(EntityTypeKey<?> type, Duration timeout) {
    CompletionStage<ShardRegion.CurrentShardRegionState> state = AskPattern.ask(
        ClusterSharding.get(system).shardState(), replyTo -> new GetShardRegionState(type, replyTo), timeout,
        system.scheduler());
    return state.thenApply(regions -> {
      Set<String> ids = new TreeSet<>();
      regions.getShards().forEach(shard -> ids.addAll(shard.getEntityIds()));
      return ids;
    });
  }

  /** Leaves the cluster (handing its shards off) and stops the actor system; waits up to a minute. */
  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("actor system " + system.name() + " did not terminate within 60 s", e);
    }
  }
}
