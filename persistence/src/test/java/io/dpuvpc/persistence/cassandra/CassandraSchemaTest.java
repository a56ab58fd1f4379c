package io.dpuvpc.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;

/** The configuration and the start-up CQL, without Cassandra (the plugin connects lazily). */
class CassandraSchemaTest {
    @Test
    void theConfigSelectsTheCassandraPluginsAndCbor() {
        Config config = CassandraPersistenceConfig.load(ConfigFactory.empty());

        assertThat(config.getString("pekko.persistence.journal.plugin")).isEqualTo("pekko.persistence.cassandra.journal");
        assertThat(config.getString("pekko.persistence.snapshot-store.plugin"))
                .isEqualTo("pekko.persistence.cassandra.snapshot");
        assertThat(config.getBoolean("pekko.persistence.cassandra.journal.keyspace-autocreate")).isFalse();
        assertThat(config.getBoolean("pekko.persistence.cassandra.journal.tables-autocreate")).isFalse();
        assertThat(config.getString("pekko.actor.serialization-bindings.\"io.dpuvpc.actors.CborSerializable\""))
                .isEqualTo("jackson-cbor");
        assertThat(config.getStringList("datastax-java-driver.basic.contact-points")).containsExactly("127.0.0.1:9042");
        assertThat(config.getString("datastax-java-driver.basic.load-balancing-policy.local-datacenter"))
                .isEqualTo("datacenter1");
        assertThat(config.getBoolean("dpuvpc.persistence.create-schema-at-startup")).isTrue();
    }

    @Test
    void embeddedNodeStatementsUseSimpleStrategyAndIfNotExists() {
        List<String> cql = statements(ConfigFactory.empty());

        assertThat(cql.get(0)).startsWith("CREATE KEYSPACE IF NOT EXISTS pekko\n")
                .contains("'class' : 'SimpleStrategy'", "'replication_factor':1");
        assertThat(cql).allSatisfy(s -> assertThat(s).contains("IF NOT EXISTS"));
        assertThat(cql).anySatisfy(s -> assertThat(s).contains("CREATE TABLE IF NOT EXISTS pekko.messages"));
        assertThat(cql).anySatisfy(s -> assertThat(s).contains("CREATE TABLE IF NOT EXISTS pekko.tag_views"));
        assertThat(cql).anySatisfy(s -> assertThat(s).contains("CREATE KEYSPACE IF NOT EXISTS pekko_snapshot"));
        assertThat(cql.get(cql.size() - 1)).contains("CREATE TABLE IF NOT EXISTS pekko_snapshot.snapshots");
    }

    @Test
    void anExternalClusterGetsNetworkTopologyStrategy() {
        List<String> cql = statements(ConfigFactory.parseString("""
                pekko.persistence.cassandra.journal {
                  replication-strategy = "NetworkTopologyStrategy"
                  data-center-replication-factors = ["dc1:3", "dc2:2"]
                }
                pekko.persistence.cassandra.snapshot {
                  replication-strategy = "NetworkTopologyStrategy"
                  data-center-replication-factors = ["dc1:3"]
                }
                """));

        assertThat(cql.get(0)).contains("'class' : 'NetworkTopologyStrategy'", "'dc1':3", "'dc2':2");
        assertThat(cql).anySatisfy(s -> assertThat(s)
                .contains("CREATE KEYSPACE IF NOT EXISTS pekko_snapshot", "'NetworkTopologyStrategy'", "'dc1':3")
                .doesNotContain("dc2"));
    }

    @Test
    void schemaCreationCanBeTurnedOff() throws Exception {
        ActorTestKit kit = ActorTestKit.create("schema-off", CassandraPersistenceConfig.load(
                ConfigFactory.parseString("dpuvpc.persistence.create-schema-at-startup = off")));
        try {
            // Completes at once, without contacting any Cassandra.
            assertThat(CassandraSchema.createIfEnabled(kit.system()).toCompletableFuture().isDone()).isTrue();
        } finally {
            kit.shutdownTestKit();
        }
    }

    private static List<String> statements(Config overrides) {
        ActorTestKit kit = ActorTestKit.create("schema-cql", CassandraPersistenceConfig.load(overrides));
        try {
            List<String> cql = CassandraSchema.statements(kit.system());
            cql.forEach(s -> System.out.println(s + ";"));
            return cql;
        } finally {
            kit.shutdownTestKit();
        }
    }
}
