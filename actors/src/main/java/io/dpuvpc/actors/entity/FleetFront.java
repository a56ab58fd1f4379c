package io.dpuvpc.actors.entity;

import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The fleet as the cluster reaches it: answers which nodes are silent from memory, at once, and
 * hands every other command to the journaled {@link FleetEntity} it runs as its child.
 *
 * <p>Every agent asks for the silent nodes at every heartbeat (1,000 asks/s at 10,000 DPUs and
 * 10 s). Asked of the journaled entity, they waited in its stash behind every write, and while
 * nodes registered or VPCs were applied the stash overflowed: at 10,000 DPUs it dropped 867,203
 * asks, each with a warning in the log. The silent set is kept in memory only anyway (see {@link
 * FleetEntity.NodeSilent}), so it needs no journal.
 */
final class FleetFront extends AbstractBehavior<FleetEntity.Command> {
  private final ActorRef<FleetEntity.Command> journaled;
  private final Set<String> silent = new TreeSet<>();
  // Copied once per change of the set, not once per ask. Null: to be made again.
  private FleetEntity.SilentNodes answer;

  private FleetFront(ActorContext<FleetEntity.Command> context, Behavior<FleetEntity.Command> journaled) {
    super(context);
    this.journaled = context.spawn(journaled, "journaled");
    // Its recovery failed or it stopped: so does the front, and sharding starts both again.
    context.watch(this.journaled);
  }

  static Behavior<FleetEntity.Command> create(Behavior<FleetEntity.Command> journaled) {
    return Behaviors.setup(context -> new FleetFront(context, journaled));
  }

  @Override
  public Receive<FleetEntity.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FleetEntity.NodeSilent.class, c -> changed(silent.add(c.node())))
        .onMessage(FleetEntity.NodeHeard.class, c -> changed(silent.remove(c.node())))
        .onMessage(FleetEntity.GetSilentNodes.class, get -> {
          if (answer == null) {
            answer = new FleetEntity.SilentNodes(silent);
          }
          get.replyTo().tell(answer);
          return this;
        })
        .onMessage(FleetEntity.Command.class, command -> {
          journaled.tell(command);
          return this;
        })
        .onSignal(Terminated.class, stopped -> Behaviors.stopped())
        .build();
  }

  private Behavior<FleetEntity.Command> changed(boolean changed) {
    if (changed) {
      answer = null;
    }
    return this;
  }
}
