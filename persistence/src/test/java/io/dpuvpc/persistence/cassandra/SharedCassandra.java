package io.dpuvpc.persistence.cassandra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One embedded Cassandra per test JVM: the first {@link #get()} starts it (about 13 s), later calls
 * reuse it, and a JVM shutdown hook stops it and deletes its data (the log stays, for a failed run). Tests that share it use their own keyspaces or
 * persistence ids. Other modules reach it through the persistence test-jar.
 *
 * <p>The node lives in a fresh temp folder; the resolved Cassandra classpath is cached in
 * {@code target/cassandra.classpath} of the module under test, so only the first run after
 * {@code mvn clean} pays for Maven's resolution (about 7 s offline).
 */
public final class SharedCassandra {
    private static EmbeddedCassandra instance;

    private SharedCassandra() {
    }

    /** The running shared node, started on first use. */
    public static synchronized EmbeddedCassandra get() {
        if (instance == null || !instance.isRunning()) {
            try {
                Path dir = Files.createTempDirectory("dpuvpc-cassandra-");
                instance = EmbeddedCassandra.builder(dir)
                        .classpathCache(Path.of("target", "cassandra.classpath").toAbsolutePath())
                        .stopOnJvmExit(true)
                        .build();
                EmbeddedCassandra node = instance;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    node.stop();
                    node.wipe();
                }, "shared-cassandra-wipe"));
                instance.start();
                System.out.println("shared Cassandra " + EmbeddedCassandra.VERSION + " on " + instance.contactPoint()
                        + " in " + dir + ", started in " + instance.lastStartDuration().toMillis() + " ms");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }
}
