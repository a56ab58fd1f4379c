package io.dpuvpc.ovn.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 3-member clustered NB: election, leader crash, rejoin, with the data checked by ovsdb-client. */
class OvsdbRaftClusterIT {
    private static final Duration ELECTION = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void survivesTheLossOfItsLeader() {
        try (OvsdbRaftCluster raft = OvsdbRaftCluster.builder(dir).stopOnJvmExit(true).start()) {
            assertThat(raft.endpoints()).hasSize(3).allMatch(e -> e.matches("tcp:127\\.0\\.0\\.1:\\d+"))
                    .doesNotHaveDuplicates();
            int leader = raft.awaitHealthy(ELECTION);
            assertThat(raft.memberStatuses()).filteredOn(OvsdbRaftCluster.MemberStatus::isLeader).hasSize(1);
            for (String endpoint : raft.endpoints()) {
                assertThat(OvnCentralIT.listDbs(endpoint)).contains(OvsdbRaftCluster.DATABASE);
            }

            nbctl(raft.connectionString(), "ls-add", "before-crash");
            long oldLeaderPid = raft.pid(leader).orElseThrow();

            raft.kill(leader);

            assertThat(Daemons.isAlive(oldLeaderPid)).isFalse();
            int newLeader = raft.awaitLeader(ELECTION);
            assertThat(newLeader).isNotEqualTo(leader);
            assertThat(switches(raft.endpoint(newLeader))).contains("before-crash");
            nbctl(raft.endpoint(newLeader), "ls-add", "after-crash");

            raft.restart(leader);
            raft.awaitHealthy(ELECTION);
            await().atMost(ELECTION).untilAsserted(() ->
                    assertThat(switches(raft.endpoint(leader))).contains("before-crash", "after-crash"));
            List<Long> pids = raft.memberStatuses().stream().map(s -> raft.pid(s.member()).orElseThrow()).toList();

            raft.stop();

            assertThat(pids).noneMatch(Daemons::isAlive);
            assertThat(Daemons.processesMentioning(dir.toString())).isEmpty();
        }
    }

    private static void nbctl(String db, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("ovn-nbctl", "--db=" + db, "--timeout=10"));
        command.addAll(List.of(args));
        ExternalCommand.run(Duration.ofSeconds(15), command).orThrow();
    }

    /** Logical switch names as one member serves them, read with ovsdb-client (not ovn-nbctl). */
    private static String switches(String endpoint) {
        return ExternalCommand.run(Duration.ofSeconds(10), List.of("ovsdb-client", "dump", endpoint,
                OvsdbRaftCluster.DATABASE, "Logical_Switch", "name")).orThrow().stdout();
    }
}
