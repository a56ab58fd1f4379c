package io.dpuvpc.simulator.fleet;

import io.dpuvpc.ovn.ovsdb.CacheEvent;
import io.dpuvpc.ovn.ovsdb.DatabaseSchema;
import io.dpuvpc.ovn.ovsdb.Monitor;
import io.dpuvpc.ovn.ovsdb.MonitorRequest;
import io.dpuvpc.ovn.ovsdb.OvsdbClient;
import io.dpuvpc.ovn.ovsdb.OvsdbClientOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * How busy one OVN database is: a monitor of every table counts the update notifications
 * (ovsdb-server sends one per committed transaction that touched what is monitored) and the rows
 * they insert, delete or modify, so a sampler can turn them into transactions/s and rows/s.
 *
 * <p>Every column of every table is monitored except those named in {@code narrow}, which are
 * monitored by the listed column only: the Southbound's {@code Logical_Flow} grows to hundreds of
 * thousands of rows in a large fleet, and mirroring all of it would cost this process more than the
 * figure is worth. Their inserts and deletes still count; a change to another column of theirs
 * does not.
 */
public final class OvsdbActivity implements AutoCloseable {
    /** The Southbound tables monitored by one column only. */
    public static final Map<String, String> SOUTHBOUND_NARROW = Map.of("Logical_Flow", "table_id",
        "Logical_DP_Group", "datapaths");

    private final OvsdbClient client;
    private final LongAdder transactions = new LongAdder();
    private final LongAdder rows = new LongAdder();

    private OvsdbActivity(OvsdbClient client) {
        this.client = client;
    }

    /** Connects to {@code database} at {@code endpoint} and starts counting from now; rows already there do not count. */
    public static OvsdbActivity start(String endpoint, String database, Map<String, String> narrow, Duration timeout)
        throws Exception {
        OvsdbClient client = OvsdbClient.connect(OvsdbClientOptions.builder(endpoint).databases(database)
                .inactivityProbe(SimulatedOvnControllers.PROBE).build())
            .toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            OvsdbActivity activity = new OvsdbActivity(client);
            DatabaseSchema schema = client.schema(database);
            MonitorRequest.Builder request = MonitorRequest.builder(database);
            for (String table : schema.tables().keySet()) {
                String column = narrow.get(table);
                if (column == null) {
                    request.table(table);
                } else {
                    request.table(table, List.of(column));
                }
            }
            Monitor monitor = client.monitor(request.build()).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            monitor.cache().addListener(activity::onEvents, Runnable::run);
            return activity;
        } catch (Exception e) {
            client.close();
            throw e;
        }
    }

    private void onEvents(List<CacheEvent> events) {
        if (!events.isEmpty()) {
            transactions.increment();
            rows.add(events.size());
        }
    }

    /** Update notifications seen so far (about one per transaction committed). */
    public long transactions() {
        return transactions.sum();
    }

    /** Rows inserted, deleted or modified so far. */
    public long rows() {
        return rows.sum();
    }

    @Override
    public void close() {
        client.close();
    }
}
