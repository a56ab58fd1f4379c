package io.dpuvpc.actors.entity;

import java.util.ArrayList;
import java.util.List;
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
 * hands every other command to the journaled {@link FleetEntity} it runs as its child: changes
 * in batches ({@link FleetEntity.Changes}), one batch being written at a time, the next made of
 * every change that arrived meanwhile. A batch is one journal write, however many changes it
 * holds; sent one by one, each change waited for the write before it (about 2 s each beside a
 * 100,000-interface apply). A {@link FleetEntity.GetClaims} goes after the changes that came before
 * it, so it never reads an older state than its sender's earlier changes made.
 *
 * <p>Every agent asks for the silent nodes at every heartbeat (1,000 asks/s at 10,000 DPUs and
 * 10 s). Asked of the journaled entity, they waited in its stash behind every write, and while
 * nodes registered or VPCs were applied the stash overflowed: at 10,000 DPUs it dropped 867,203
 * asks, each with a warning in the log. The silent set is kept in memory only anyway (see {@link
 * FleetEntity.NodeSilent}), so it needs no journal.
 */
final class FleetFront extends AbstractBehavior<FleetEntity.Command> {
  /**
   * At most this many changes in one write: the journal writes a batch as one Cassandra batch,
   * and Cassandra refuses batches over 50 KiB by default (a change's event is 100-200 bytes).
   */
  static final int MAX_CHANGES_PER_BATCH = 100;

  private final ActorRef<FleetEntity.Command> journaled;
  private final Set<String> silent = new TreeSet<>();
  /** Changes and claim reads that arrived while a batch was being written, in order. */
  private final List<FleetEntity.Command> pending = new ArrayList<>();
  private boolean writing;
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
        .onMessage(FleetEntity.ChangesApplied.class, applied -> {
          writing = false;
          return flush();
        })
        .onMessage(FleetEntity.Command.class, command -> {
          pending.add(command);
          return flush();
        })
        .onSignal(Terminated.class, stopped -> Behaviors.stopped())
        .build();
  }

  /**
   * Unless a batch is being written: the pending changes, up to {@link #MAX_CHANGES_PER_BATCH}, as
   * one batch, then the reads that came before the last of them.
   */
  private Behavior<FleetEntity.Command> flush() {
    if (writing || pending.isEmpty()) {
      return this;
    }
    List<FleetEntity.Command> changes = new ArrayList<>();
    List<FleetEntity.Command> reads = new ArrayList<>();
    int taken = 0;
    for (FleetEntity.Command command : pending) {
      if (command instanceof FleetEntity.GetClaims) {
        reads.add(command);
      } else if (changes.size() < MAX_CHANGES_PER_BATCH) {
        changes.add(command);
      } else {
        break;
      }
      taken++;
    }
    pending.subList(0, taken).clear();
    if (!changes.isEmpty()) {
      journaled.tell(new FleetEntity.Changes(changes, getContext().getSelf()));
      writing = true;
    }
    reads.forEach(journaled::tell); // after the batch: the journaled entity stashes them behind its write
    return this;
  }

  private Behavior<FleetEntity.Command> changed(boolean changed) {
    if (changed) {
      answer = null;
    }
    return this;
  }
}
