package io.dpuvpc.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The yaml and JVM options the child is started with, without starting it. */
class EmbeddedCassandraOptionsTest {
    private final Path dir = Path.of("/tmp/cassandra-work");

    @Test
    void yamlKeepsEverythingOnLoopbackAndInTheWorkFolder() {
        String yaml = EmbeddedCassandra.cassandraYaml(dir, "c1", 19042, 17000);

        assertThat(yaml.lines()).contains(
                "cluster_name: 'c1'",
                "num_tokens: 1",
                "listen_address: 127.0.0.1",
                "rpc_address: 127.0.0.1",
                "native_transport_port: 19042",
                "storage_port: 17000",
                "      - seeds: \"127.0.0.1:17000\"",
                "commitlog_sync: periodic",
                "authenticator: AllowAllAuthenticator",
                "authorizer: AllowAllAuthorizer",
                "endpoint_snitch: SimpleSnitch",
                "  - /tmp/cassandra-work/data",
                "commitlog_directory: /tmp/cassandra-work/commitlog",
                "saved_caches_directory: /tmp/cassandra-work/saved_caches",
                "hints_directory: /tmp/cassandra-work/hints",
                "cdc_raw_directory: /tmp/cassandra-work/cdc_raw");
        // No tabs (YAML forbids them) and every directory under the work folder.
        assertThat(yaml).doesNotContain("\t");
        assertThat(yaml.lines().filter(l -> l.contains("/")).filter(l -> !l.startsWith("#")))
                .allSatisfy(l -> assertThat(l).contains("/tmp/cassandra-work/"));
    }

    @Test
    void jvmOptionsCarryHeapPortsAndTheJava17ModuleAccess() {
        List<String> options = EmbeddedCassandra.jvmOptions(dir, "1G", 17199);

        assertThat(options).startsWith("-Xms1G", "-Xmx1G").contains(
                "-Xss256k", "-XX:+UseG1GC", "-XX:MaxDirectMemorySize=1G",
                "-Dcassandra-foreground=yes",
                "-Dcassandra.skip_wait_for_gossip_to_settle=0",
                "-Dcassandra.config=file:///tmp/cassandra-work/cassandra.yaml",
                "-Dcassandra.jmx.local.port=17199",
                "-Djdk.attach.allowAttachSelf=true",
                "-Dio.netty.tryReflectionSetAccessible=true");
        assertThat(options).containsSubsequence("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");
        assertThat(options).containsSubsequence("--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED");
        assertThat(options).containsSubsequence("--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");
        // Every --add-exports / --add-opens is followed by its module/package=target argument.
        for (int i = 0; i < options.size(); i++) {
            if (options.get(i).startsWith("--add-")) {
                assertThat(options.get(i + 1)).matches("[\\w.]+/[\\w.]+=ALL-UNNAMED");
            }
        }
        assertThat(options.stream().filter(o -> o.equals("--add-exports")).count()).isEqualTo(9);
        assertThat(options.stream().filter(o -> o.equals("--add-opens")).count()).isEqualTo(14);
    }

    @Test
    void defaultsAreFreePortsAndAHalfGigabyteHeap() {
        EmbeddedCassandra cassandra = EmbeddedCassandra.builder(dir).build();
        assertThat(cassandra.nativePort()).isZero();
        assertThat(cassandra.isRunning()).isFalse();
        assertThat(cassandra.pid()).isEmpty();
        assertThat(cassandra.logFile()).isEqualTo(dir.resolve("cassandra.log"));

        EmbeddedCassandra fixed = EmbeddedCassandra.builder(dir).nativePort(19042).build();
        assertThat(fixed.driverConfig()).contains("contact-points = [\"127.0.0.1:19042\"]",
                "local-datacenter = \"datacenter1\"");
    }
}
