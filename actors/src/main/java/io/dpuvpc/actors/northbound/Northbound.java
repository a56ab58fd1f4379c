package io.dpuvpc.actors.northbound;

import io.dpuvpc.actors.CborSerializable;
import io.dpuvpc.actors.model.ResourceKey;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The protocol between the entities and the Northbound bridge of their node (a port of the
 * domain: the bridge itself lives in {@code ovn-bridge}). An entity publishes its intent for an
 * IsolationClass and hears back, every time it changes, what the bridge observes in the monitored
 * Northbound database: the rows are there exactly as intended (and, for an interface, whether its
 * port is up and which address it got), or not yet, or not possible and why.
 */
public final class Northbound {
  private Northbound() {}

  public sealed interface Command extends CborSerializable {}

  /** The owner's whole desired topology in the OVN of {@code isolationClass}; replaces the previous. */
  public record Publish(String isolationClass, TopologyIntent intent, ActorRef<Observed> replyTo) implements Command {}

  /** The owner is gone: remove every row it owns, then answer {@link State#WITHDRAWN}. */
  public record Withdraw(String isolationClass, ResourceKey owner, ActorRef<Observed> replyTo) implements Command {}

  /**
   * The owner's entity stopped here (passivated, or moved to another node): stop managing its rows
   * without touching them; its next incarnation publishes again wherever it runs.
   */
  public record Release(String isolationClass, ResourceKey owner) implements Command {}

  public enum State {
    /** Every row is in the Northbound database as intended (seen in the monitor, not merely sent). */
    RECONCILED,
    /** Written or being written, not yet seen; or waiting for something (reason says what). */
    PENDING,
    /** Cannot be done as asked (reason and message say why and what to do). */
    FAILED,
    /** All rows of the owner are gone. */
    WITHDRAWN
  }

  /** What the bridge observed for one owner. {@code port} only for interfaces, else null. */
  public record Observed(ResourceKey owner, long generation, State state, String reason, String message, PortFacts port)
      implements CborSerializable {}

  /**
   * A logical switch port as Northbound shows it: {@code up} (ovn-northd sets it once a chassis
   * claimed the port), its MAC and the IPv4 address it has (assigned by DHCP IPAM or static; null
   * until known).
   */
  public record PortFacts(boolean up, String mac, String ip) implements CborSerializable {}
}
