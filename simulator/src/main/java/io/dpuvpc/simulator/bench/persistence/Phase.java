package io.dpuvpc.simulator.bench.persistence;

/**
 * One timed part of a journal's run.
 *
 * @param operations       asks answered (and checked)
 * @param events           events written, or replayed during recovery
 * @param seconds          wall time from the first ask to the last reply
 * @param jvmCpuSeconds    CPU time of the benchmark JVM meanwhile (all its threads: actors, journal plugin, driver, GC, JIT)
 * @param serverCpuSeconds CPU time of the Cassandra JVM meanwhile; NaN without one
 */
public record Phase(String what, long operations, long events, double seconds, double jvmCpuSeconds, double serverCpuSeconds) {

    public double operationsPerSecond() {
        return operations / seconds;
    }

    public double eventsPerSecond() {
        return events / seconds;
    }

    /** Two phases run one after the other, as one. */
    Phase plus(Phase other, String name) {
        return new Phase(name, operations + other.operations, events + other.events, seconds + other.seconds,
                jvmCpuSeconds + other.jvmCpuSeconds, serverCpuSeconds + other.serverCpuSeconds);
    }
}
