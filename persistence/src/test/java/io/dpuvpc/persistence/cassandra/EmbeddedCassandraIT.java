package io.dpuvpc.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node of its own (not the shared one): restart keeps data, wipe removes it, stop leaves nothing. */
class EmbeddedCassandraIT {
    @TempDir
    Path dir;

    @Test
    void startsAnswersCqlRestartsWithItsDataAndWipes() {
        EmbeddedCassandra cassandra = EmbeddedCassandra.builder(dir)
                .classpathCache(Path.of("target", "cassandra.classpath").toAbsolutePath())
                .build();
        try {
            cassandra.start();
            System.out.println("first start " + cassandra.lastStartDuration().toMillis() + " ms");
            assertThat(EmbeddedCassandra.releaseVersion(cassandra.contactPoint())).isEqualTo(EmbeddedCassandra.VERSION);
            int port = cassandra.nativePort();
            try (CqlSession session = session(cassandra)) {
                session.execute("CREATE KEYSPACE it WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
                session.execute("CREATE TABLE it.kv (k text PRIMARY KEY, v int)");
                session.execute("INSERT INTO it.kv (k, v) VALUES ('a', 42)");
            }
            long firstPid = cassandra.pid().orElseThrow();

            cassandra.restart();
            System.out.println("restart " + cassandra.lastStartDuration().toMillis() + " ms");
            assertThat(cassandra.nativePort()).isEqualTo(port);
            assertThat(cassandra.pid().orElseThrow()).isNotEqualTo(firstPid);
            assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
            try (CqlSession session = session(cassandra)) {
                assertThat(session.execute("SELECT v FROM it.kv WHERE k = 'a'").one().getInt("v")).isEqualTo(42);
            }

            assertThatThrownBy(cassandra::wipe).isInstanceOf(CassandraLaunchException.class);
            long t0 = System.nanoTime();
            cassandra.stop();
            System.out.println("stop " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertThat(cassandra.isRunning()).isFalse();
            cassandra.wipe();
            cassandra.start();
            System.out.println("start after wipe " + cassandra.lastStartDuration().toMillis() + " ms");
            try (CqlSession session = session(cassandra)) {
                assertThat(session.execute("SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = 'it'")
                        .one()).isNull();
            }
            long pid = cassandra.pid().orElseThrow();
            cassandra.stop();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
            assertThat(cassandra.logFile()).exists();
        } finally {
            cassandra.stop();
        }
    }

    @Test
    void aChildThatDiesWhileStartingFailsWithTheLogTail() {
        EmbeddedCassandra cassandra = EmbeddedCassandra.builder(dir)
                .classpathCache(Path.of("target", "cassandra.classpath").toAbsolutePath())
                .jvmOption("-XX:+NoSuchOptionForThisTest")
                .build();
        assertThatThrownBy(cassandra::start).isInstanceOf(CassandraLaunchException.class)
                .hasMessageContaining("Cassandra exited with status")
                .hasMessageContaining("NoSuchOptionForThisTest");
        assertThat(cassandra.isRunning()).isFalse();
    }

    private static CqlSession session(EmbeddedCassandra cassandra) {
        return CqlSession.builder().addContactPoint(cassandra.contactPoint())
                .withLocalDatacenter(EmbeddedCassandra.LOCAL_DATACENTER).build();
    }
}
