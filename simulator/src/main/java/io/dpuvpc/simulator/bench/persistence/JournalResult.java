package io.dpuvpc.simulator.bench.persistence;

/**
 * What one journal did: starting N new entities (their empty recoveries), the two write rounds,
 * recovering them all, and the heap per idle entity.
 *
 * @param key               {@link PersistenceBenchmark#CASSANDRA} or {@link PersistenceBenchmark#IN_MEMORY}
 * @param recoveredIn       where recovery ran: a new actor system, or the same one
 * @param serverStartSeconds how long the embedded Cassandra took to answer CQL (0 without one)
 */
public record JournalResult(String key, String label, String recoveredIn, double serverStartSeconds, Phase start,
                            Phase apply, Phase attach, Phase recovery, HeapReading heap) {

    /** Rounds 1 and 2 together: every event written. */
    public Phase writes() {
        return apply.plus(attach, "all writes");
    }
}
