package io.dpuvpc.app.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.dpuvpc.node.NodeAgent;
import io.dpuvpc.node.NodeAgentSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.JoinSeedNodes;

/**
 * A node agent's process ({@code vpc node}): a member of the controllers' Pekko cluster with the
 * role {@value EntityTypes#DPU_ROLE}, running one {@link NodeAgent}. It hosts no entity (every
 * entity type is restricted to {@value EntityTypes#CONTROLLER_ROLE}); its {@link ShardedDirectory#proxy}
 * routes the agent's reports and questions to its DPU node entity wherever that runs, so a
 * controller that moves or restarts needs nothing from the agent but the next heartbeat.
 *
 * <p>It needs no journal: the agent's state is the local OVS database and what the controllers
 * tell it. Killing it changes nothing on the datapath (ports stay plugged); the next start
 * converges again.
 */
public final class NodeProcess implements AutoCloseable {
  /**
   * @param clusterName the controllers' cluster name
   * @param host        the address the controllers reach this member at
   * @param port        its Artery port; 0 picks a free one
   * @param seedNodes   the controllers to join ({@code pekko://dpuvpc@10.0.0.1:25520}); never empty:
   *                    a DPU never forms a cluster of its own
   */
  public record Settings(String clusterName, String host, int port, List<String> seedNodes, NodeAgentSettings agent) {
    public Settings {
      seedNodes = List.copyOf(seedNodes);
      if (seedNodes.isEmpty()) {
        throw new IllegalArgumentException("a node agent needs at least one controller to join (--seed)");
      }
      for (String seed : seedNodes) {
        try {
          AddressFromURIString.parse(seed);
        } catch (Exception e) { // Scala throws the checked MalformedURLException undeclared
          throw new IllegalArgumentException("seed node " + seed + " is not a cluster address like pekko://"
              + ControllerNode.DEFAULT_CLUSTER_NAME + "@10.0.0.1:25520");
        }
      }
    }
  }

  private final ActorSystem<Void> system;
  private final ActorRef<NodeAgent.Command> agent;

  private NodeProcess(ActorSystem<Void> system, ActorRef<NodeAgent.Command> agent) {
    this.system = system;
    this.agent = agent;
  }

  /** The member's config: its own address and role, then the cluster's settings, then Jackson CBOR for the messages. */
  static Config config(Settings settings) {
    return memberConfig(settings.host(), settings.port());
  }

  /**
   * The config of a member with the role {@value EntityTypes#DPU_ROLE} at {@code host:port} (0: a
   * free port): a node agent's, or the fleet simulator's, which speaks for many DPUs.
   */
  public static Config memberConfig(String host, int port) {
    Config own = ConfigFactory.empty()
        .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(host))
        .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port))
        .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(List.of(EntityTypes.DPU_ROLE)))
        // The demo and the tests run several members in one JVM: each registers its own MBean.
        .withValue("pekko.cluster.jmx.multi-mbeans-in-same-jvm", ConfigValueFactory.fromAnyRef(true));
    return own
        .withFallback(ConfigFactory.parseResources(NodeProcess.class.getClassLoader(), ControllerNode.RESOURCE))
        .withFallback(ConfigFactory.parseString(
            "pekko.actor.serialization-bindings { \"io.dpuvpc.actors.CborSerializable\" = jackson-cbor }"))
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  /** Starts the member and its agent; joining the cluster goes on in the background (the agent's messages wait). */
  public static NodeProcess start(Settings settings) {
    return start(settings, ConfigFactory.empty());
  }

  /** As {@link #start(Settings)}, with {@code overrides} over the member's config (tests: failure detection, crashes). */
  static NodeProcess start(Settings settings, Config overrides) {
    CompletableFuture<ActorRef<NodeAgent.Command>> agent = new CompletableFuture<>();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
      agent.complete(ctx.spawn(NodeAgent.create(settings.agent(), ShardedDirectory.proxy(ctx.getSystem())), "agent"));
      return Behaviors.empty();
    }), settings.clusterName(), overrides.withFallback(config(settings)).resolve());
    List<Address> seeds = settings.seedNodes().stream().map(AddressFromURIString::parse).toList();
    Cluster.get(system).manager().tell(new JoinSeedNodes(seeds));
    try {
      return new NodeProcess(system, agent.get(30, TimeUnit.SECONDS));
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("the node agent of " + settings.agent().nodeName() + " did not start: " + e, e);
    }
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public ActorRef<NodeAgent.Command> agent() {
    return agent;
  }

  /** This member's cluster address (with the real port when started with port 0). */
  public Address address() {
    return Cluster.get(system).selfMember().address();
  }

  /** Blocks until the actor system ends (downed by the cluster, or closed). */
  public void awaitTermination() {
    system.getWhenTerminated().toCompletableFuture().join();
  }

  /** Leaves the cluster gracefully; the agent stops, the datapath keeps its ports. */
  @Override
  public void close() {
    CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
    system.getWhenTerminated().toCompletableFuture().orTimeout(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS)
        .exceptionally(e -> null).join();
  }
}
