package io.dpuvpc.simulator.bench.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The benchmark with tiny counts against a real embedded Cassandra and the in-memory journal:
 * every phase answers for every entity, the counts are what was asked for, and recovery brought
 * back what was written (the benchmark itself fails on any wrong reply or recovered state). A
 * behaviour test, not a timing test.
 */
class PersistenceBenchmarkIT {
    private static final int ENTITIES = 200;
    private static final int NETWORKS = 2;

    @BeforeAll
    static void quietLogs() {
        // No logback-test.xml in this module: keep the driver's and Netty's DEBUG lines out.
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    }

    @Test
    void bothJournalsWriteAndRecoverEveryEntity(@TempDir Path tmp) throws Exception {
        PersistenceBenchmark.Settings settings = PersistenceBenchmark.Settings.defaults().withEntities(ENTITIES)
                .withNetworksPerEntity(NETWORKS).withMaxInFlight(50).withWarmupEntities(20)
                .withCassandraClasspathCache(Path.of("target", "cassandra.classpath").toAbsolutePath());
        List<String> progress = new ArrayList<>();

        PersistenceBenchmarkReport report = PersistenceBenchmark.run(settings, line -> {
            progress.add(line);
            System.err.println(line);
        });

        assertThat(report.results()).extracting(JournalResult::key)
                .containsExactly(PersistenceBenchmark.CASSANDRA, PersistenceBenchmark.IN_MEMORY);
        for (JournalResult r : report.results()) {
            assertThat(r.start().operations()).as(r.label()).isEqualTo(ENTITIES);
            assertThat(r.start().events()).as(r.label()).isZero();
            assertThat(r.apply().operations()).as(r.label()).isEqualTo(ENTITIES);
            assertThat(r.apply().events()).as(r.label()).isEqualTo(ENTITIES);
            assertThat(r.attach().events()).as(r.label()).isEqualTo((long) ENTITIES * NETWORKS);
            assertThat(r.writes().events()).as(r.label()).isEqualTo((long) ENTITIES * (1 + NETWORKS));
            assertThat(r.recovery().operations()).as(r.label()).isEqualTo(ENTITIES);
            assertThat(r.recovery().events()).as(r.label()).isEqualTo((long) ENTITIES * (1 + NETWORKS));
            for (Phase p : List.of(r.start(), r.apply(), r.attach(), r.recovery())) {
                assertThat(p.seconds()).as(r.label() + " " + p.what()).isPositive();
                assertThat(p.operationsPerSecond()).as(r.label() + " " + p.what()).isPositive();
            }
            assertThat(r.heap().entities()).isEqualTo(ENTITIES);
            assertThat(r.heap().usedWithEntities()).isPositive();
        }
        assertThat(report.cassandra().serverStartSeconds()).isPositive();
        assertThat(report.cassandra().recoveredIn()).isEqualTo("a new actor system");
        // The Cassandra JVM did work while (A) wrote: the events went there.
        assertThat(report.cassandra().writes().serverCpuSeconds()).isPositive();
        assertThat(report.writeRatio()).isPositive();
        assertThat(progress).anyMatch(l -> l.contains("new actor system on the same Cassandra"));
        assertThat(report.table()).contains("(A) Cassandra", "(B) in-memory", "round 1: Apply", "A/B: writes");

        Path json = tmp.resolve("bench.json");
        report.writeJson(json);
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.at("/journals/cassandra/recovery/operations").asLong()).isEqualTo(ENTITIES);
        assertThat(root.at("/journals/inmem/writes/events").asLong()).isEqualTo((long) ENTITIES * (1 + NETWORKS));
        assertThat(root.at("/ratios/writeEventsPerSecondAtoB").asDouble()).isPositive();

        // No Cassandra left behind.
        Optional<ProcessHandle> daemon = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("CassandraDaemon")).findAny();
        assertThat(daemon).isEmpty();
    }
}
