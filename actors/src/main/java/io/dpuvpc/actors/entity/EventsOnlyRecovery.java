package io.dpuvpc.actors.entity;

import org.apache.pekko.persistence.typed.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.typed.javadsl.Recovery;

/**
 * The recovery of an entity that never saves a snapshot: its events only. With the default
 * recovery every start first asks the snapshot store, which for Cassandra is a query that can
 * only find nothing; a fleet starts tens of thousands of such entities, each new one on its first
 * apply. The snapshot store answers {@code none()} without a query.
 */
final class EventsOnlyRecovery {
  static final Recovery RECOVERY = Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none());

  private EventsOnlyRecovery() {}
}
