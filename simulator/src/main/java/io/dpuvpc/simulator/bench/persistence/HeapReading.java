package io.dpuvpc.simulator.bench.persistence;

/**
 * Used heap after full GCs with {@code entities} idle entities alive, and after they were stopped
 * (same actor system, same journal plugin state).
 */
public record HeapReading(int entities, long usedWithEntities, long usedWithout) {

    public long bytesPerEntity() {
        return (usedWithEntities - usedWithout) / entities;
    }
}
