package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.model.DpuNode;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * An agent's side of {@link DpuNodeEntity.Heartbeat}: numbers its reports, remembers which one
 * the node entity accepted, and makes the heartbeat that names it. Not thread-safe: one agent
 * actor owns one.
 *
 * <p>The numbers start at a random point, so that an agent that restarts cannot name a report of
 * its former self by chance. Replies come in the order the reports were sent, and a heartbeat
 * reaches the entity after the reports sent before it, so taking the newest serial as accepted on
 * an {@link ApplyReply.Accepted} is safe even with two reports in flight: if the newer one is
 * then refused, the entity does not know the serial a heartbeat names, says so, and the agent
 * reports in full.
 */
public final class ReportSerials {
  private long last;
  private long accepted;

  public ReportSerials() {
    this(ThreadLocalRandom.current().nextLong());
  }

  ReportSerials(long start) {
    this.last = start;
  }

  /** The report of {@code facts} under a new serial. */
  public DpuNodeEntity.Report report(DpuNode facts, ActorRef<ApplyReply> replyTo) {
    last++;
    if (last == 0) {
      last = 1; // 0 is the serial no heartbeat may name
    }
    return new DpuNodeEntity.Report(facts, replyTo, last);
  }

  /** The entity answered a report: accepted, heartbeats may name the newest; anything else, none. */
  public void answered(ApplyReply reply) {
    accepted = reply instanceof ApplyReply.Accepted ? last : 0;
  }

  /** The entity does not know the report a heartbeat named: the next one must be in full. */
  public void unknown() {
    accepted = 0;
  }

  /** A heartbeat at {@code at} naming the accepted report, or empty when there is none (then report in full). */
  public Optional<DpuNodeEntity.Heartbeat> heartbeat(Instant at, ActorRef<DpuNodeEntity.HeartbeatAnswer> replyTo) {
    return accepted == 0 ? Optional.empty() : Optional.of(new DpuNodeEntity.Heartbeat(accepted, at, replyTo));
  }
}
