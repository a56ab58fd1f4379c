package io.dpuvpc.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Event sourcing through the real Cassandra journal and snapshot store, on the shared embedded
 * node: the schema exists as soon as a node has started, events and snapshots survive a full
 * restart of the actor system. Each test uses its own keyspaces or persistence ids.
 */
class CassandraJournalIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The recovery tests share one keyspace (distinct persistence ids); the schema test has its own. */
    private static final String SHARED_KEYSPACE = uniqueKeyspace();

    private static EmbeddedCassandra cassandra;
    private static CqlSession cql;

    @BeforeAll
    static void startCassandra() {
        cassandra = SharedCassandra.get();
        cql = CqlSession.builder().addContactPoint(cassandra.contactPoint())
                .withLocalDatacenter(EmbeddedCassandra.LOCAL_DATACENTER).build();
    }

    @AfterAll
    static void closeSession() {
        if (cql != null) {
            cql.close();
        }
    }

    @Test
    void keyspacesAndTablesExistRightAfterStartUpBeforeAnyWrite() throws Exception {
        Config config = config(uniqueKeyspace());
        String journal = config.getString("pekko.persistence.cassandra.journal.keyspace");
        String snapshots = config.getString("pekko.persistence.cassandra.snapshot.keyspace");
        assertThat(tables(journal)).isEmpty();

        ActorTestKit node = ActorTestKit.create("schema", config);
        try {
            long t0 = System.nanoTime();
            CassandraSchema.createIfEnabled(node.system()).toCompletableFuture().get(60, TimeUnit.SECONDS);
            System.out.println("schema created in " + (System.nanoTime() - t0) / 1_000_000 + " ms");

            assertThat(tables(journal)).contains("messages", "tag_views", "tag_write_progress", "tag_scanning",
                    "metadata", "all_persistence_ids");
            assertThat(tables(snapshots)).containsExactly("snapshots");
            assertThat(cql.execute("SELECT count(*) FROM " + journal + ".messages").one().getLong(0)).isZero();

            // Idempotent: a second node start runs the same statements without error.
            CassandraSchema.create(node.system()).toCompletableFuture().get(60, TimeUnit.SECONDS);
        } finally {
            node.shutdownTestKit();
        }
    }

    @Test
    void eventsSurviveARestartOfTheActorSystem() throws Exception {
        Config config = config(SHARED_KEYSPACE);
        int n = 50;

        ActorTestKit first = startNode(config);
        try {
            ActorRef<TestCounter.Command> counter = first.spawn(TestCounter.create("ledger-1", 0));
            TestProbe<Long> replies = first.createTestProbe();
            long t0 = System.nanoTime();
            for (int i = 1; i <= n; i++) {
                counter.tell(new TestCounter.Add(i, replies.ref()));
            }
            for (int i = 1; i <= n; i++) {
                assertThat(replies.receiveMessage(TIMEOUT)).isEqualTo((long) i * (i + 1) / 2);
            }
            System.out.println(n + " events persisted in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } finally {
            first.shutdownTestKit();
        }

        ActorTestKit second = startNode(config);
        try {
            ActorRef<TestCounter.Command> counter = second.spawn(TestCounter.create("ledger-1", 0));
            TestProbe<TestCounter.Snapshot> state = second.createTestProbe();
            counter.tell(new TestCounter.Get(state.ref()));
            assertThat(state.receiveMessage(TIMEOUT))
                    .isEqualTo(new TestCounter.Snapshot((long) n * (n + 1) / 2, n, n));

            // The recovered entity keeps writing after the last sequence number.
            TestProbe<Long> replies = second.createTestProbe();
            counter.tell(new TestCounter.Add(1000, replies.ref()));
            assertThat(replies.receiveMessage(TIMEOUT)).isEqualTo((long) n * (n + 1) / 2 + 1000);
        } finally {
            second.shutdownTestKit();
        }
        String journal = config.getString("pekko.persistence.cassandra.journal.keyspace");
        assertThat(cql.execute("SELECT max(sequence_nr) FROM " + journal
                + ".messages WHERE persistence_id = 'TestCounter|ledger-1' AND partition_nr = 0").one().getLong(0))
                .isEqualTo(n + 1);
    }

    @Test
    void recoveryStartsFromTheLatestSnapshot() throws Exception {
        Config config = config(SHARED_KEYSPACE);
        String snapshots = config.getString("pekko.persistence.cassandra.snapshot.keyspace");

        ActorTestKit first = startNode(config);
        try {
            ActorRef<TestCounter.Command> counter = first.spawn(TestCounter.create("snap-1", 10));
            TestProbe<Long> replies = first.createTestProbe();
            for (int i = 1; i <= 25; i++) {
                counter.tell(new TestCounter.Add(2, replies.ref()));
            }
            for (int i = 1; i <= 25; i++) {
                assertThat(replies.receiveMessage(TIMEOUT)).isEqualTo(2L * i);
            }
            // Snapshots are written after the event that triggers them, asynchronously.
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(cql.execute("SELECT sequence_nr FROM " + snapshots
                    + ".snapshots WHERE persistence_id = 'TestCounter|snap-1'").all())
                    .extracting(row -> row.getLong("sequence_nr")).contains(20L));
        } finally {
            first.shutdownTestKit();
        }

        ActorTestKit second = startNode(config);
        try {
            ActorRef<TestCounter.Command> counter = second.spawn(TestCounter.create("snap-1", 10));
            TestProbe<TestCounter.Snapshot> state = second.createTestProbe();
            counter.tell(new TestCounter.Get(state.ref()));
            // 20 events come from the snapshot, only 21..25 are replayed.
            assertThat(state.receiveMessage(TIMEOUT)).isEqualTo(new TestCounter.Snapshot(50, 25, 5));
        } finally {
            second.shutdownTestKit();
        }
    }

    /**
     * A node's start-up: the actor system, then the schema (quick once it exists), before any
     * entity runs.
     */
    private static ActorTestKit startNode(Config config) throws Exception {
        ActorTestKit node = ActorTestKit.create("journal", config);
        CassandraSchema.createIfEnabled(node.system()).toCompletableFuture().get(60, TimeUnit.SECONDS);
        return node;
    }

    private static Config config(String keyspace) {
        return CassandraPersistenceConfig.forEmbedded(cassandra, ConfigFactory.parseString(
                "pekko.persistence.cassandra.journal.keyspace = " + keyspace + "\n"
                        + "pekko.persistence.cassandra.snapshot.keyspace = " + keyspace + "_snapshot\n"));
    }

    private static String uniqueKeyspace() {
        return "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static List<String> tables(String keyspace) {
        return cql.execute("SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", keyspace).all()
                .stream().map((Row row) -> row.getString("table_name")).toList();
    }
}
