package io.dpuvpc.actors.entity;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.persistence.testkit.ProcessingSuccess;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;

/** Counts the in-memory journal's writes of one persistence id: the events in each, in order. */
final class JournalWrites {
  private JournalWrites() {}

  /** From now on (the journal emptied first) until {@code journal.resetPolicy()}. */
  static List<Integer> of(PersistenceTestKit journal, String persistenceId) {
    journal.clearAll();
    List<Integer> writes = new CopyOnWriteArrayList<>();
    journal.withPolicy((pid, operation) -> {
      if (pid.equals(persistenceId) && operation instanceof WriteEvents write) {
        writes.add(write.batch().size());
      }
      return ProcessingSuccess.getInstance();
    });
    return writes;
  }
}
