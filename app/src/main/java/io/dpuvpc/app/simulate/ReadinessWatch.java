package io.dpuvpc.app.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import io.dpuvpc.app.client.AdminClient;
import io.dpuvpc.simulator.report.LatencyRecorder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which ServiceInterfaces, networks and VPCs are Ready, as a client of the admin API follows a
 * fleet: one watch per kind ({@code ?watch=true}), each event applied as it comes, instead of
 * lists of the whole fleet every second (at 10,000 interfaces one list cost the controller about
 * a second of CPU). A ServiceInterface seen Ready for the first time is marked in the latencies at
 * the moment its event arrives.
 *
 * <p>A watch the server ends (an ERROR event: it fell behind) or whose connection fails is opened
 * again after a second; the events it starts with (every resource, ADDED) replace what was known.
 */
final class ReadinessWatch implements AutoCloseable {
    private final AdminClient api;
    private final LatencyRecorder latencies;
    private final Kind interfaces;
    private final Kind networks;
    private final Kind vpcs;
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong reopened = new AtomicLong();
    private volatile String lastEnd = "";
    private volatile boolean closed;

    /** One watched kind: the keys of its resources now Ready, and the watch in progress. */
    private final class Kind {
        final String path;
        final Set<String> ready = ConcurrentHashMap.newKeySet();
        volatile CompletableFuture<Void> watch;

        Kind(String path) {
            this.path = path;
        }

        void open(boolean marksLatencies) {
            ready.clear();
            watch = api.watch(path, event -> {
                events.incrementAndGet();
                JsonNode object = event.path("object");
                String key = FleetSimulation.key(object);
                switch (event.path("type").asText()) {
                    case "ADDED", "MODIFIED" -> {
                        if (FleetSimulation.ready(object)) {
                            if (ready.add(key) && marksLatencies) {
                                latencies.ready(key, System.nanoTime());
                            }
                        } else {
                            ready.remove(key);
                        }
                    }
                    case "DELETED" -> ready.remove(key);
                    default -> lastEnd = "ERROR " + object.path("code").asText() + ": " + object.path("message").asText();
                }
            });
            watch.whenComplete((v, failure) -> {
                if (closed) {
                    return;
                }
                if (failure != null) {
                    lastEnd = failure.getMessage();
                }
                reopened.incrementAndGet();
                ControllerCluster.sleep(1000);
                if (!closed) {
                    open(marksLatencies);
                }
            });
        }
    }

    private ReadinessWatch(AdminClient api, LatencyRecorder latencies, String svcPath, String vpcPath) {
        this.api = api;
        this.latencies = latencies;
        this.interfaces = new Kind(svcPath + "/serviceinterfaces");
        this.networks = new Kind(vpcPath + "/dpuvirtualnetworks");
        this.vpcs = new Kind(vpcPath + "/dpuvpcs");
    }

    /** Watches the three kinds in every namespace; {@code latencies} gets each interface's first Ready. */
    static ReadinessWatch start(AdminClient api, LatencyRecorder latencies, String svcPath, String vpcPath) {
        ReadinessWatch watch = new ReadinessWatch(api, latencies, svcPath, vpcPath);
        watch.interfaces.open(true);
        watch.networks.open(false);
        watch.vpcs.open(false);
        return watch;
    }

    long readyInterfaces() {
        return interfaces.ready.size();
    }

    /** Whether the ServiceInterface {@code namespace/name} is among the Ready ones the watch has seen. */
    boolean interfaceReady(String key) {
        return interfaces.ready.contains(key);
    }

    long readyNetworks() {
        return networks.ready.size();
    }

    long readyVpcs() {
        return vpcs.ready.size();
    }

    /** For the report: events received, watches opened again, and why the last one ended. */
    List<String> notes() {
        List<String> notes = new ArrayList<>();
        notes.add(String.format(java.util.Locale.ROOT, "Readiness was watched (?watch=true on ServiceInterfaces, networks and"
            + " VPCs): %,d events; a latency is as late as its event, which the controllers' change feeds send within"
            + " about 50 ms of the change plus the read of the resource.", events.get()));
        if (reopened.get() > 0) {
            notes.add(reopened.get() + " watch(es) ended and were opened again; the last end: " + lastEnd);
        }
        return notes;
    }

    long reopened() {
        return reopened.get();
    }

    @Override
    public void close() {
        closed = true;
        for (Kind kind : List.of(interfaces, networks, vpcs)) {
            CompletableFuture<Void> watch = kind.watch;
            if (watch != null) {
                watch.cancel(true);
            }
        }
    }
}
