package io.dpuvpc.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache and the overrides; resolution by Maven itself is covered by the ITs. */
class CassandraClasspathTest {
    @TempDir
    Path dir;

    @Test
    void theStandalonePomShipsAsAResourceWithCassandraAllOnly() {
        String pom = new String(CassandraClasspath.pomBytes());
        assertThat(pom).contains("<artifactId>cassandra-all</artifactId>", "<cassandra.version>" + EmbeddedCassandra.VERSION)
                .doesNotContain("<parent>");
    }

    @Test
    void aCurrentCacheIsUsedWithoutMaven() throws Exception {
        Path jar1 = Files.createFile(dir.resolve("a.jar"));
        Path jar2 = Files.createFile(dir.resolve("b.jar"));
        String classpath = jar1 + File.pathSeparator + jar2;
        Path cache = dir.resolve("cassandra.classpath");
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(CassandraClasspath.pomBytes()));
        Files.writeString(cache, "# cassandra-server-pom sha256 " + hash + "\n" + classpath + "\n");

        // A missing mvn proves Maven is not run.
        String saved = System.getProperty(CassandraClasspath.MVN_PROPERTY);
        System.setProperty(CassandraClasspath.MVN_PROPERTY, dir.resolve("no-such-mvn").toString());
        try {
            assertThat(CassandraClasspath.resolve(cache, Duration.ofSeconds(5))).isEqualTo(classpath);
        } finally {
            restore(CassandraClasspath.MVN_PROPERTY, saved);
        }
    }

    @Test
    void aStaleCacheIsResolvedAgainAndMavenFailuresAreReported() throws Exception {
        Path cache = dir.resolve("cassandra.classpath");
        Files.writeString(cache, "# cassandra-server-pom sha256 0000\n/nowhere.jar\n");
        String saved = System.getProperty(CassandraClasspath.MVN_PROPERTY);
        System.setProperty(CassandraClasspath.MVN_PROPERTY, dir.resolve("no-such-mvn").toString());
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> CassandraClasspath.resolve(cache, Duration.ofSeconds(5)))
                    .isInstanceOf(CassandraLaunchException.class)
                    .hasMessageContaining("offline: cannot run")
                    .hasMessageContaining("online: cannot run");
        } finally {
            restore(CassandraClasspath.MVN_PROPERTY, saved);
        }
    }

    @Test
    void aGivenClasspathWins() {
        String saved = System.getProperty(CassandraClasspath.CLASSPATH_PROPERTY);
        System.setProperty(CassandraClasspath.CLASSPATH_PROPERTY, "/opt/cassandra/lib/x.jar");
        try {
            assertThat(CassandraClasspath.resolve(dir.resolve("unused"), Duration.ofSeconds(1)))
                    .isEqualTo("/opt/cassandra/lib/x.jar");
        } finally {
            restore(CassandraClasspath.CLASSPATH_PROPERTY, saved);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
