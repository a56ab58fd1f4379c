package io.dpuvpc.simulator.fleet;

import io.dpuvpc.ovn.ovsdb.CacheEvent;
import io.dpuvpc.ovn.ovsdb.CacheListener;
import io.dpuvpc.ovn.ovsdb.Condition;
import io.dpuvpc.ovn.ovsdb.Monitor;
import io.dpuvpc.ovn.ovsdb.Operation;
import io.dpuvpc.ovn.ovsdb.OperationResult;
import io.dpuvpc.ovn.ovsdb.OvsdbClient;
import io.dpuvpc.ovn.ovsdb.OvsdbClientOptions;
import io.dpuvpc.ovn.ovsdb.typed.TableView;
import io.dpuvpc.ovn.ovsdb.typed.sb.PortBinding;
import io.dpuvpc.ovn.ovsdb.typed.sb.Southbound;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many simulated DPUs doing on the Southbound what ovn-controller does on the control plane, over
 * one shared OVSDB connection: each registers its chassis, and binds the logical ports it claims
 * ({@code Port_Binding.chassis} to its chassis, {@code up} true), so that ovn-northd marks their
 * {@code Logical_Switch_Port}s up in the Northbound exactly as for a real fleet.
 *
 * <p>A real ovn-controller claims a port when an OVS interface with that {@code iface-id} appears;
 * here the caller says so with {@link #claim}. The binding is level-triggered like the real one:
 * whenever a claimed port's Port_Binding row (as monitored) is not bound to the claiming DPU's
 * chassis and up, it is written, so ports whose rows northd has not created yet are bound once
 * they appear, and a binding another writer undoes is written again. Writes of many DPUs are
 * gathered into transactions of up to {@link Settings#bindingsPerTransaction} rows; with 1 they
 * are one transaction per row, the baseline a fleet of separate controllers would give.
 *
 * <p>The real controller writes {@code chassis} first and {@code up} once the port's flows are
 * installed; with no datapath to wait for, both go in one update.
 *
 * <p>Threading: all state is confined to one thread ({@code loop}); the public methods hand their
 * work to it, and the cache's events and the client's replies come back to it.
 */
public final class SimulatedOvnControllers implements AutoCloseable {
    private static final String SB = Southbound.DATABASE;

    /**
     * Rows per transaction: {@code chassisPerTransaction} chassis (3 rows each: Encap, Chassis,
     * Chassis_Private) when registering, {@code bindingsPerTransaction} Port_Binding updates when
     * binding or unbinding.
     */
    public record Settings(int chassisPerTransaction, int bindingsPerTransaction) {
        public Settings {
            if (chassisPerTransaction < 1 || bindingsPerTransaction < 1) {
                throw new IllegalArgumentException("at least one row per transaction");
            }
        }

        public static Settings batched() {
            return new Settings(100, 500);
        }

        /** The baseline: one transaction per chassis and per port binding. */
        public static Settings perRow() {
            return new Settings(1, 1);
        }
    }

    /** Transactions and operations sent so far, and how many transactions failed. */
    public record Counters(long transactions, long operations, long failed) {
    }

    /** What a DPU registered: its rows' uuids, empty while it is not registered. */
    private static final class Dpu {
        final SimulatedChassis chassis;
        UUID chassisUuid;
        UUID encapUuid;

        Dpu(SimulatedChassis chassis) {
            this.chassis = chassis;
        }
    }

    private final OvsdbClient client;
    private final Monitor monitor;
    private final Settings settings;
    private final ExecutorService loop;
    private final AtomicLong transactions = new AtomicLong();
    /**
     * The inactivity probe of the simulator's own OVSDB connections. One connection carries the
     * work of every simulated ovn-controller, so the 5 s default (one ovn-controller's) would cut
     * it whenever a busy Southbound takes 5 s to answer, and each reconnect reads the whole
     * Port_Binding table again; at 10,000 interfaces that kept the fleet from ever binding.
     * Operators of large fleets raise ovn-controller's probe (ovn-remote-probe-interval) likewise.
     */
    public static final Duration PROBE = Duration.ofSeconds(30);

    private final AtomicLong operations = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    // One instance, so that close() can remove what connect() added (listeners are told apart by identity).
    private final CacheListener listener = this::onEvents;

    // Confined to `loop`.
    private final Map<String, Dpu> dpus = new HashMap<>();
    private final Map<UUID, String> dpuByChassis = new HashMap<>();
    private final Map<String, PortBinding> bindings = new HashMap<>();
    private final Map<String, String> claims = new HashMap<>();
    private final Set<String> dirty = new LinkedHashSet<>();
    private final Set<String> inFlight = new HashSet<>();
    // Ports made dirty while a write of theirs is in flight: dirty again when it lands. Kept out
    // of `dirty` so that a pass looks only at ports it can write (at 10,000 interfaces, skipping
    // thousands in flight on every pass made the passes quadratic).
    private final Set<String> dirtyInFlight = new HashSet<>();
    private boolean reconcileQueued;

    private SimulatedOvnControllers(OvsdbClient client, Monitor monitor, Settings settings, ExecutorService loop) {
        this.client = client;
        this.monitor = monitor;
        this.settings = settings;
        this.loop = loop;
    }

    /**
     * Connects to the Southbound at {@code sbEndpoint} (e.g. {@code tcp:127.0.0.1:6642}) and
     * monitors Port_Binding; returns once the initial rows are in.
     */
    public static SimulatedOvnControllers connect(String sbEndpoint, Settings settings, Duration timeout) {
        OvsdbClient client = await(OvsdbClient.connect(OvsdbClientOptions.builder(sbEndpoint).databases(SB)
            .inactivityProbe(PROBE).build()), timeout);
        try {
            PortBinding.TABLE.verify(client.schema(SB));
            Monitor monitor = await(client.monitor(TableView.monitorRequest(PortBinding.TABLE)), timeout);
            // Work that arrives after close (a late update, a reply) is dropped, not an error.
            ExecutorService loop = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "simulated-ovn-controllers");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.DiscardPolicy());
            SimulatedOvnControllers controllers = new SimulatedOvnControllers(client, monitor, settings, loop);
            // Registered before the seed is queued: an event that slips in between is applied
            // before the seed reads the (newer) cache, and every later one after it, in order.
            monitor.cache().addListener(controllers.listener, loop);
            loop.execute(controllers::seed);
            return controllers;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * Registers {@code fleet}'s chassis, {@link Settings#chassisPerTransaction} to a transaction,
     * all sent at once (the client pipelines them); completes when every one has committed.
     */
    public CompletionStage<Void> register(Collection<SimulatedChassis> fleet) {
        List<SimulatedChassis> list = List.copyOf(fleet);
        return onLoop(() -> {
            for (SimulatedChassis c : list) {
                if (dpus.containsKey(c.name())) {
                    throw new IllegalStateException("DPU " + c.name() + " is already simulated");
                }
            }
            list.forEach(c -> dpus.put(c.name(), new Dpu(c)));
            return registerOnLoop(list);
        }).thenCompose(done -> done);
    }

    /**
     * The DPU {@code dpu} claims {@code logicalPort}, as when an interface with that
     * {@code iface-id} is plugged into its br-int; it is bound as soon as its Port_Binding exists
     * and the DPU is registered. A later claim by another DPU moves the port. Completes when the
     * claim is recorded (not bound); fails if {@code dpu} was never registered.
     */
    public CompletionStage<Void> claim(String dpu, String logicalPort) {
        return onLoop(() -> {
            requireDpu(dpu);
            claims.put(logicalPort, dpu);
            markDirty(logicalPort);
            return null;
        });
    }

    /**
     * The DPU gives {@code logicalPort} up (its interface unplugged): if the port is bound to its
     * chassis, {@code chassis} is cleared and {@code up} set false, as ovn-controller does on
     * release. A port another DPU claims meanwhile is left to that one. Completes when the
     * release is recorded.
     */
    public CompletionStage<Void> release(String dpu, String logicalPort) {
        return onLoop(() -> {
            if (dpu.equals(claims.get(logicalPort))) {
                claims.remove(logicalPort);
                markDirty(logicalPort);
            }
            return null;
        });
    }

    /**
     * Fault injection: the DPU goes away and comes back. In one transaction its ports are unbound
     * and its Chassis, Encap and Chassis_Private deleted (as {@code ovn-sbctl chassis-del}); then
     * it registers again, with new rows, and binds its claimed ports again. Completes when it is
     * registered again (its ports follow as for any claim).
     */
    public CompletionStage<Void> reboot(String dpu) {
        return onLoop(() -> {
            Dpu d = requireDpu(dpu);
            if (d.chassisUuid == null) {
                throw new IllegalStateException("DPU " + dpu + " is not registered (still rebooting?)");
            }
            UUID chassis = d.chassisUuid;
            UUID encap = d.encapUuid;
            List<Operation> ops = new ArrayList<>();
            List<String> unbound = new ArrayList<>();
            for (PortBinding pb : bindings.values()) {
                if (pb.chassis().equals(Optional.of(chassis))) {
                    ops.add(unbind(pb));
                    unbound.add(pb.logicalPort());
                }
            }
            ops.addAll(d.chassis.deregistration(chassis, encap));
            // From here on the DPU has no chassis: nothing of it is bound until it registers again.
            dpuByChassis.remove(chassis);
            d.chassisUuid = null;
            d.encapUuid = null;
            inFlight.addAll(unbound);
            return transact(ops).handleAsync((results, error) -> {
                landed(unbound);
                unbound.forEach(this::markDirty);
                if (error != null) {
                    // Nothing was deleted (a transaction is all or nothing): it is still registered.
                    d.chassisUuid = chassis;
                    d.encapUuid = encap;
                    dpuByChassis.put(chassis, dpu);
                    return CompletableFuture.<Void>failedFuture(error);
                }
                return registerOnLoop(List.of(d.chassis));
            }, loop).thenCompose(registered -> registered);
        }).thenCompose(done -> done);
    }

    /**
     * What a DPU's ovn-controller knows of itself: whether its chassis is registered now, and per
     * port of {@code logicalPorts} whether the monitor shows its Port_Binding bound to that chassis
     * ({@code bound}) and up as well ({@code up}).
     */
    public record DpuView(boolean registered, Map<String, PortState> ports) {
        public DpuView {
            ports = Map.copyOf(ports);
        }
    }

    /** One port's binding as a DPU sees it: bound to its chassis, and up. */
    public record PortState(boolean bound, boolean up) {
    }

    /** {@link DpuView} of {@code dpu} for {@code logicalPorts}; fails if {@code dpu} was never registered. */
    public CompletionStage<DpuView> view(String dpu, Collection<String> logicalPorts) {
        List<String> ports = List.copyOf(logicalPorts);
        return onLoop(() -> {
            UUID chassis = requireDpu(dpu).chassisUuid;
            Map<String, PortState> states = new HashMap<>();
            for (String lp : ports) {
                PortBinding pb = bindings.get(lp);
                boolean bound = chassis != null && pb != null && pb.chassis().equals(Optional.of(chassis));
                states.put(lp, new PortState(bound, bound && pb.up().orElse(false)));
            }
            return new DpuView(chassis != null, states);
        });
    }

    /** The uuid of {@code dpu}'s Chassis row, while it is registered. */
    public CompletionStage<Optional<UUID>> chassisUuid(String dpu) {
        return onLoop(() -> Optional.ofNullable(requireDpu(dpu).chassisUuid));
    }

    /**
     * How many claimed ports are bound to their DPU's chassis and up, as the monitor last showed
     * them.
     */
    public CompletionStage<Integer> boundCount() {
        return onLoop(() -> (int) claims.entrySet().stream().filter(e -> isBound(e.getKey(), e.getValue())).count());
    }

    /** The Port_Binding rows the monitor holds (ports northd has laid out). */
    public int portBindingCount() {
        return monitor.cache().table(PortBinding.TABLE.table()).size();
    }

    public Counters counters() {
        return new Counters(transactions.get(), operations.get(), failed.get());
    }

    @Override
    public void close() {
        monitor.cache().removeListener(listener);
        client.close();
        loop.shutdownNow();
    }

    // ---- on the loop ---------------------------------------------------------------------------

    private void seed() {
        PortBinding.TABLE.all(monitor.cache()).forEach(pb -> bindings.put(pb.logicalPort(), pb));
    }

    private void onEvents(List<CacheEvent> events) {
        for (CacheEvent event : events) {
            if (event.kind() == CacheEvent.Kind.DELETE) {
                PortBinding old = PortBinding.TABLE.from(event.oldRow());
                bindings.computeIfPresent(old.logicalPort(), (lp, pb) -> pb.uuid().equals(old.uuid()) ? null : pb);
                continue;
            }
            PortBinding pb = PortBinding.TABLE.from(event.newRow());
            bindings.put(pb.logicalPort(), pb);
            markDirty(pb.logicalPort());
        }
    }

    private CompletableFuture<Void> registerOnLoop(List<SimulatedChassis> list) {
        List<CompletableFuture<Void>> batches = new ArrayList<>();
        for (int from = 0; from < list.size(); from += settings.chassisPerTransaction()) {
            List<SimulatedChassis> batch = list.subList(from, Math.min(list.size(), from + settings.chassisPerTransaction()));
            List<Operation> ops = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                ops.addAll(batch.get(i).registration(i));
            }
            batches.add(transact(ops).thenAcceptAsync(results -> registered(batch, results), loop));
        }
        return CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new));
    }

    private void registered(List<SimulatedChassis> batch, List<OperationResult> results) {
        int perChassis = results.size() / batch.size();
        for (int i = 0; i < batch.size(); i++) {
            Dpu d = dpus.get(batch.get(i).name());
            d.chassisUuid = results.get(i * perChassis + SimulatedChassis.CHASSIS_INSERT).uuid();
            d.encapUuid = results.get(i * perChassis + SimulatedChassis.ENCAP_INSERT).uuid();
            dpuByChassis.put(d.chassisUuid, d.chassis.name());
        }
        // Ports claimed before the chassis existed can be bound now.
        Set<String> names = new HashSet<>();
        batch.forEach(c -> names.add(c.name()));
        claims.forEach((lp, dpu) -> {
            if (names.contains(dpu)) {
                markDirty(lp);
            }
        });
    }

    private void markDirty(String logicalPort) {
        if (inFlight.contains(logicalPort)) {
            dirtyInFlight.add(logicalPort);
            return;
        }
        dirty.add(logicalPort);
        if (!reconcileQueued) {
            reconcileQueued = true;
            loop.execute(this::reconcile);
        }
    }

    /**
     * Writes what the dirty ports lack: a binding for a claimed port not bound to its DPU's
     * chassis and up, an unbinding for an unclaimed port still bound to one of ours. A port with a
     * write in flight waits for it: its reply brings it back here.
     */
    private void reconcile() {
        reconcileQueued = false;
        List<Operation> ops = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        for (var it = dirty.iterator(); it.hasNext(); ) {
            String lp = it.next();
            it.remove();
            if (inFlight.contains(lp)) {
                dirtyInFlight.add(lp); // a deregistration's unbinding is on its way
                continue;
            }
            Operation op = needed(lp);
            if (op != null) {
                ops.add(op);
                ports.add(lp);
            }
        }
        for (int from = 0; from < ops.size(); from += settings.bindingsPerTransaction()) {
            int to = Math.min(ops.size(), from + settings.bindingsPerTransaction());
            List<String> batch = List.copyOf(ports.subList(from, to));
            inFlight.addAll(batch);
            transact(ops.subList(from, to)).whenCompleteAsync((results, error) -> {
                landed(batch);
                if (error != null) {
                    // Level-triggered: look at these ports again (the cache may have moved on).
                    batch.forEach(this::markDirty);
                }
            }, loop);
        }
    }

    /** The writes of {@code ports} are answered: those made dirty meanwhile are looked at again. */
    private void landed(List<String> ports) {
        for (String lp : ports) {
            inFlight.remove(lp);
            if (dirtyInFlight.remove(lp)) {
                markDirty(lp);
            }
        }
    }

    private Operation needed(String lp) {
        PortBinding pb = bindings.get(lp);
        if (pb == null) {
            return null; // northd has not laid the port out yet
        }
        String dpu = claims.get(lp);
        if (dpu == null) {
            boolean boundToUs = pb.chassis().map(dpuByChassis::containsKey).orElse(false);
            return boundToUs ? unbind(pb) : null;
        }
        UUID chassis = dpus.get(dpu).chassisUuid;
        if (chassis == null || isBound(lp, dpu)) {
            return null;
        }
        return Operation.update(PortBinding.TABLE.table(), Map.of("chassis", chassis, "up", true), Condition.uuid(pb.uuid()));
    }

    private boolean isBound(String lp, String dpu) {
        PortBinding pb = bindings.get(lp);
        UUID chassis = dpus.get(dpu).chassisUuid;
        return pb != null && chassis != null && pb.chassis().equals(Optional.of(chassis))
            && pb.up().orElse(false);
    }

    private static Operation unbind(PortBinding pb) {
        return Operation.update(PortBinding.TABLE.table(), Map.of("chassis", Set.of(), "up", false), Condition.uuid(pb.uuid()));
    }

    private Dpu requireDpu(String dpu) {
        Dpu d = dpus.get(dpu);
        if (d == null) {
            throw new IllegalArgumentException("no simulated DPU " + dpu);
        }
        return d;
    }

    // ---- helpers -------------------------------------------------------------------------------

    private CompletableFuture<List<OperationResult>> transact(List<Operation> ops) {
        transactions.incrementAndGet();
        operations.addAndGet(ops.size());
        return client.transact(SB, List.copyOf(ops)).toCompletableFuture().whenComplete((r, e) -> {
            if (e != null) {
                failed.incrementAndGet();
            }
        });
    }

    private <T> CompletableFuture<T> onLoop(java.util.concurrent.Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(work.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    static <T> T await(CompletionStage<T> stage, Duration timeout) {
        try {
            return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer within " + timeout, e);
        }
    }
}
