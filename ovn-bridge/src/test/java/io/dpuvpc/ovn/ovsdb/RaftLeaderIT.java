package io.dpuvpc.ovn.ovsdb;

import static io.dpuvpc.ovn.ovsdb.OvsdbOperationsIT.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dpuvpc.ovn.lab.OvsdbRaftCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 3-member raft NB cluster: the client connects only to the leader, follows the new leader
 * after the old one is killed (kill -9), and no write it saw committed is lost.
 */
class RaftLeaderIT {
    static final String NB = "OVN_Northbound";

    @TempDir
    Path dir;

    @Test
    void followsTheNewLeaderAndLosesNoCommittedWrite() throws Exception {
        try (OvsdbRaftCluster cluster = OvsdbRaftCluster.builder(dir).stopOnJvmExit(true).start()) {
            int leader = cluster.awaitHealthy(Duration.ofSeconds(30));
            // List the leader last so that picking it is the client's doing, not luck.
            List<String> endpoints = new ArrayList<>(cluster.endpoints());
            String leaderEndpoint = endpoints.remove(leader);
            endpoints.add(leaderEndpoint);
            try (OvsdbClient client = await(OvsdbClient.connect(OvsdbClientOptions.builder(String.join(",", endpoints)).databases(NB)
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build()))) {
                assertThat(client.currentEndpoint().toString()).isEqualTo(leaderEndpoint);
                Monitor monitor = await(client.monitor(MonitorRequest.allOf(NB, "Logical_Switch")));

                Set<String> committed = ConcurrentHashMap.newKeySet();
                int attempts = 0;
                // Write before, during and after the leader's death; keep only what the server acknowledged.
                for (int i = 0; i < 300; i++) {
                    if (i == 100) {
                        cluster.kill(leader);
                    }
                    String name = "raft-ls" + i;
                    attempts++;
                    try {
                        await(client.transact(NB, Operation.insert("Logical_Switch").value("name", name)));
                        committed.add(name);
                    } catch (NotConnectedException | ConnectionClosedException e) {
                        // Not acknowledged: the caller would retry (our writes are idempotent); wait for the new leader.
                        await().atMost(Duration.ofSeconds(30)).until(client::isConnected);
                    }
                }
                assertThat(attempts).isEqualTo(300);
                assertThat(committed.size()).isGreaterThan(250);
                assertThat(client.currentEndpoint().toString()).isNotEqualTo(leaderEndpoint);
                int newLeader = cluster.awaitLeader(Duration.ofSeconds(30));
                assertThat(client.currentEndpoint().toString()).isEqualTo(cluster.endpoint(newLeader));

                // Every acknowledged write is in the cluster, and in our cache.
                Set<String> stored = await(client.transact(NB, Operation.select("Logical_Switch").columns("name"))).get(0).rows().stream()
                    .map(r -> (String) r.get("name")).collect(Collectors.toSet());
                assertThat(stored).containsAll(committed);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(monitor.cache().table("Logical_Switch").rows())
                    .extracting(r -> r.getString("name")).containsAll(committed));
            }
        }
    }
}
