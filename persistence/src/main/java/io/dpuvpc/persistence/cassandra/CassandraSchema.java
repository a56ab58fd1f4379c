package io.dpuvpc.persistence.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.cassandra.KeyspaceAndTableStatements;
import org.apache.pekko.persistence.cassandra.PluginSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * Creates the Cassandra keyspaces and tables of the journal and the snapshot store when a node
 * starts, so that no write (and no timed path) pays for DDL: about 5 s on the lab machine.
 *
 * <p>The CQL is the plugin's own ({@link KeyspaceAndTableStatements} of pekko-persistence-cassandra:
 * {@code CREATE ... IF NOT EXISTS} for the {@code pekko} keyspace with {@code messages},
 * {@code tag_views}, {@code tag_write_progress}, {@code tag_scanning}, {@code metadata},
 * {@code all_persistence_ids}, and the {@code pekko_snapshot} keyspace with {@code snapshots}), so
 * the tables always match what the plugin reads and writes, and replication follows the plugin's
 * {@code replication-strategy}, {@code replication-factor} and
 * {@code data-center-replication-factors}. The statements run one at a time (schema changes must
 * not race) on the plugin's own session, and are idempotent: running them on every start is safe.
 */
public final class CassandraSchema {
    /** The plugin's config path, also the key of its shared driver session. */
    public static final String PLUGIN_PATH = "pekko.persistence.cassandra";

    private CassandraSchema() {
    }

    /**
     * {@link #create} if {@code dpuvpc.persistence.create-schema-at-startup} is on, else done at once.
     */
    public static CompletionStage<Done> createIfEnabled(ActorSystem<?> system) {
        if (!system.settings().config().getBoolean("dpuvpc.persistence.create-schema-at-startup")) {
            return CompletableFuture.completedFuture(Done.getInstance());
        }
        return create(system);
    }

    /** Runs {@link #statements} in order on the plugin's session; completes when all have. */
    public static CompletionStage<Done> create(ActorSystem<?> system) {
        Duration timeout = system.settings().config().getDuration("dpuvpc.persistence.schema-statement-timeout");
        List<String> statements = statements(system);
        return CassandraSessionRegistry.get(system).sessionFor(PLUGIN_PATH).underlying()
                .thenCompose(session -> runInOrder(session, statements, timeout));
    }

    /**
     * The CQL that creates both keyspaces and all tables, in the order it must run: for a DBA
     * where {@code create-schema-at-startup} is off.
     */
    public static List<String> statements(ActorSystem<?> system) {
        org.apache.pekko.actor.ActorSystem classic = Adapter.toClassic(system);
        KeyspaceAndTableStatements cql = new KeyspaceAndTableStatements(classic, PLUGIN_PATH,
                PluginSettings.apply(classic));
        List<String> all = new ArrayList<>();
        all.add(cql.createJournalKeyspaceStatement());
        all.addAll(cql.getCreateJournalTablesStatements());
        all.add(cql.createSnapshotKeyspaceStatement());
        all.addAll(cql.getCreateSnapshotTablesStatements());
        return List.copyOf(all);
    }

    private static CompletionStage<Done> runInOrder(CqlSession session, List<String> statements, Duration timeout) {
        CompletionStage<Done> chain = CompletableFuture.completedFuture(Done.getInstance());
        for (String cql : statements) {
            chain = chain.thenCompose(done -> session.executeAsync(SimpleStatement.newInstance(cql).setTimeout(timeout))
                    .thenApply(rs -> Done.getInstance()));
        }
        return chain;
    }
}
