package io.dpuvpc.persistence.cassandra;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * The Pekko configuration for event sourcing on Cassandra: {@value #RESOURCE} (journal and snapshot
 * plugins, replication, Jackson CBOR binding, driver contact point) on top of the usual
 * {@code application.conf} / {@code reference.conf} stack.
 *
 * <p>An application can instead write {@code include classpath("dpuvpc-persistence.conf")} at the top
 * of its {@code application.conf}; this class is for code that builds its config (tests, the lab).
 */
public final class CassandraPersistenceConfig {
    public static final String RESOURCE = "dpuvpc-persistence.conf";

    private CassandraPersistenceConfig() {
    }

    /** {@code overrides}, then {@value #RESOURCE}, then {@code ConfigFactory.load()}; resolved. */
    public static Config load(Config overrides) {
        return overrides
                .withFallback(ConfigFactory.parseResources(CassandraPersistenceConfig.class.getClassLoader(), RESOURCE))
                .withFallback(ConfigFactory.load())
                .resolve();
    }

    /** The config for a node that uses {@code cassandra} as its journal and snapshot store. */
    public static Config forEmbedded(EmbeddedCassandra cassandra, Config overrides) {
        return load(overrides.withFallback(ConfigFactory.parseString(cassandra.driverConfig())));
    }
}
