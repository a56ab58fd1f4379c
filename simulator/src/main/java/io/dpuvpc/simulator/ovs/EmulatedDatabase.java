package io.dpuvpc.simulator.ovs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpuvpc.ovn.ovsdb.Condition;
import io.dpuvpc.ovn.ovsdb.Mutation;
import io.dpuvpc.ovn.ovsdb.NamedUuid;
import io.dpuvpc.ovn.ovsdb.Operation;
import io.dpuvpc.ovn.ovsdb.Row;
import io.dpuvpc.ovn.ovsdb.TableSchema;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One emulated {@code Open_vSwitch} database, a simulated DPU's: its rows, its listening socket and
 * the monitors of its sessions. Everything here is confined to one event loop of the server (its
 * listener and sessions run there too), so there are no locks; the public methods hop onto it and
 * answer with a {@link CompletionStage}. A commit replaces the row maps whole, so what a monitor
 * compares is the map before and the map after.
 */
public final class EmulatedDatabase {
    private record Watcher(EmulatedOvsdbSession session, MonitorSubscription monitor) {
    }

    private final String dpu;
    private final ServedSchema schema;
    private final EventLoop loop;
    private final Path socket;
    private final List<Watcher> watchers = new ArrayList<>(1);
    /** Transactions held back by a {@code wait}, in arrival order. */
    private final List<Parked> parked = new ArrayList<>(0);
    private final List<Runnable> commitListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Map<String, Map<UUID, Map<String, Object>>> rows = Map.of();
    private String lastTxnId = new UUID(0, 0).toString();
    private volatile Channel listener;

    EmulatedDatabase(String dpu, ServedSchema schema, EventLoop loop, Path socket) {
        this.dpu = dpu;
        this.schema = schema;
        this.loop = loop;
        this.socket = socket;
    }

    /** The remote a client (the node agent's {@code ovsdbRemote}) connects to: {@code unix:PATH}. */
    public String remote() {
        return "unix:" + socket;
    }

    /** The simulated DPU this database belongs to, as the server was asked to open it. */
    public String dpu() {
        return dpu;
    }

    /** The database's name on the wire, the schema's: {@code Open_vSwitch}. */
    String name() {
        return schema.name();
    }

    ServedSchema schema() {
        return schema;
    }

    EventLoop loop() {
        return loop;
    }

    Path socket() {
        return socket;
    }

    void listener(Channel channel) {
        this.listener = channel;
    }

    Channel listener() {
        return listener;
    }

    String lastTxnId() {
        return lastTxnId;
    }

    // ---- called on the loop by sessions

    /**
     * Runs a transaction; {@code reply} gets its results, at once or, when a {@code wait} with a
     * timeout does not hold yet, once a later commit makes it hold or the timeout expires (then
     * with "timed out"), as ovsdb-server holds such a transaction back (RFC 7047 5.2.6). A commit's
     * monitor notifications go out before its reply, as ovsdb-server sends them.
     */
    void transact(List<JsonNode> operations, Consumer<ArrayNode> reply) {
        Attempt attempt = attempt(operations, false);
        if (attempt.blockedMillis() >= 0) {
            park(new Parked(operations, reply), attempt.blockedMillis());
            return;
        }
        reply.accept(attempt.results());
        if (attempt.committed()) {
            retryParked();
        }
    }

    private record Attempt(ArrayNode results, boolean committed, long blockedMillis) {
    }

    private record Parked(List<JsonNode> operations, Consumer<ArrayNode> reply) {
    }

    private Attempt attempt(List<JsonNode> operations, boolean waitsExpired) {
        Transaction txn = new Transaction(schema, rows, waitsExpired);
        ArrayNode results = txn.run(operations);
        if (txn.blockedMillis() >= 0) {
            return new Attempt(results, false, txn.blockedMillis());
        }
        Map<String, Map<UUID, Map<String, Object>>> after = txn.committed();
        if (after == null || after.equals(rows)) {
            return new Attempt(results, false, -1);
        }
        Map<String, Map<UUID, Map<String, Object>>> before = rows;
        rows = after;
        lastTxnId = UUID.randomUUID().toString();
        for (Watcher w : List.copyOf(watchers)) {
            ObjectNode changes = w.monitor().changes(before, after);
            if (!changes.isEmpty()) {
                w.session().notify(w.monitor(), lastTxnId, changes);
            }
        }
        commitListeners.forEach(Runnable::run);
        return new Attempt(results, true, -1);
    }

    private void park(Parked parked, long timeoutMillis) {
        this.parked.add(parked);
        if (timeoutMillis != Long.MAX_VALUE) {
            loop.schedule(() -> {
                if (this.parked.remove(parked)) {
                    Attempt last = attempt(parked.operations(), true);
                    parked.reply().accept(last.results());
                    if (last.committed()) {
                        retryParked();
                    }
                }
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** After a commit, the held-back transactions whose waits may hold now, until none commits. */
    private void retryParked() {
        boolean committed = true;
        while (committed) {
            committed = false;
            for (Parked p : List.copyOf(parked)) {
                Attempt retry = attempt(p.operations(), false);
                if (retry.blockedMillis() < 0) {
                    parked.remove(p);
                    p.reply().accept(retry.results());
                    committed |= retry.committed();
                }
            }
        }
    }

    ObjectNode subscribe(EmulatedOvsdbSession session, MonitorSubscription monitor) {
        watchers.add(new Watcher(session, monitor));
        return monitor.initial(rows);
    }

    void unsubscribe(MonitorSubscription monitor) {
        watchers.removeIf(w -> w.monitor() == monitor);
    }

    // ---- the simulation's own access

    /** Runs {@code operations} as one transaction, as a client's {@code transact} would; its results. */
    public CompletionStage<ArrayNode> transact(List<Operation> operations) {
        CompletableFuture<ArrayNode> results = new CompletableFuture<>();
        List<JsonNode> json = operations.stream().map(op -> (JsonNode) op.toJson()).toList();
        onLoop(() -> {
            transact(json, results::complete);
            return null;
        }).whenComplete((ok, failure) -> {
            if (failure != null) {
                results.completeExceptionally(failure);
            }
        });
        return results;
    }

    /** The rows of {@code table} now, every column filled in (defaults too), as our client's cache holds them. */
    public CompletionStage<List<Row>> rows(String table) {
        return onLoop(() -> {
            TableSchema ts = schema.table(table);
            List<Row> out = new ArrayList<>();
            rows.getOrDefault(table, Map.of()).forEach((uuid, row) -> {
                Map<String, Object> columns = new LinkedHashMap<>();
                ts.columns().forEach((column, type) -> {
                    if (!column.startsWith("_")) {
                        columns.put(column, row.getOrDefault(column, type.defaultValue()));
                    }
                });
                out.add(new Row(table, uuid, columns));
            });
            return List.copyOf(out);
        });
    }

    /** Called on the database's loop after every commit that changed something: it must not block. */
    public void addCommitListener(Runnable listener) {
        commitListeners.add(listener);
    }

    /**
     * What ovs-cni's CNI ADD writes (k8snetworkplumbingwg/ovs-cni {@code createPort}, as
     * {@code OvsCniPorts} in dpu-node reads it): a Port and its Interface of the host-side name in
     * {@code bridge}, the Port marked {@code owner}, {@code contIface}, {@code contNetns}, the
     * Interface without {@code iface-id}. Fails when the bridge is missing or the name is taken.
     */
    public CompletionStage<Void> addOvsCniPort(OvsCniPort port) {
        NamedUuid iface = new NamedUuid("iface");
        NamedUuid portRow = new NamedUuid("port");
        Map<String, Object> portColumns = new LinkedHashMap<>();
        portColumns.put("name", port.hostName());
        portColumns.put("interfaces", Set.of(iface));
        portColumns.put("external_ids", port.externalIds());
        List<Operation> ops = List.of(
            Operation.waitUntil("Bridge", "!=", List.of(Condition.eq("name", port.bridge())), List.of("name"), List.of(), 0),
            new Operation.Insert("Interface", Map.of("name", port.hostName()), iface.name()),
            new Operation.Insert("Port", portColumns, portRow.name()),
            Operation.mutate("Bridge", List.of(Mutation.insert("ports", Set.of(portRow))), Condition.eq("name", port.bridge())));
        return transact(ops).thenApply(EmulatedDatabase::requireSuccess);
    }

    /** ovs-cni's CNI DEL: the port leaves its bridge, and the commit collects it with its Interface. */
    public CompletionStage<Void> removeOvsCniPort(String bridge, String hostName) {
        return onLoop(() -> rows.getOrDefault("Port", Map.of()).entrySet().stream()
                .filter(e -> hostName.equals(e.getValue().get("name"))).map(Map.Entry::getKey).findFirst())
            .thenCompose(uuid -> uuid.map(u -> transact(List.of(Operation.mutate("Bridge",
                    List.of(Mutation.delete("ports", Set.of(u))), Condition.eq("name", bridge))))
                .thenApply(EmulatedDatabase::requireSuccess))
                .orElse(CompletableFuture.completedFuture(null)));
    }

    private static Void requireSuccess(ArrayNode results) {
        for (JsonNode result : results) {
            if (result.hasNonNull("error")) {
                throw new IllegalStateException(result.get("error").asText() + ": " + result.path("details").asText());
            }
        }
        return null;
    }

    private <T> CompletionStage<T> onLoop(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable run = () -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        };
        if (loop.inEventLoop()) {
            run.run();
        } else {
            loop.execute(run);
        }
        return result;
    }

}
