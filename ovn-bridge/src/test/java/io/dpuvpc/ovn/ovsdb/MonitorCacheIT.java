package io.dpuvpc.ovn.ovsdb;

import static io.dpuvpc.ovn.ovsdb.OvsdbOperationsIT.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dpuvpc.ovn.lab.OvnCentral;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Monitors against a real NB ovsdb-server: the cache equals a fresh select after 1,000
 * concurrent mutations from several writers, for each monitor method, and a server restart is
 * followed by a reconnect and a resynchronised cache.
 */
class MonitorCacheIT {
    static final String NB = "OVN_Northbound";

    @TempDir
    Path dir;
    OvnCentral ovn;
    final List<OvsdbClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        ovn = OvnCentral.builder(dir).northd(false).stopOnJvmExit(true).start();
    }

    @AfterEach
    void stop() {
        clients.forEach(OvsdbClient::close);
        ovn.close();
    }

    OvsdbClient connect(MonitorMethod method) throws Exception {
        OvsdbClient client = await(OvsdbClient.connect(OvsdbClientOptions.builder(ovn.nbTcpEndpoint()).databases(NB)
            .preferredMonitor(method).reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500)).build()));
        clients.add(client);
        return client;
    }

    @Test
    void cacheEqualsSelectAfterConcurrentMutationsWithMonitorCondSince() throws Exception {
        cacheEqualsSelectAfterConcurrentMutations(MonitorMethod.MONITOR_COND_SINCE);
    }

    @Test
    void cacheEqualsSelectAfterConcurrentMutationsWithMonitorCond() throws Exception {
        cacheEqualsSelectAfterConcurrentMutations(MonitorMethod.MONITOR_COND);
    }

    @Test
    void cacheEqualsSelectAfterConcurrentMutationsWithMonitor() throws Exception {
        cacheEqualsSelectAfterConcurrentMutations(MonitorMethod.MONITOR);
    }

    void cacheEqualsSelectAfterConcurrentMutations(MonitorMethod method) throws Exception {
        OvsdbClient watcher = connect(method);
        Monitor monitor = await(watcher.monitor(MonitorRequest.allOf(NB, "Logical_Switch", "Logical_Switch_Port")));
        assertThat(monitor.method()).isEqualTo(method);
        List<CacheEvent> seen = new CopyOnWriteArrayList<>();
        monitor.cache().addListener(seen::addAll, Runnable::run);

        // Four writers, each with its own connection, 250 mutations each, all in flight at once:
        // inserts of switches with ports, external_ids and other_config changes, port moves, deletes.
        List<OvsdbClient> writers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            writers.add(connect(MonitorMethod.MONITOR_COND));
        }
        List<CompletableFuture<?>> all = new ArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        for (int w = 0; w < writers.size(); w++) {
            OvsdbClient writer = writers.get(w);
            for (int i = 0; i < 250; i++) {
                all.add(writer.transact(NB, mutation(w, i)).toCompletableFuture()
                    .exceptionally(e -> {
                        failures.incrementAndGet();
                        return null;
                    }));
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        assertThat(failures).hasValue(0);

        // Then the cache must equal what a fresh select returns, row for row, column for column.
        for (String table : List.of("Logical_Switch", "Logical_Switch_Port")) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cached(monitor, table)).isEqualTo(selected(watcher, table)));
        }
        // The reference index the planner uses agrees with a scan of every switch's ports.
        TableCache switches = monitor.cache().table("Logical_Switch");
        for (Row port : monitor.cache().table("Logical_Switch_Port").rows()) {
            assertThat(switches.referrers("ports", port.uuid())).containsExactlyInAnyOrderElementsOf(
                switches.rows().stream().filter(s -> s.getSet("ports").contains(port.uuid())).toList());
        }
        assertThat(monitor.cache().table("Logical_Switch").size()).isEqualTo(400); // 600 inserted, 200 deleted
        assertThat(seen).isNotEmpty();
        if (method == MonitorMethod.MONITOR_COND_SINCE) {
            assertThat(monitor.cache().lastTxnId()).isNotNull();
        }
    }

    /** The i-th mutation of writer w: a mix of every kind of change, each on the writer's own rows. */
    static List<Operation> mutation(int w, int i) {
        String name = "w" + w + "-ls" + i;
        return switch (i % 5) {
            case 0, 1 -> List.of(
                Operation.insert("Logical_Switch_Port").value("name", name + "-p").value("addresses", Set.of("00:00:00:00:0" + w + ":01 dynamic"))
                    .withUuidName("p"),
                Operation.insert("Logical_Switch").value("name", name).value("ports", Set.of(new NamedUuid("p")))
                    .value("external_ids", Map.of("writer", "w" + w, "n", String.valueOf(i))));
            case 2 -> List.of(Operation.insert("Logical_Switch").value("name", name)
                .value("other_config", Map.of("subnet", "10." + w + "." + i % 256 + ".0/24")));
            case 3 -> List.of(Operation.mutate("Logical_Switch", List.of(Mutation.insert("external_ids", Map.of("touched", "yes")),
                Mutation.delete("external_ids", Set.of("n"))), Condition.eq("name", "w" + w + "-ls" + (i - 3))));
            default -> List.of(Operation.delete("Logical_Switch", Condition.eq("name", "w" + w + "-ls" + (i - 2))),
                Operation.update("Logical_Switch", Map.of("other_config", Map.of("mtu", "9000")), Condition.eq("name", "w" + w + "-ls" + (i - 3))));
        };
    }

    static Map<UUID, Map<String, Object>> cached(Monitor monitor, String table) {
        Map<UUID, Map<String, Object>> rows = new HashMap<>();
        for (Row row : monitor.cache().table(table).rows()) {
            Map<String, Object> columns = new HashMap<>(row.columns());
            columns.remove("_version");
            columns.remove("_uuid");
            rows.put(row.uuid(), columns);
        }
        return rows;
    }

    /** A fresh select, shaped by the schema as the cache is. */
    static Map<UUID, Map<String, Object>> selected(OvsdbClient client, String table) throws Exception {
        TableSchema schema = client.schema(NB).table(table);
        Map<UUID, Map<String, Object>> rows = new HashMap<>();
        for (Map<String, Object> raw : await(client.transact(NB, Operation.select(table))).get(0).rows()) {
            Map<String, Object> columns = new HashMap<>();
            raw.forEach((k, v) -> columns.put(k, schema.column(k).normalize(v)));
            UUID uuid = (UUID) columns.remove("_uuid");
            columns.remove("_version");
            rows.put(uuid, columns);
        }
        return rows;
    }

    @Test
    void serverRestartReconnectsAndResynchronisesTheCache() throws Exception {
        OvsdbClient client = connect(MonitorMethod.MONITOR_COND_SINCE);
        Monitor monitor = await(client.monitor(MonitorRequest.allOf(NB, "Logical_Switch")));
        List<String> connections = new CopyOnWriteArrayList<>();
        client.addConnectionListener(new ConnectionListener() {
            @Override
            public void connected(OvsdbEndpoint endpoint) {
                connections.add("up");
            }

            @Override
            public void disconnected(OvsdbEndpoint endpoint, Throwable cause) {
                connections.add("down");
            }
        });
        await(client.transact(NB, Operation.insert("Logical_Switch").value("name", "before")));
        await().atMost(Duration.ofSeconds(5)).until(() -> monitor.cache().table("Logical_Switch").byName("before").size() == 1);

        // While the client is cut off, the database changes behind its back (ovn-nbctl on the file).
        ovn.stopNb();
        await().atMost(Duration.ofSeconds(5)).until(() -> !client.isConnected());
        ovn.startNb();
        // Changed by another client right after restart, possibly before ours is back.
        ovn.nbctl("ls-add", "while-away");
        ovn.nbctl("ls-del", "before");

        await().atMost(Duration.ofSeconds(15)).until(client::isConnected);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(monitor.cache().table("Logical_Switch").byName("while-away")).hasSize(1);
            assertThat(monitor.cache().table("Logical_Switch").byName("before")).isEmpty();
            assertThat(cached(monitor, "Logical_Switch")).isEqualTo(selected(client, "Logical_Switch"));
        });
        assertThat(connections).containsSubsequence("down", "up");
        // And it keeps following changes.
        ovn.nbctl("ls-add", "after");
        await().atMost(Duration.ofSeconds(5)).until(() -> monitor.cache().table("Logical_Switch").byName("after").size() == 1);
    }

    @Test
    void wipedServerEmptiesTheCache() throws Exception {
        OvsdbClient client = connect(MonitorMethod.MONITOR_COND_SINCE);
        Monitor monitor = await(client.monitor(MonitorRequest.allOf(NB, "Logical_Switch")));
        await(client.transact(NB, Operation.insert("Logical_Switch").value("name", "gone-with-the-data")));
        await().atMost(Duration.ofSeconds(5)).until(() -> monitor.cache().table("Logical_Switch").size() == 1);
        List<CacheEvent> events = new CopyOnWriteArrayList<>();
        monitor.cache().addListener(events::addAll, Runnable::run);

        ovn.wipeNb();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(client.isConnected()).isTrue();
            assertThat(monitor.cache().table("Logical_Switch").size()).isZero();
        });
        assertThat(events).anySatisfy(e -> assertThat(e.kind()).isEqualTo(CacheEvent.Kind.DELETE));
    }

    @Test
    void listenersRunOnTheirOwnExecutorAndSeeEveryChange() throws Exception {
        OvsdbClient client = connect(MonitorMethod.MONITOR_COND_SINCE);
        Monitor monitor = await(client.monitor(MonitorRequest.builder(NB)
            .table("Logical_Switch", List.of("name", "external_ids"), Condition.includes("external_ids", Map.of("owner", "vpc"))).build()));
        ExecutorService executor = Executors.newSingleThreadExecutor();
        List<String> threads = new CopyOnWriteArrayList<>();
        List<CacheEvent> events = new CopyOnWriteArrayList<>();
        monitor.cache().addListener(batch -> {
            threads.add(Thread.currentThread().getName());
            events.addAll(batch);
        }, executor);
        try {
            await(client.transact(NB, Operation.insert("Logical_Switch").value("name", "ours").value("external_ids", Map.of("owner", "vpc")),
                Operation.insert("Logical_Switch").value("name", "foreign")));
            await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
            // The condition kept the foreign row out of the cache, and the listener ran off the I/O thread.
            assertThat(monitor.cache().table("Logical_Switch").rows()).extracting(r -> r.getString("name")).containsExactly("ours");
            assertThat(threads).allSatisfy(t -> assertThat(t).doesNotContain("ioEventLoop"));
        } finally {
            executor.shutdownNow();
        }
    }
}
