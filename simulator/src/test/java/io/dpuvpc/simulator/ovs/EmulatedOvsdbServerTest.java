package io.dpuvpc.simulator.ovs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpuvpc.ovn.ovsdb.Condition;
import io.dpuvpc.ovn.ovsdb.Monitor;
import io.dpuvpc.ovn.ovsdb.MonitorMethod;
import io.dpuvpc.ovn.ovsdb.MonitorRequest;
import io.dpuvpc.ovn.ovsdb.Mutation;
import io.dpuvpc.ovn.ovsdb.NamedUuid;
import io.dpuvpc.ovn.ovsdb.Operation;
import io.dpuvpc.ovn.ovsdb.OperationResult;
import io.dpuvpc.ovn.ovsdb.OvsdbClient;
import io.dpuvpc.ovn.ovsdb.OvsdbClientOptions;
import io.dpuvpc.ovn.ovsdb.OvsdbErrorException;
import io.dpuvpc.ovn.ovsdb.Row;
import io.dpuvpc.ovn.ovsdb.TransactionFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transaction and monitor semantics of the emulated ovsdb-server, through our own client (the
 * one the node agent uses) and, for malformed requests, raw JSON on the socket.
 */
class EmulatedOvsdbServerTest {
    private static final String DB = "Open_vSwitch";

    @TempDir
    Path dir;
    private EmulatedOvsdbServer server;
    private EmulatedDatabase database;
    private OvsdbClient client;

    @BeforeEach
    void start() {
        server = EmulatedOvsdbServer.start(dir, 1);
        database = server.open("dpu-1");
        client = connect(MonitorMethod.MONITOR_COND_SINCE);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private OvsdbClient connect(MonitorMethod method) {
        return join(OvsdbClient.connect(OvsdbClientOptions.builder(database.remote()).databases(DB).leaderOnly(false)
            .preferredMonitor(method).build()));
    }

    @Test
    void servesTheInstalledSchemaVerbatimAndItsOneDatabase() throws IOException {
        assertThat(join(client.listDbs())).containsExactly(DB);
        JsonNode served = join(client.call("get_schema", DB));
        // As text: the client reads integers as longs, a plain mapper as ints.
        assertThat(served.toString().equals(new ObjectMapper().readTree(ServedSchema.VSWITCH.toFile()).toString()))
            .as("get_schema is the installed file").isTrue();
        assertThat(join(client.echo("a", "b"))).hasToString("[\"a\",\"b\"]");
    }

    @Test
    void rowsNoStrongReferenceHoldsAreCollectedWithTheirChildren() {
        UUID root = rootWithBridge("br-int", "p1");
        assertThat(names("Port")).containsExactly("p1");
        assertThat(names("Interface")).containsExactly("p1");
        UUID bridge = byName("Bridge", "br-int").uuid();
        UUID port = byName("Port", "p1").uuid();

        join(client.transact(DB, Operation.mutate("Bridge", List.of(Mutation.delete("ports", Set.of(port))), Condition.uuid(bridge))));
        assertThat(names("Port")).isEmpty();
        assertThat(names("Interface")).isEmpty();
        assertThat(names("Bridge")).containsExactly("br-int");

        // Unlinking the bridge from the root row (a root table: it stays) collects the bridge.
        join(client.transact(DB, Operation.mutate("Open_vSwitch", List.of(Mutation.delete("bridges", Set.of(bridge))),
            Condition.uuid(root))));
        assertThat(names("Bridge")).isEmpty();
        assertThat(join(database.rows("Open_vSwitch"))).hasSize(1);
        // A non-root row inserted without a reference never shows.
        join(client.transact(DB, Operation.insert("Interface").value("name", "orphan")));
        assertThat(names("Interface")).isEmpty();
    }

    @Test
    void aStronglyReferencedRowCannotBeDeleted() {
        rootWithBridge("br-int", "p1");
        assertThat(refused(Operation.delete("Port", Condition.eq("name", "p1"))).error())
            .isInstanceOf(OvsdbErrorException.ReferentialIntegrityViolation.class);
        assertThat(names("Port")).containsExactly("p1");
    }

    @Test
    void aMapInsertKeepsExistingKeysAndADeleteTakesKeysOrMatchingPairs() {
        UUID root = rootWithBridge("br-int", "p1");
        Condition where = Condition.uuid(root);
        join(client.transact(DB, Operation.update("Open_vSwitch", Map.of("external_ids", Map.of("a", "1", "b", "2", "c", "3")), where)));
        join(client.transact(DB, Operation.mutate("Open_vSwitch",
            List.of(Mutation.insert("external_ids", Map.of("a", "changed", "d", "4"))), where)));
        assertThat(rootIds()).isEqualTo(Map.of("a", "1", "b", "2", "c", "3", "d", "4"));

        join(client.transact(DB, Operation.mutate("Open_vSwitch", List.of(
            Mutation.delete("external_ids", Set.of("a")),
            Mutation.delete("external_ids", Map.of("b", "2", "c", "not-its-value"))), where)));
        assertThat(rootIds()).isEqualTo(Map.of("c", "3", "d", "4"));

        // The agent's idiom (LocalOvs.mapMutations): delete the stale key, insert the wanted pair, in one operation.
        join(client.transact(DB, Operation.mutate("Open_vSwitch", List.of(
            Mutation.delete("external_ids", Set.of("c")), Mutation.insert("external_ids", Map.of("c", "new"))), where)));
        assertThat(rootIds()).isEqualTo(Map.of("c", "new", "d", "4"));
    }

    @Test
    void anErrorAbortsTheWholeTransaction() {
        rootWithBridge("br-int", "p1");
        UUID bridge = byName("Bridge", "br-int").uuid();
        List<Operation> addP2 = addPort(bridge, "p2");
        Operation rename = Operation.update("Bridge", Map.of("name", "br-renamed"), Condition.uuid(bridge)); // immutable

        TransactionFailedException failed = refused(addP2.get(0), addP2.get(1), addP2.get(2), rename);
        assertThat(failed.failedIndex()).isEqualTo(3);
        assertThat(failed.error()).isInstanceOf(OvsdbErrorException.ConstraintViolation.class);
        assertThat(names("Port")).containsExactly("p1");
        assertThat(names("Interface")).containsExactly("p1");
        assertThatThrownBy(() -> join(client.transact(DB, addP2.get(0), addP2.get(1), addP2.get(2), Operation.abort())))
            .hasRootCauseInstanceOf(OvsdbErrorException.Aborted.class);
        assertThat(names("Port")).containsExactly("p1");
    }

    @Test
    void theUniqueNameIndexFailsTheCommit() {
        rootWithBridge("br-int", "p1");
        TransactionFailedException failed = refused(addPort(byName("Bridge", "br-int").uuid(), "p1").toArray(Operation[]::new));
        assertThat(failed.failedIndex()).isEqualTo(3); // the commit, after the three operations
        assertThat(failed.error()).isInstanceOf(OvsdbErrorException.ConstraintViolation.class);
        assertThat(failed.error().details()).contains("identical values");
        assertThat(join(database.rows("Port"))).hasSize(1);
    }

    @Test
    void selectWaitAndCommentAnswerAsRfc7047Says() {
        rootWithBridge("br-int", "p1");
        List<OperationResult> results = join(client.transact(DB, Operation.comment("why"),
            Operation.waitUntil("Bridge", "==", List.of(Condition.eq("name", "br-int")), List.of("name"),
                List.of(Map.of("name", "br-int")), 0),
            Operation.select("Port", Condition.eq("name", "p1"))));
        assertThat(results.get(2).rows()).singleElement().satisfies(row -> {
            assertThat(row.get("name")).isEqualTo("p1");
            assertThat(row).containsKeys("_uuid", "_version", "interfaces");
        });
        assertThatThrownBy(() -> join(client.transact(DB, Operation.waitUntil("Bridge", "==",
                List.of(Condition.eq("name", "br-none")), List.of("name"), List.of(Map.of("name", "br-none")), 0))))
            .hasRootCauseInstanceOf(OvsdbErrorException.TimedOut.class);
    }

    @Test
    void aWaitWithATimeoutHoldsTheTransactionBackUntilACommitMakesItHold() throws Exception {
        UUID root = rootWithBridge("br-int", "p1");
        Operation waitForLate = Operation.waitUntil("Bridge", "==", List.of(Condition.eq("name", "br-late")), List.of("name"),
            List.of(Map.of("name", "br-late")), 5_000);
        Operation mark = Operation.mutate("Open_vSwitch", List.of(Mutation.insert("external_ids", Map.of("saw", "br-late"))),
            Condition.uuid(root));
        var held = client.transact(DB, waitForLate, mark).toCompletableFuture();
        Thread.sleep(300);
        assertThat(held).isNotDone();
        assertThat(rootIds()).doesNotContainKey("saw");

        // Another writer adds the bridge: the held transaction runs, after that commit.
        Operation.Insert late = new Operation.Insert("Bridge", Map.of("name", "br-late"), "b");
        join(database.transact(List.of(late,
            Operation.mutate("Open_vSwitch", List.of(Mutation.insert("bridges", Set.of(late.ref()))), Condition.uuid(root)))));
        assertThat(held.get(5, TimeUnit.SECONDS)).hasSize(2);
        assertThat(rootIds()).containsEntry("saw", "br-late");

        // One that never holds fails with "timed out" once its timeout is over, having written nothing.
        long started = System.nanoTime();
        Operation never = Operation.waitUntil("Bridge", "==", List.of(Condition.eq("name", "br-never")), List.of("name"),
            List.of(Map.of("name", "br-never")), 300);
        assertThatThrownBy(() -> join(client.transact(DB, never, Operation.mutate("Open_vSwitch",
                List.of(Mutation.insert("external_ids", Map.of("never", "x"))), Condition.uuid(root)))))
            .hasRootCauseInstanceOf(OvsdbErrorException.TimedOut.class);
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        assertThat(rootIds()).doesNotContainKey("never");
    }

    @Test
    void badRequestsAreAnsweredWithErrorsNeverLeftHanging() throws IOException {
        assertThatThrownBy(() -> join(client.call("steal", "lock")))
            .isInstanceOf(OvsdbErrorException.UnknownMethod.class);
        assertThatThrownBy(() -> join(client.call("get_schema", "OVN_Southbound")))
            .isInstanceOf(OvsdbErrorException.UnknownDatabase.class);
        // The root table holds one row at most (maxRows 1).
        rootWithBridge("br-int", "p1");
        assertThatThrownBy(() -> join(client.transact(DB, Operation.insert("Open_vSwitch"))))
            .isInstanceOf(TransactionFailedException.class).hasMessageContaining("constraint violation");
        assertThatThrownBy(() -> join(client.transact(DB, Operation.insert("No_Such_Table"))))
            .isInstanceOf(TransactionFailedException.class);
        assertThatThrownBy(() -> join(client.transact(DB, Operation.insert("Bridge").value("datapath_id", 42L)))) // a string column
            .isInstanceOf(TransactionFailedException.class)
            .hasMessageContaining("syntax error");

        // Raw JSON that no typed client would send: params not an array, an operation without "op".
        try (SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            raw.connect(UnixDomainSocketAddress.of(database.remote().substring("unix:".length())));
            OutputStream out = Channels.newOutputStream(raw);
            out.write("{\"id\":1,\"method\":\"transact\",\"params\":{}}{\"id\":2,\"method\":\"transact\",\"params\":[\"Open_vSwitch\",{\"table\":\"Bridge\"}]}"
                .getBytes(StandardCharsets.UTF_8));
            InputStream in = Channels.newInputStream(raw);
            String replies = readReplies(in, 2);
            assertThat(replies).contains("\"id\":1").contains("\"error\":{\"error\":\"syntax error\"");
            assertThat(replies).contains("\"id\":2").contains("an operation must be an object with");
        }
    }

    private static String readReplies(InputStream in, int count) throws IOException {
        StringBuilder text = new StringBuilder();
        int depth = 0;
        int seen = 0;
        while (seen < count) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            text.append((char) c);
            depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            if (c == '}' && depth == 0) {
                seen++;
            }
        }
        return text.toString();
    }

    @Test
    void everyMonitorFlavourFollowsCommitsOfOtherSessions() {
        for (MonitorMethod method : MonitorMethod.values()) {
            try (OvsdbClient watcher = connect(method)) {
                Monitor monitor = join(watcher.monitor(MonitorRequest.allOf(DB, "Open_vSwitch", "Bridge", "Port", "Interface")));
                assertThat(monitor.method()).isEqualTo(method);
                UUID root = join(database.rows("Open_vSwitch")).stream().findFirst().map(Row::uuid)
                    .orElseGet(() -> rootWithBridge("br-" + method.ordinal(), "p" + method.ordinal()));
                String tag = method.wireName();
                join(client.transact(DB, Operation.mutate("Open_vSwitch", List.of(
                    Mutation.delete("external_ids", Set.of("seen")), Mutation.insert("external_ids", Map.of("seen", tag))),
                    Condition.uuid(root))));
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                    Row cached = monitor.cache().table("Open_vSwitch").row(root).orElseThrow();
                    assertThat(cached.getStringMap("external_ids")).containsEntry("seen", tag);
                    assertThat(monitor.cache().table("Bridge").rows()).isNotEmpty();
                    assertThat(monitor.cache().table("Interface").rows()).isNotEmpty();
                });
                // A row removed by garbage collection leaves the cache too.
                UUID port = byName("Port", "p0").uuid();
                UUID bridge = byName("Bridge", "br-0").uuid();
                join(client.transact(DB, Operation.mutate("Bridge", List.of(Mutation.delete("ports", Set.of(port))),
                    Condition.uuid(bridge))));
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(monitor.cache().table("Port").row(port)).isEmpty());
                // Put it back for the next flavour.
                join(client.transact(DB, addPort(bridge, "p0")));
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(monitor.cache().table("Port").byName("p0")).hasSize(1));
                join(watcher.monitorCancel(monitor));
            }
        }
    }

    @Test
    void ovsCniPortsAreMadeAsOvsCniMakesThemAndNeedTheirBridge() {
        OvsCniPort port = new OvsCniPort("br-int", "veth1a2b", "net1", "/var/run/netns/pod-a");
        assertThatThrownBy(() -> join(database.addOvsCniPort(port))).hasMessageContaining("timed out");
        assertThat(join(database.rows("Port"))).isEmpty();

        rootWithBridge("br-int", "p1");
        join(database.addOvsCniPort(port));
        Row made = byName("Port", "veth1a2b");
        assertThat(made.getStringMap("external_ids")).isEqualTo(Map.of("owner", OvsCniPort.OWNER, "contIface", "net1",
            "contNetns", "/var/run/netns/pod-a"));
        assertThat(byName("Interface", "veth1a2b").getStringMap("external_ids")).isEmpty();
        assertThat(byName("Bridge", "br-int").getSet("ports")).contains(made.uuid());

        join(database.removeOvsCniPort("br-int", "veth1a2b"));
        assertThat(names("Port")).containsExactly("p1");
        assertThat(names("Interface")).containsExactly("p1");
    }

    @Test
    void aSuspendedDatabaseDropsItsSessionsAndComesBackWithItsRows() {
        rootWithBridge("br-int", "p1");
        server.suspend("dpu-1");
        await().atMost(Duration.ofSeconds(5)).until(() -> !client.isConnected());
        server.resume("dpu-1");
        await().atMost(Duration.ofSeconds(10)).until(client::isConnected);
        assertThat(join(client.transact(DB, Operation.select("Bridge"))).get(0).rows())
            .extracting(r -> r.get("name")).containsExactly("br-int");
    }

    // ---- helpers

    /** The root row with one bridge holding one port of one interface, as ovs-vsctl makes them; the root's uuid. */
    private UUID rootWithBridge(String bridge, String port) {
        Operation.Insert iface = new Operation.Insert("Interface", Map.of("name", port), "i");
        Operation.Insert portRow = new Operation.Insert("Port", Map.of("name", port, "interfaces", Set.of(iface.ref())), "p");
        Operation.Insert bridgeRow = new Operation.Insert("Bridge", Map.of("name", bridge, "ports", Set.of(portRow.ref())), "b");
        Operation.Insert root = new Operation.Insert("Open_vSwitch", Map.of("bridges", Set.of(new NamedUuid("b"))), "r");
        return join(client.transact(DB, iface, portRow, bridgeRow, root)).get(3).uuid();
    }

    /** A port with its interface of the same name, linked into {@code bridge}: three operations. */
    private static List<Operation> addPort(UUID bridge, String name) {
        Operation.Insert iface = new Operation.Insert("Interface", Map.of("name", name), "i");
        Operation.Insert port = new Operation.Insert("Port", Map.of("name", name, "interfaces", Set.of(iface.ref())), "p");
        return List.of(iface, port,
            Operation.mutate("Bridge", List.of(Mutation.insert("ports", Set.of(port.ref()))), Condition.uuid(bridge)));
    }

    /** The failure of a transaction that must be refused. */
    private TransactionFailedException refused(Operation... operations) {
        try {
            join(client.transact(DB, operations));
        } catch (TransactionFailedException e) {
            return e;
        }
        throw new AssertionError("the transaction was committed");
    }

    private Row byName(String table, String name) {
        return join(database.rows(table)).stream().filter(r -> name.equals(r.getString("name"))).findFirst().orElseThrow();
    }

    private List<String> names(String table) {
        return join(database.rows(table)).stream().map(r -> r.getString("name")).sorted().toList();
    }

    private Map<String, String> rootIds() {
        return join(database.rows("Open_vSwitch")).get(0).getStringMap("external_ids");
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new CompletionException(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
