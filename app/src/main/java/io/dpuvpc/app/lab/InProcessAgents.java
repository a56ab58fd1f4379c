package io.dpuvpc.app.lab;

import io.dpuvpc.actors.entity.EntityDirectory;
import io.dpuvpc.node.NodeAgent;
import io.dpuvpc.node.NodeAgentSettings;
import io.dpuvpc.ovn.lab.OvnLabException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The node agents of a lab's DPUs run inside a controller's actor system rather than one process
 * per DPU: they talk to their DPU node entities through the same {@link EntityDirectory} a remote
 * agent would reach, and to each chassis' own OVS database. Each agent lives under a parent
 * system actor, because a system actor cannot be stopped from outside while its child can.
 */
public final class InProcessAgents implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  /** Stops an agent's parent, and with it the agent. */
  enum Stop { STOP }

  private record Running(ActorRef<Stop> parent, ActorRef<NodeAgent.Command> agent, CompletableFuture<Void> stopped) {}

  private final ActorSystem<?> system;
  private final EntityDirectory directory;
  private final Map<String, Running> running = new LinkedHashMap<>();
  private int started;

  private InProcessAgents(ActorSystem<?> system, EntityDirectory directory) {
    this.system = system;
    this.directory = directory;
  }

  /** One agent per DPU of {@code fleet}, each with the labels {@code labels} gives its DPU. */
  public static InProcessAgents start(ActorSystem<?> system, EntityDirectory directory, LabFleet fleet,
      Function<String, Map<String, String>> labels, Duration heartbeat) {
    return start(system, directory, fleet.dpus().stream()
        .map(dpu -> fleet.agentSettings(dpu, labels.apply(dpu), heartbeat)).toList());
  }

  /** One agent per settings, under a parent named {@code node-agent-<node>-<n>} in {@code system}. */
  public static InProcessAgents start(ActorSystem<?> system, EntityDirectory directory, List<NodeAgentSettings> settings) {
    InProcessAgents agents = new InProcessAgents(system, directory);
    try {
      settings.forEach(agents::spawn);
    } catch (RuntimeException e) {
      agents.close();
      throw e;
    }
    return agents;
  }

  /**
   * Stops the agent of {@code settings}' node and starts one with these settings, as a DPU's agent
   * is restarted with a new configuration (e.g. a new VTEP address after a reprovision).
   */
  public synchronized void restart(NodeAgentSettings settings) {
    Running old = running.remove(settings.nodeName());
    if (old != null) {
      stop(old);
    }
    spawn(settings);
  }

  /** The agent of {@code node}. */
  public ActorRef<NodeAgent.Command> agent(String node) {
    Running r = running.get(node);
    if (r == null) {
      throw new IllegalArgumentException("no agent for " + node + ": " + running.keySet());
    }
    return r.agent();
  }

  /** The nodes with an agent, in start order. */
  public List<String> nodes() {
    return List.copyOf(running.keySet());
  }

  /** Stops every agent and waits (up to 10 s) until they have stopped. Idempotent. */
  @Override
  public synchronized void close() {
    running.values().forEach(r -> r.parent().tell(Stop.STOP));
    running.values().forEach(InProcessAgents::stop);
    running.clear();
  }

  /** A new name for each agent started: a stopped parent's name may not be free again yet. */
  private synchronized void spawn(NodeAgentSettings settings) {
    CompletableFuture<ActorRef<NodeAgent.Command>> agent = new CompletableFuture<>();
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    ActorRef<Stop> parent = system.systemActorOf(parent(settings, directory, agent, stopped),
        "node-agent-" + settings.nodeName() + "-" + ++started, Props.empty());
    try {
      running.put(settings.nodeName(), new Running(parent, agent.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
          stopped));
    } catch (Exception e) {
      parent.tell(Stop.STOP);
      throw new OvnLabException("cannot start the node agent of " + settings.nodeName() + ": " + e, e);
    }
  }

  private static void stop(Running r) {
    r.parent().tell(Stop.STOP);
    try {
      r.stopped().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      System.err.println("InProcessAgents: " + r.parent().path() + " did not stop: " + e);
    }
  }

  private static Behavior<Stop> parent(NodeAgentSettings settings, EntityDirectory directory,
      CompletableFuture<ActorRef<NodeAgent.Command>> agent, CompletableFuture<Void> stopped) {
    return Behaviors.setup(ctx -> {
      agent.complete(ctx.spawn(NodeAgent.create(settings, directory), "agent"));
      return Behaviors.receive(Stop.class)
          .onMessage(Stop.class, stop -> Behaviors.stopped())
          .onSignal(PostStop.class, signal -> {
            stopped.complete(null);
            return Behaviors.same();
          })
          .build();
    });
  }
}
