package io.dpuvpc.ovn.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dpuvpc.ovn.lab.OvnCentral;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every RFC 7047 method and transaction operation, against a real OVN NB ovsdb-server. */
public class OvsdbOperationsIT {
    static final String NB = "OVN_Northbound";

    @TempDir
    static Path dir;
    static OvnCentral ovn;
    static OvsdbClient client;

    @BeforeAll
    static void start() throws Exception {
        ovn = OvnCentral.builder(dir).northd(false).stopOnJvmExit(true).start();
        client = await(OvsdbClient.connect(OvsdbClientOptions.builder(ovn.nbTcpEndpoint()).build()));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (ovn != null) {
            ovn.close();
        }
    }

    public static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    @Test
    void listDbsAndSchema() throws Exception {
        assertThat(await(client.listDbs())).contains(NB, "_Server");
        DatabaseSchema schema = await(client.getSchema(NB));
        assertThat(schema.name()).isEqualTo(NB);
        assertThat(schema.table("Logical_Switch").column("ports").refTable()).isEqualTo("Logical_Switch_Port");
        assertThat(client.schema(NB).version()).isEqualTo(schema.version());
        assertThatThrownBy(() -> schema.table("Logical_Switch").column("no_such_column"))
            .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("no_such_column").hasMessageContaining("Logical_Switch");
    }

    @Test
    void insertWithNamedUuidReferenceThenSelect() throws Exception {
        var port = Operation.insert("Logical_Switch_Port").value("name", "ops-lsp1")
            .value("addresses", Set.of("00:00:00:00:00:01 dynamic")).withUuidName("lsp");
        var ls = Operation.insert("Logical_Switch").value("name", "ops-ls1").value("ports", Set.of(port.ref()))
            .value("external_ids", Map.of("owner", "test")).withUuidName("ls");
        List<OperationResult> results = await(client.transact(NB, port, ls, Operation.comment("ops test insert")));
        UUID lsUuid = results.get(1).uuid();
        assertThat(lsUuid).isNotNull();

        var selected = await(client.transact(NB, Operation.select("Logical_Switch", Condition.uuid(lsUuid)).columns("name", "ports", "external_ids")));
        Map<String, Object> row = selected.get(0).rows().get(0);
        assertThat(row.get("name")).isEqualTo("ops-ls1");
        assertThat(row.get("ports")).isEqualTo(results.get(0).uuid());
        assertThat(row.get("external_ids")).isEqualTo(Map.of("owner", "test"));
    }

    @Test
    void updateMutateDelete() throws Exception {
        UUID ls = await(client.transact(NB, Operation.insert("Logical_Switch").value("name", "ops-ls2"))).get(0).uuid();

        var updated = await(client.transact(NB, Operation.update("Logical_Switch", Map.of("other_config", Map.of("subnet", "10.0.0.0/24")),
            Condition.eq("name", "ops-ls2"))));
        assertThat(updated.get(0).count()).isEqualTo(1);

        var mutated = await(client.transact(NB, Operation.mutate("Logical_Switch",
            List.of(Mutation.insert("external_ids", Map.of("a", "1", "b", "2")), Mutation.insert("other_config", Map.of("exclude_ips", "10.0.0.1"))),
            Condition.uuid(ls))));
        assertThat(mutated.get(0).count()).isEqualTo(1);
        await(client.transact(NB, Operation.mutate("Logical_Switch", List.of(Mutation.delete("external_ids", Set.of("a"))), Condition.uuid(ls))));

        var row = await(client.transact(NB, Operation.select("Logical_Switch", Condition.uuid(ls)))).get(0).rows().get(0);
        assertThat(row.get("external_ids")).isEqualTo(Map.of("b", "2"));
        assertThat(row.get("other_config")).isEqualTo(Map.of("subnet", "10.0.0.0/24", "exclude_ips", "10.0.0.1"));

        var deleted = await(client.transact(NB, Operation.delete("Logical_Switch", Condition.uuid(ls))));
        assertThat(deleted.get(0).count()).isEqualTo(1);
        assertThat(await(client.transact(NB, Operation.select("Logical_Switch", Condition.uuid(ls)))).get(0).rows()).isEmpty();
    }

    @Test
    void integerMutationOnNbGlobal() throws Exception {
        await(client.transact(NB, Operation.insert("NB_Global").value("nb_cfg", 5L)));
        var result = await(client.transact(NB, Operation.mutate("NB_Global", List.of(Mutation.add("nb_cfg", 1L))),
            Operation.select("NB_Global").columns("nb_cfg")));
        assertThat(result.get(1).rows().get(0).get("nb_cfg")).isEqualTo(6L);
    }

    @Test
    void waitSucceedsWhenTheConditionHoldsAndTimesOutWhenNot() throws Exception {
        await(client.transact(NB, Operation.insert("Logical_Switch").value("name", "ops-wait")));
        var holds = Operation.waitUntil("Logical_Switch", "==", List.of(Condition.eq("name", "ops-wait")), List.of("name"),
            List.of(Map.of("name", "ops-wait")), 0);
        assertThat(await(client.transact(NB, holds, Operation.commit(true)))).hasSize(2);

        var notYet = Operation.waitUntil("Logical_Switch", "==", List.of(Condition.eq("name", "ops-wait")), List.of("name"),
            List.of(Map.of("name", "something-else")), 0);
        assertThatThrownBy(() -> await(client.transact(NB, notYet, Operation.insert("Logical_Switch").value("name", "never"))))
            .isInstanceOfSatisfying(TransactionFailedException.class, e -> {
                assertThat(e.failedIndex()).isZero();
                assertThat(e.error()).isInstanceOf(OvsdbErrorException.TimedOut.class);
            });
        assertThat(await(client.transact(NB, Operation.select("Logical_Switch", Condition.eq("name", "never")))).get(0).rows()).isEmpty();
    }

    @Test
    void abortFailsTheWholeTransaction() throws Exception {
        assertThatThrownBy(() -> await(client.transact(NB, Operation.insert("Logical_Switch").value("name", "aborted"), Operation.abort())))
            .isInstanceOfSatisfying(TransactionFailedException.class, e -> assertThat(e.error()).isInstanceOf(OvsdbErrorException.Aborted.class));
        assertThat(await(client.transact(NB, Operation.select("Logical_Switch", Condition.eq("name", "aborted")))).get(0).rows()).isEmpty();
    }

    @Test
    void assertOnALockWeDoNotHoldFailsWithNotOwner() throws Exception {
        assertThatThrownBy(() -> await(client.transact(NB, Operation.assertLock("vpc_lock"))))
            .isInstanceOfSatisfying(TransactionFailedException.class, e -> assertThat(e.error()).isInstanceOf(OvsdbErrorException.NotOwner.class));
        // With the lock held, assert passes (ovsdb-server's lock method, RFC 7047 4.1.8).
        var locked = await(client.call("lock", "vpc_lock"));
        assertThat(locked.path("locked").asBoolean()).isTrue();
        assertThat(await(client.transact(NB, Operation.assertLock("vpc_lock")))).hasSize(1);
        await(client.call("unlock", "vpc_lock"));
    }

    @Test
    void constraintViolationIsTyped() throws Exception {
        // A Logical_Switch_Port must be referenced by a switch (it is not a root table): committing
        // an orphan port is a referential-integrity matter the server settles by garbage collection,
        // but a duplicate name in the indexed Logical_Router_Port.name is a constraint violation.
        await(client.transact(NB, Operation.insert("Logical_Router_Port").value("name", "dup").value("mac", "00:00:00:00:00:02")
            .value("networks", Set.of("10.0.0.1/24")).withUuidName("a"),
            Operation.insert("Logical_Router").value("name", "r-dup").value("ports", Set.of(new NamedUuid("a")))));
        assertThatThrownBy(() -> await(client.transact(NB,
            Operation.insert("Logical_Router_Port").value("name", "dup").value("mac", "00:00:00:00:00:03")
                .value("networks", Set.of("10.0.1.1/24")).withUuidName("b"),
            Operation.mutate("Logical_Router", List.of(Mutation.insert("ports", Set.of(new NamedUuid("b")))), Condition.eq("name", "r-dup")))))
            .isInstanceOfSatisfying(TransactionFailedException.class,
                e -> assertThat(e.error()).isInstanceOf(OvsdbErrorException.ConstraintViolation.class));
    }

    @Test
    void unknownDatabaseIsTyped() {
        assertThatThrownBy(() -> await(client.transact("No_Such_DB", Operation.comment("x"))))
            .isInstanceOf(OvsdbErrorException.UnknownDatabase.class).hasMessageContaining("unknown database");
    }

    @Test
    void echoRoundTrip() throws Exception {
        assertThat(await(client.echo("hello", "world")).toString()).isEqualTo("[\"hello\",\"world\"]");
    }

    @Test
    void unixSocketTransport() throws Exception {
        try (OvsdbClient unix = await(OvsdbClient.connect(OvsdbClientOptions.builder(ovn.nbUnixEndpoint()).databases(NB).build()))) {
            assertThat(await(unix.listDbs())).contains(NB);
            assertThat(unix.currentEndpoint().transport()).isEqualTo(OvsdbEndpoint.Transport.UNIX);
        }
    }

    @Test
    void monitorCancelStopsUpdates() throws Exception {
        Monitor monitor = await(client.monitor(MonitorRequest.builder(NB).table("Logical_Switch", List.of("name"),
            Condition.eq("name", "cancel-me")).build()));
        await(client.transact(NB, Operation.insert("Logical_Switch").value("name", "cancel-me")));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> monitor.cache().table("Logical_Switch").size() == 1);

        await(client.monitorCancel(monitor));
        await(client.transact(NB, Operation.delete("Logical_Switch", Condition.eq("name", "cancel-me"))));
        await(client.echo()); // a round trip after the delete: any update for it would have come before this reply
        assertThat(monitor.cache().table("Logical_Switch").size()).isEqualTo(1);
        // The server forgot the monitor: cancelling again is an error it names.
        assertThatThrownBy(() -> await(client.call("monitor_cancel", monitor.id()))).isInstanceOf(OvsdbErrorException.class)
            .hasMessageContaining("unknown monitor");
    }

    @Test
    void closingFromACallbackOnTheIoThreadDoesNotHang() throws Exception {
        OvsdbClient other = await(OvsdbClient.connect(OvsdbClientOptions.builder(ovn.nbTcpEndpoint()).databases(NB).build()));
        var closed = other.echo().thenRun(other::close).toCompletableFuture();
        closed.get(5, TimeUnit.SECONDS);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !other.isConnected());
        assertThatThrownBy(() -> await(other.echo())).isInstanceOf(NotConnectedException.class);
    }

    @Test
    void connectToNothingFailsWithTheReason() {
        assertThatThrownBy(() -> await(OvsdbClient.connect(OvsdbClientOptions.builder("tcp:127.0.0.1:1")
            .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(10)).build())))
            .isInstanceOf(OvsdbException.class).hasMessageContaining("tcp:127.0.0.1:1");
    }
}
