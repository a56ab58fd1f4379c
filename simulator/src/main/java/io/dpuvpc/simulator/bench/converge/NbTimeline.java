package io.dpuvpc.simulator.bench.converge;

import io.dpuvpc.ovn.northbound.NbTables;
import io.dpuvpc.ovn.northbound.Ownership;
import io.dpuvpc.ovn.ovsdb.CacheEvent;
import io.dpuvpc.ovn.ovsdb.Monitor;
import io.dpuvpc.ovn.ovsdb.MonitorRequest;
import io.dpuvpc.ovn.ovsdb.OvsdbClient;
import io.dpuvpc.ovn.ovsdb.OvsdbClientOptions;
import io.dpuvpc.ovn.ovsdb.Row;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * When rows arrived in NB, seen by a monitor of our own (a second connection beside the bridge's):
 * only {@code external_ids} of each managed table, plus {@code dynamic_addresses} of
 * Logical_Switch_Port, so the server sends inserts, deletes and northd's address assignments and
 * little else. Each count keeps the time of every change, so the first time it reached its final
 * value can be found afterwards.
 */
final class NbTimeline implements AutoCloseable {
    private static final String EGRESS_ROLE = "/policy/egress";

    /** One count over time. */
    static final class Series {
        private long value;
        private long[] times = new long[1024];
        private long[] values = new long[1024];
        private int size;

        synchronized void add(long delta, long now) {
            if (delta == 0) {
                return;
            }
            value += delta;
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            times[size] = now;
            values[size] = value;
            size++;
        }

        synchronized long value() {
            return value;
        }

        /**
         * The count after each burst of changes (changes less than {@code gapNanos} apart belong to
         * one burst), as "value@seconds" from {@code t0}: northd assigns addresses a recompute at a time.
         */
        synchronized String bursts(long t0, long gapNanos) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < size; i++) {
                if (i == size - 1 || times[i + 1] - times[i] > gapNanos) {
                    text.append(text.length() == 0 ? "" : " ").append(values[i])
                            .append(String.format(java.util.Locale.ROOT, "@%.1fs", (times[i] - t0) / 1e9));
                }
            }
            return text.toString();
        }

        /** The first time the count was {@code target}, or -1 if never. */
        synchronized long firstReached(long target) {
            for (int i = 0; i < size; i++) {
                if (values[i] == target) {
                    return times[i];
                }
            }
            return -1;
        }
    }

    final Series rows = new Series();
    final Series egressPolicies = new Series();
    /** Rows other than the interfaces' reroute policies (those wait for northd's addresses). */
    final Series otherRows = new Series();
    final Series addressedPorts = new Series();
    private final Set<UUID> addressed = new HashSet<>();
    private final OvsdbClient client;

    private NbTimeline(OvsdbClient client) {
        this.client = client;
    }

    static NbTimeline start(String endpoint) throws Exception {
        OvsdbClient client = OvsdbClient.connect(OvsdbClientOptions.builder(endpoint).databases(NbTables.DATABASE).build())
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        NbTimeline timeline = new NbTimeline(client);
        MonitorRequest.Builder request = MonitorRequest.builder(NbTables.DATABASE);
        for (String table : NbTables.MANAGED) {
            request.table(table, table.equals("Logical_Switch_Port") ? List.of("external_ids", "dynamic_addresses")
                    : List.of("external_ids"));
        }
        Monitor monitor = client.monitor(request.build()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        // Rows already there (none on a fresh NB) count from now.
        long now = System.nanoTime();
        for (String table : NbTables.MANAGED) {
            for (Row row : monitor.cache().table(table).rows()) {
                timeline.inserted(row, now);
            }
        }
        monitor.cache().addListener(timeline::onEvents, Runnable::run);
        return timeline;
    }

    private synchronized void onEvents(List<CacheEvent> events) {
        long now = System.nanoTime();
        for (CacheEvent event : events) {
            switch (event.kind()) {
                case INSERT -> inserted(event.newRow(), now);
                case DELETE -> {
                    rows.add(-1, now);
                    if (isEgress(event.oldRow())) {
                        egressPolicies.add(-1, now);
                    } else {
                        otherRows.add(-1, now);
                    }
                    if (addressed.remove(event.oldRow().uuid())) {
                        addressedPorts.add(-1, now);
                    }
                }
                case MODIFY -> address(event.newRow(), now);
            }
        }
    }

    private void inserted(Row row, long now) {
        rows.add(1, now);
        if (isEgress(row)) {
            egressPolicies.add(1, now);
        } else {
            otherRows.add(1, now);
        }
        address(row, now);
    }

    private void address(Row row, long now) {
        if (!row.table().equals("Logical_Switch_Port")) {
            return;
        }
        boolean has = row.getSet("dynamic_addresses").stream().anyMatch(a -> a.toString().trim().contains(" "));
        if (has ? addressed.add(row.uuid()) : addressed.remove(row.uuid())) {
            addressedPorts.add(has ? 1 : -1, now);
        }
    }

    private static boolean isEgress(Row row) {
        String id = row.getStringMap("external_ids").get(Ownership.ID);
        return id != null && id.endsWith(EGRESS_ROLE);
    }

    @Override
    public void close() {
        client.close();
    }
}
