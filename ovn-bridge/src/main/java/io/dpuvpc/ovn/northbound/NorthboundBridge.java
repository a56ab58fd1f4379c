package io.dpuvpc.ovn.northbound;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.northbound.Northbound;
import io.dpuvpc.actors.northbound.Northbound.Observed;
import io.dpuvpc.actors.northbound.Northbound.State;
import io.dpuvpc.actors.northbound.TopologyIntent;
import io.dpuvpc.ovn.ovsdb.CacheEvent;
import io.dpuvpc.ovn.ovsdb.ConnectionClosedException;
import io.dpuvpc.ovn.ovsdb.ConnectionListener;
import io.dpuvpc.ovn.ovsdb.DatabaseCache;
import io.dpuvpc.ovn.ovsdb.DatabaseSchema;
import io.dpuvpc.ovn.ovsdb.Monitor;
import io.dpuvpc.ovn.ovsdb.NotConnectedException;
import io.dpuvpc.ovn.ovsdb.Operation;
import io.dpuvpc.ovn.ovsdb.OperationResult;
import io.dpuvpc.ovn.ovsdb.OvsdbClient;
import io.dpuvpc.ovn.ovsdb.OvsdbEndpoint;
import io.dpuvpc.ovn.ovsdb.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The bridge to one OVN Northbound database: one long-lived connection with one monitor, shared
 * by every entity of this node that uses it.
 *
 * <p>Entities publish their whole intent; the bridge translates it ({@link TopologyTranslator})
 * and plans the difference with what the monitor shows ({@link NbPlanner}), so a write happens
 * only where something differs, and a restart with everything in place writes nothing. Owners
 * that became dirty within {@link Settings#batchDelay} go out together (a lone change on an idle
 * bridge at once, {@link #flushSoon()}) in one transaction (at most
 * {@link Settings#maxOwnersPerTransaction}), with at most {@link Settings#maxTransactionsInFlight}
 * transactions outstanding: when OVN is slow, dirty owners accumulate and the next transaction
 * carries more of them (back-pressure without unbounded queues: an owner is dirty or not).
 *
 * <p>An owner whose transaction is in flight is not planned again until the monitor shows the
 * transaction's effect (its inserted rows present, its deleted rows gone): planning from a cache
 * that lags behind would insert twice. Every change the monitor reports on a row of ours (a row
 * deleted or edited by hand, a database wiped and rebuilt after a reconnect) makes its owner
 * dirty, which repairs the drift; a change to a row another owner's translation read (a gateway's
 * address) makes that owner dirty too. Observations go back to the owner only when they change.
 */
public final class NorthboundBridge extends AbstractBehavior<NorthboundBridge.Message> {

    /** How the bridge batches and retries. */
    public record Settings(Duration batchDelay, int maxOwnersPerTransaction, int maxTransactionsInFlight,
                           Duration settleTimeout, Duration retryDelay, Duration orphanScanInterval) {
        public static Settings defaults() {
            return new Settings(Duration.ofMillis(2), 2000, 2, Duration.ofSeconds(2), Duration.ofSeconds(1),
                    Duration.ofSeconds(30));
        }

        public Settings withOrphanScanInterval(Duration interval) {
            return new Settings(batchDelay, maxOwnersPerTransaction, maxTransactionsInFlight, settleTimeout, retryDelay,
                    interval);
        }
    }

    public sealed interface Message {}

    /** A command from an entity (forwarded by the {@link NorthboundRouter}). */
    public record FromEntity(Northbound.Command command) implements Message {}

    /** For tests and benchmarks: what the bridge has done so far. */
    public record GetStats(ActorRef<Stats> replyTo) implements Message {}

    /**
     * {@code ownersPlanned}: owners translated and planned, counting each time (repeats show waste);
     * {@code ownersTransacted}: owners in transactions sent, summed (÷ transactions = batch size);
     * {@code latency}: the transactions' round trips, sent to answered; {@code disconnects}: connections
     * to Northbound lost (the client then reconnects by itself); {@code flushWait}: from a flush being
     * asked for (an owner dirty) to its start (the batching delay, or a busy mailbox); {@code planning}:
     * translating and planning one batch of owners; {@code plannedBecause}: the owners planned, by why
     * ({@link PlanCause}; they sum to {@code ownersPlanned}); {@code rowsPlanned}: the desired rows
     * handed to the planner, summed; {@code partsPlanned}: owner plans of only the rows their new
     * intent changed ({@link #PART_MIN_ROWS}).
     */
    public record Stats(long transactions, long operations, long failedTransactions, int owners, int dirty,
                        int inFlight, boolean connected, long orphansCollected, long ownersPlanned, long ownersTransacted,
                        LatencyHistogram.Snapshot latency, long disconnects, LatencyHistogram.Snapshot flushWait,
                        LatencyHistogram.Snapshot planning, Map<PlanCause, Long> plannedBecause, long rowsPlanned,
                        long partsPlanned) {
        public Stats {
            plannedBecause = Map.copyOf(plannedBecause);
        }
    }

    private record Connected(OvsdbEndpoint endpoint) implements Message {}

    private record Disconnected(OvsdbEndpoint endpoint, String cause) implements Message {}

    private record MonitorReady(Monitor monitor, String failure) implements Message {}

    private record CacheChanged(List<CacheEvent> events) implements Message {}

    /** {@code disconnectsBefore}: how many disconnects the bridge had seen when it sent the transaction. */
    private record TransactionDone(List<ResourceKey> owners, Plan plan, List<OperationResult> results, Throwable failure,
                                   long sentNanos, long disconnectsBefore)
            implements Message {}

    private record RetryOwners(Set<ResourceKey> owners) implements Message {}

    private enum Tick implements Message { FLUSH, FLUSH_NOW, SETTLE, MONITOR, ORPHANS, WAITING }

    /**
     * From this many rows, an owner whose last intent's rows the monitor showed in place, with
     * nothing marking it since but a new intent, has only the rows that intent changed planned
     * ({@link OwnerRows#part}): a VPC over 100 DPUs owns about 2,800 rows, and flipping its
     * {@code interNetworkAccess} planned all of them to write one policy: 84-395 ms of the
     * 103-426 ms such a change took in the controller, traced in `vpc simulate`
     * (docs/BENCHMARKS.md, 2026-11-29). Any other mark (a row changed in NB, a reconnect, a
     * retry, an update to check) makes the next plan whole again. Smaller owners are planned
     * whole: a part saves them nothing.
     */
    static final int PART_MIN_ROWS = 64;

    /** How long without a flush before a lone change is flushed at once ({@link #flushSoon()}). */
    public static final Duration IDLE_AFTER = Duration.ofMillis(100);

    /**
     * How long an owner may wait (for a row of another owner, or northd's address) before it is
     * planned again though nothing told us to. The monitor's events wake waiting owners; this is
     * the safety net for a wake-up that never came: `vpc simulate` saw, twice (once among 10,000
     * interfaces, once among 8 under load in CI), an interface wait for its network's switch for
     * minutes while the switch was in NB. The lost wake-up itself is not found yet.
     *
     * <p>The timer ticks every {@link #WAITING_RECHECK}; an owner is planned again every
     * {@link #WAITING_RECHECK_TICKS}th tick while it waits (first 25-30 s after it began to). It was
     * every tick after the first 5 s: while 10,000 interfaces waited 20-30 s for northd's
     * addresses, those rechecks were 12,022 of the bridge's 51,064 plans (`vpc bench converge`,
     * (1), BENCHMARKS.md), and each waiting owner's events woke it anyway.
     */
    static final Duration WAITING_RECHECK = Duration.ofSeconds(5);
    static final int WAITING_RECHECK_TICKS = 6;

    /** An owner last reported waiting: for what, and the {@link Tick#WAITING} ticks since it began to. */
    private static final class Waiting {
        List<String> waitingFor;
        int ticks;
    }

    private record OwnerChecked(ResourceKey owner, boolean exists) implements Message {}

    /**
     * One transaction's effect the monitor has not shown yet: the rows still to appear and to go.
     * Both shrink as the monitor shows them, so each check only looks at what is still missing
     * (this runs on every monitor update).
     */
    /**
     * An owner whose transaction is out: the rows it inserts and removes, what it still waited for
     * when planned, and whether anything the transaction does not explain changed since (then it
     * is planned again once settled; otherwise its plan stands and it is reported without one).
     */
    private static final class InFlight {
        final Set<RowRef> inserting;
        final Set<RowRef> deleting;
        final List<String> waiting;
        /** The intent planned, when its next plan may be a part ({@link #PART_MIN_ROWS}); else null. */
        final TopologyIntent intent;
        /** Why it is planned again once settled; null: its plan stands. */
        PlanCause touched;
        /** Marked since for something other than a new intent: its rows may not be as planned. */
        boolean tainted;

        InFlight(Plan.OwnerSummary summary, List<String> waiting, TopologyIntent intent) {
            this.inserting = Set.copyOf(summary.inserted());
            this.deleting = Set.copyOf(summary.deleted());
            this.waiting = waiting;
            this.intent = intent;
            // An update changes columns another writer may change too: only a fresh plan can tell.
            this.touched = summary.updated().isEmpty() ? null : PlanCause.UPDATE_CHECK;
        }

        boolean explains(CacheEvent event, RowRef ref) {
            return event.kind() == CacheEvent.Kind.INSERT ? inserting.contains(ref)
                    : event.kind() == CacheEvent.Kind.DELETE && deleting.contains(ref);
        }
    }

    private record Settling(List<ResourceKey> owners, Map<UUID, String> inserted, Set<UUID> deleted, long deadline) {
        boolean shownIn(DatabaseCache nb) {
            inserted.entrySet().removeIf(e -> nb.table(e.getValue()).row(e.getKey()).isPresent());
            deleted.removeIf(uuid -> !present(nb, uuid));
            return inserted.isEmpty() && deleted.isEmpty();
        }
    }

    private final ActorContext<Message> context;
    private final TimerScheduler<Message> timers;
    private final OvsdbClient client;
    private final String endpointText;
    private final Settings settings;
    private final OwnerCheck ownerCheck;
    private final Set<ResourceKey> checking = new HashSet<>();
    private long orphansCollected;

    private final Map<ResourceKey, TopologyIntent> intents = new HashMap<>();
    private final Set<ResourceKey> withdrawing = new HashSet<>();
    private final Map<ResourceKey, ActorRef<Observed>> subscribers = new HashMap<>();
    private final Map<ResourceKey, Observed> lastSent = new HashMap<>();
    // Owners to plan again when another owner's row changes, by that row's id. A reader used the
    // row's content (a gateway's join address) and is planned again on any change of it; a referrer
    // only points to the row or hangs from it and is planned again when the row comes or goes. Every
    // port insert changes its switch's `ports` and every policy its router's `policies`: planning
    // all of a VPC's interfaces again for each of those was most of the bridge's work.
    private final Map<String, Set<ResourceKey>> readers = new HashMap<>();
    private final Map<String, Set<ResourceKey>> referrers = new HashMap<>();
    /** Owners last reported waiting; see {@link #WAITING_RECHECK}. */
    private final Map<ResourceKey, Waiting> waitingOwners = new HashMap<>();
    private long ownersPlanned;
    private long ownersTransacted;
    private long disconnects;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final LatencyHistogram flushWait = new LatencyHistogram();
    private final LatencyHistogram planning = new LatencyHistogram();
    /** When the pending flush was asked for (nanoTime), 0 when none is. */
    private long flushAskedNanos;
    private final LinkedHashSet<ResourceKey> dirty = new LinkedHashSet<>();
    /** Why each dirty owner is (the first reason since its last plan). */
    private final Map<ResourceKey, PlanCause> dirtyBecause = new HashMap<>();
    private final long[] plannedBecause = new long[PlanCause.values().length];
    /** Owners of the batch being planned that the waiting recheck made dirty ({@link #warnOfMissedWakeUps}). */
    private final Set<ResourceKey> rechecked = new HashSet<>();
    private final Map<ResourceKey, InFlight> inFlight = new HashMap<>();
    /**
     * Per owner, the intent whose rows the monitor showed in place, all of them, with nothing
     * marking the owner since but a new intent: its next plan may be a part ({@link #PART_MIN_ROWS}).
     */
    private final Map<ResourceKey, TopologyIntent> inPlace = new HashMap<>();
    private long rowsPlanned;
    private long partsPlanned;
    // Per managed table, the columns its children link into (a switch's `ports`): a change there
    // alone is another owner's child coming or going, nothing to plan again for the row's owner.
    private Map<String, Set<String>> linkColumns = Map.of();
    private final Set<ResourceKey> alone = new HashSet<>();
    private final List<Settling> settling = new ArrayList<>();
    private Monitor monitor;
    private boolean flushQueued;
    private long lastFlushNanos = System.nanoTime() - IDLE_AFTER.toNanos();
    private Set<ResourceKey> flushedAtOnce = Set.of();
    private boolean monitorRequested;
    private String unreachable;
    private int transactionsInFlight;
    private final AtomicLong transactions = new AtomicLong();
    private long operations;
    private long failedTransactions;

    private NorthboundBridge(ActorContext<Message> context, TimerScheduler<Message> timers, OvsdbClient client,
                             Settings settings, OwnerCheck ownerCheck) {
        super(context);
        this.ownerCheck = ownerCheck;
        this.context = context;
        this.timers = timers;
        this.client = client;
        this.settings = settings;
        this.endpointText = client.options().endpoints().toString();
        this.unreachable = "connecting to OVN Northbound at " + endpointText;
        ActorRef<Message> self = context.getSelf();
        client.addConnectionListener(new ConnectionListener() {
            @Override
            public void connected(OvsdbEndpoint endpoint) {
                self.tell(new Connected(endpoint));
            }

            @Override
            public void disconnected(OvsdbEndpoint endpoint, Throwable cause) {
                self.tell(new Disconnected(endpoint, cause == null ? "closed" : cause.getMessage()));
            }
        });
        if (client.isConnected()) {
            self.tell(new Connected(client.currentEndpoint()));
        }
    }

    /** A bridge over {@code client}, which it owns: closed when the bridge stops. */
    public static Behavior<Message> create(OvsdbClient client, Settings settings) {
        return create(client, settings, OwnerCheck.NEVER_COLLECT);
    }

    /** A bridge that also removes the rows of owners {@code ownerCheck} says are gone. */
    public static Behavior<Message> create(OvsdbClient client, Settings settings, OwnerCheck ownerCheck) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new NorthboundBridge(ctx, timers, client, settings, ownerCheck)));
    }

    @Override
    public Receive<Message> createReceive() {
        return newReceiveBuilder()
                .onMessage(FromEntity.class, m -> onCommand(m.command()))
                .onMessage(GetStats.class, m -> {
                    m.replyTo().tell(new Stats(transactions.get(), operations, failedTransactions, intents.size(),
                            dirty.size(), inFlight.size(), monitor != null && unreachable == null, orphansCollected,
                            ownersPlanned, ownersTransacted, latency.snapshot(), disconnects, flushWait.snapshot(),
                            planning.snapshot(), plannedBecause(), rowsPlanned, partsPlanned));
                    return this;
                })
                .onMessage(Connected.class, this::onConnected)
                .onMessage(Disconnected.class, this::onDisconnected)
                .onMessage(MonitorReady.class, this::onMonitorReady)
                .onMessage(CacheChanged.class, this::onCacheChanged)
                .onMessage(TransactionDone.class, this::onTransactionDone)
                .onMessage(RetryOwners.class, m -> {
                    m.owners().stream().filter(intents::containsKey).forEach(o -> markDirty(o, PlanCause.RETRY));
                    return flushSoon();
                })
                .onMessageEquals(Tick.FLUSH, () -> flush(false))
                .onMessageEquals(Tick.FLUSH_NOW, () -> flush(true))
                .onMessageEquals(Tick.SETTLE, () -> {
                    checkSettled(true);
                    // Owners settled by the timeout are dirty again; with nothing else changing in
                    // NB no other message would schedule the flush (seen once: 2,000 owners stuck).
                    return flushSoon();
                })
                .onMessageEquals(Tick.ORPHANS, this::scanForOrphans)
                .onMessageEquals(Tick.WAITING, this::recheckWaiting)
                .onMessage(OwnerChecked.class, this::onOwnerChecked)
                .onMessageEquals(Tick.MONITOR, () -> {
                    startMonitor();
                    return this;
                })
                .onSignal(PostStop.class, s -> {
                    client.close();
                    return this;
                })
                .build();
    }

    // ---- commands

    private Behavior<Message> onCommand(Northbound.Command command) {
        if (command instanceof Northbound.Publish publish) {
            ResourceKey owner = publish.intent().owner();
            intents.put(owner, publish.intent());
            withdrawing.remove(owner);
            subscribers.put(owner, publish.replyTo());
            lastSent.remove(owner); // every publish is answered, even when nothing changed
            markDirty(owner, PlanCause.PUBLISHED);
            if (unreachable != null) {
                // Not connected (yet, or any more): say so now rather than stay silent until then.
                send(owner, state(owner, State.PENDING, "NorthboundUnreachable", unreachable, null));
            }
        } else if (command instanceof Northbound.Withdraw withdraw) {
            ResourceKey owner = withdraw.owner();
            TopologyIntent previous = intents.get(owner);
            intents.put(owner, previous);
            withdrawing.add(owner);
            subscribers.put(owner, withdraw.replyTo());
            markDirty(owner, PlanCause.PUBLISHED);
        } else if (command instanceof Northbound.Release release) {
            forget(release.owner());
            return this;
        }
        return flushSoon();
    }

    /** Owners whose recheck is due are planned again ({@link #WAITING_RECHECK}). */
    private Behavior<Message> recheckWaiting() {
        waitingOwners.entrySet().removeIf(e -> !intents.containsKey(e.getKey()));
        waitingOwners.forEach((owner, w) -> {
            if (++w.ticks % WAITING_RECHECK_TICKS == 0) {
                markDirty(owner, PlanCause.WAITING_RECHECK);
            }
        });
        return flushSoon();
    }

    private void forget(ResourceKey owner) {
        waitingOwners.remove(owner);
        intents.remove(owner);
        withdrawing.remove(owner);
        subscribers.remove(owner);
        lastSent.remove(owner);
        dirty.remove(owner);
        dirtyBecause.remove(owner);
        inFlight.remove(owner);
        inPlace.remove(owner);
        readers.values().removeIf(owners -> owners.remove(owner) && owners.isEmpty());
        referrers.values().removeIf(owners -> owners.remove(owner) && owners.isEmpty());
    }

    // ---- connection and monitor

    private Behavior<Message> onConnected(Connected connected) {
        if (monitor == null) {
            // Connected may come twice (the constructor's check and the listener): one monitor.
            if (!monitorRequested) {
                monitorRequested = true;
                startMonitor();
            }
        } else {
            // The client resubscribed the monitor; its resynchronisation reports what changed
            // while we were away. Verify every owner anyway: a wiped database is rebuilt here.
            unreachable = null;
            intents.keySet().forEach(o -> markDirty(o, PlanCause.RECONNECTED));
            flushSoon();
        }
        return this;
    }

    private void startMonitor() {
        context.pipeToSelf(client.monitor(NbTables.monitorRequest()),
                (m, failure) -> new MonitorReady(m, failure == null ? null : failure.getMessage()));
    }

    private Behavior<Message> onMonitorReady(MonitorReady ready) {
        if (ready.monitor() == null) {
            context.getLog().warn("Northbound {}: monitor failed ({}); retrying", endpointText, ready.failure());
            timers.startSingleTimer(Tick.MONITOR, settings.retryDelay());
            return this;
        }
        monitor = ready.monitor();
        unreachable = null;
        linkColumns = linkColumns(monitor.cache().schema());
        ActorRef<Message> self = context.getSelf();
        monitor.cache().addListener(events -> self.tell(new CacheChanged(events)), Runnable::run);
        intents.keySet().forEach(o -> markDirty(o, PlanCause.RECONNECTED));
        if (ownerCheck != OwnerCheck.NEVER_COLLECT) {
            timers.startTimerWithFixedDelay(Tick.ORPHANS, settings.orphanScanInterval());
        }
        timers.startTimerWithFixedDelay(Tick.WAITING, WAITING_RECHECK);
        return flushSoon();
    }

    private Behavior<Message> onDisconnected(Disconnected disconnected) {
        disconnects++;
        unreachable = "lost OVN Northbound at " + disconnected.endpoint() + " (" + disconnected.cause()
                + "); reconnecting";
        for (ResourceKey owner : intents.keySet()) {
            send(owner, state(owner, State.PENDING, "NorthboundUnreachable", unreachable, null));
        }
        return this;
    }

    // ---- orphans

    /**
     * Owners with rows in NB and no intent here: ask whether they still exist. Owners of this node
     * publish within seconds of starting, and an owner hosted by another node exists, so only
     * rows whose resource is really gone are collected.
     */
    private Behavior<Message> scanForOrphans() {
        if (monitor == null) {
            return this;
        }
        Set<String> seen = new HashSet<>();
        for (String table : NbTables.MANAGED) {
            for (Row row : monitor.cache().table(table).withExternalId(Ownership.OWNER)) {
                seen.add(row.getStringMap("external_ids").get(Ownership.OWNER));
            }
        }
        for (String value : seen) {
            ResourceKey owner;
            try {
                owner = ResourceKey.parse(value);
            } catch (IllegalArgumentException notOurs) {
                continue;
            }
            if (!intents.containsKey(owner) && checking.add(owner)) {
                context.pipeToSelf(ownerCheck.exists(owner), (exists, failure) -> new OwnerChecked(owner,
                        failure != null || exists));
            }
        }
        return this;
    }

    private Behavior<Message> onOwnerChecked(OwnerChecked checked) {
        ResourceKey owner = checked.owner();
        checking.remove(owner);
        if (checked.exists() || intents.containsKey(owner)) {
            return this;
        }
        context.getLog().info("Northbound {}: {} no longer exists; removing its rows", endpointText, owner);
        orphansCollected++;
        intents.put(owner, null);
        withdrawing.add(owner);
        markDirty(owner, PlanCause.ORPHAN);
        return flushSoon();
    }

    // ---- observing

    private Behavior<Message> onCacheChanged(CacheChanged changed) {
        for (CacheEvent event : changed.events()) {
            markFrom(event);
        }
        checkSettled(false);
        return flushSoon();
    }

    private void markFrom(CacheEvent event) {
        Map<String, String> ids = event.row().getStringMap("external_ids");
        if (event.oldRow() != null && event.newRow() != null
                && !ids.equals(event.oldRow().getStringMap("external_ids"))) {
            // Relabelled by hand: both the old and the new owner and id are concerned.
            markFrom(new CacheEvent(CacheEvent.Kind.DELETE, event.table(), event.oldRow(), null));
            markFrom(new CacheEvent(CacheEvent.Kind.INSERT, event.table(), null, event.newRow()));
            return;
        }
        String id = ids.get(Ownership.ID);
        String owner = ids.get(Ownership.OWNER);
        Set<String> changed = owner == null ? null : changedColumns(event);
        if (owner != null && only(changed, REPORTED_ONLY.getOrDefault(event.table(), Set.of()))) {
            // No translation reads these columns: nobody's rows change with them, so no reader
            // or referrer is concerned either.
            try {
                reportAgain(ResourceKey.parse(owner));
            } catch (IllegalArgumentException notOurs) {
                // Someone else's value under our key: not a row of ours.
            }
            return;
        }
        if (owner != null && !only(changed, linkColumns.getOrDefault(event.table(), Set.of()))) {
            try {
                ResourceKey key = ResourceKey.parse(owner);
                InFlight flying = inFlight.get(key);
                boolean explained = flying != null && id != null && flying.explains(event, new RowRef(event.table(), id));
                if (intents.containsKey(key) && !explained) {
                    markDirty(key, PlanCause.OWN_ROW_CHANGED);
                }
            } catch (IllegalArgumentException notOurs) {
                // Someone else's value under our key: not a row of ours.
            }
        }
        if (id != null) {
            readers.getOrDefault(id, Set.of()).forEach(o -> markDirty(o, PlanCause.READ_ROW_CHANGED));
            if (event.kind() != CacheEvent.Kind.MODIFY) {
                referrers.getOrDefault(id, Set.of()).forEach(o -> markDirty(o, PlanCause.REFERENCED_ROW));
            }
        }
    }

    /**
     * Columns ovn-northd writes into rows of ours that no translation reads: a change of these
     * alone changes what the owner reports (an interface's port up), never its rows, so the owner is
     * reported again, not planned (at 10,000 interfaces `up` was a plan per interface).
     */
    static final Map<String, Set<String>> REPORTED_ONLY = Map.of("Logical_Switch_Port", Set.of("up"));

    /** The columns a modification changed; null for an insert or a delete. */
    private static Set<String> changedColumns(CacheEvent event) {
        if (event.kind() != CacheEvent.Kind.MODIFY) {
            return null;
        }
        Map<String, Object> before = event.oldRow().columns();
        Map<String, Object> after = event.newRow().columns();
        Set<String> columns = new HashSet<>(before.keySet());
        columns.addAll(after.keySet());
        // _version changes with every modification: it says nothing of what changed (counted in,
        // it made every modification look like more than a link until 2026-11-29, so a child
        // linked into a parent planned the parent's owner again).
        columns.removeIf(column -> column.equals("_version") || Objects.equals(before.get(column), after.get(column)));
        return columns;
    }

    /** A modification of {@code columns} and of nothing else (the columns children link into, or {@link #REPORTED_ONLY}). */
    private static boolean only(Set<String> changed, Set<String> columns) {
        return changed != null && !columns.isEmpty() && columns.containsAll(changed);
    }

    /**
     * The owner's last report sent again with its port's facts as the cache has them now. Not for
     * an owner about to be planned or whose transaction is settling: that report reads the cache
     * too.
     */
    private void reportAgain(ResourceKey owner) {
        Observed last = lastSent.get(owner);
        if (last == null || !intents.containsKey(owner) || withdrawing.contains(owner) || dirty.contains(owner)
                || inFlight.containsKey(owner)) {
            return;
        }
        send(owner, new Observed(owner, last.generation(), last.state(), last.reason(), last.message(),
                portFacts(intents.get(owner))));
    }

    static Map<String, Set<String>> linkColumns(DatabaseSchema schema) {
        Map<String, Set<String>> byParent = new HashMap<>();
        NbTables.parentColumns(schema).values().forEach(columns -> columns.forEach(parent ->
                byParent.computeIfAbsent(parent.table(), t -> new HashSet<>()).add(parent.column())));
        return byParent;
    }

    // ---- writing

    /**
     * An owner to plan again. One whose transaction is in flight is not: it is planned again once
     * the monitor shows that transaction ({@link #checkSettled}), which covers any change since, and
     * keeping it out of {@code dirty} keeps the flush timer from spinning on owners it must skip.
     */
    private void markDirty(ResourceKey owner, PlanCause cause) {
        InFlight flying = inFlight.get(owner);
        if (flying != null && cause != PlanCause.PUBLISHED) {
            flying.tainted = true;
        }
        if (flying == null) {
            addDirty(owner, cause);
        } else if (flying.touched == null || supersedes(cause, flying.touched)) {
            flying.touched = cause;
        }
    }

    /** Dirty, whether in flight or not (its transaction is answered or given up). */
    private void addDirty(ResourceKey owner, PlanCause cause) {
        if (cause != PlanCause.PUBLISHED) {
            inPlace.remove(owner); // its rows may have changed: only a whole plan can tell
        }
        if (dirty.add(owner) || supersedes(cause, dirtyBecause.get(owner))) {
            dirtyBecause.put(owner, cause);
        }
    }

    /**
     * A real reason replaces the waiting recheck as the reason of the next plan: the recheck can
     * mark an owner a moment before the event it waited for, and then that event, not the
     * recheck, is why it has rows to write ({@link #warnOfMissedWakeUps} blamed the recheck for
     * such plans: `vpc bench converge`, 2026-11-29, traced).
     */
    private static boolean supersedes(PlanCause cause, PlanCause current) {
        return current == PlanCause.WAITING_RECHECK && cause != PlanCause.WAITING_RECHECK;
    }

    private void countPlan(ResourceKey owner) {
        PlanCause cause = dirtyBecause.remove(owner);
        plannedBecause[cause.ordinal()]++;
        if (cause == PlanCause.WAITING_RECHECK) {
            rechecked.add(owner);
        }
    }

    private Map<PlanCause, Long> plannedBecause() {
        Map<PlanCause, Long> counts = new EnumMap<>(PlanCause.class);
        for (PlanCause cause : PlanCause.values()) {
            counts.put(cause, plannedBecause[cause.ordinal()]);
        }
        return counts;
    }

    /**
     * Flushes at once when the bridge is idle ({@link #idle()}), else after {@link Settings#batchDelay}
     * (a zero delay: always at once, once the messages already in the mailbox are handled).
     *
     * <p>Why both: Pekko's scheduler ticks every 10 ms, so the 2 ms delay is 10-20 ms, twice per
     * change (the plan, then the re-plan that reports it): about half of an idle VPC change's
     * 100 ms on a small fleet. But flushing at once also under load tripled the NB transactions of
     * a 10,000-interface run until convergence (1,251 against 384; each network's attach
     * republishes its VPC, which the delay coalesced), each one more wake-up of ovn-northd
     * (BENCHMARKS.md, 2026-11-29).
     */
    private Behavior<Message> flushSoon() {
        if (dirty.isEmpty() || flushQueued || timers.isTimerActive(Tick.FLUSH)) {
            return this;
        }
        flushAskedNanos = System.nanoTime();
        if (settings.batchDelay().isZero() || idle()) {
            flushQueued = true;
            context.getSelf().tell(Tick.FLUSH_NOW);
        } else {
            timers.startSingleTimer(Tick.FLUSH, settings.batchDelay());
        }
        return this;
    }

    /**
     * One owner to plan, nothing in flight, and either no flush for {@link #IDLE_AFTER} or that
     * owner alone flushed at once last (the re-plan once its own transaction shows).
     */
    private boolean idle() {
        return dirty.size() == 1 && transactionsInFlight == 0 && settling.isEmpty()
                && (System.nanoTime() - lastFlushNanos >= IDLE_AFTER.toNanos() || flushedAtOnce.containsAll(dirty));
    }

    private Behavior<Message> flush(boolean atOnce) {
        flushQueued = false;
        lastFlushNanos = System.nanoTime();
        if (flushAskedNanos != 0) {
            flushWait.record(lastFlushNanos - flushAskedNanos);
            flushAskedNanos = 0;
        }
        flushedAtOnce = atOnce ? Set.copyOf(dirty) : Set.of();
        if (monitor == null || unreachable != null) {
            return this;
        }
        DatabaseCache nb = monitor.cache();
        CacheObservations observations = new CacheObservations(nb);
        while (transactionsInFlight < settings.maxTransactionsInFlight()) {
            List<ResourceKey> batch = nextBatch();
            if (batch.isEmpty()) {
                break;
            }
            long planStart = System.nanoTime();
            Map<ResourceKey, Translation> translations = new HashMap<>();
            // The intents planned of owners whose next plan may be a part: remembered once in place.
            Map<ResourceKey, TopologyIntent> partable = new HashMap<>();
            List<OwnerRows> rows = new ArrayList<>();
            for (ResourceKey owner : batch) {
                boolean gone = withdrawing.contains(owner) || intents.get(owner) == null;
                Translation translation = gone
                        ? new Translation(OwnerRows.none(owner), Set.of(), List.of())
                        : TopologyTranslator.translate(intents.get(owner), observations);
                translation.readIds().forEach(id -> readers.computeIfAbsent(id, k -> new HashSet<>()).add(owner));
                foreignReferences(translation.rows()).forEach(id -> referrers.computeIfAbsent(id, k -> new HashSet<>()).add(owner));
                translations.put(owner, translation);
                if (!gone && translation.readIds().isEmpty() && translation.rows().rows().size() >= PART_MIN_ROWS) {
                    partable.put(owner, intents.get(owner));
                }
                rows.add(rowsToPlan(owner, partable.containsKey(owner), translation, observations));
            }
            Plan plan = NbPlanner.plan(nb, rows);
            planning.record(System.nanoTime() - planStart);
            ownersPlanned += batch.size();
            warnOfMissedWakeUps(plan);
            if (plan.isEmpty()) {
                for (ResourceKey owner : batch) {
                    List<String> waiting = waiting(translations.get(owner), plan, owner);
                    report(owner, waiting);
                    remember(owner, partable.get(owner), waiting);
                }
                continue;
            }
            for (ResourceKey owner : batch) {
                inFlight.put(owner, new InFlight(plan.summary(owner), waiting(translations.get(owner), plan, owner),
                        partable.get(owner)));
            }
            transactionsInFlight++;
            transactions.incrementAndGet();
            operations += plan.operations().size();
            long sent = System.nanoTime();
            long epoch = disconnects;
            context.pipeToSelf(client.transact("OVN_Northbound", plan.operations()),
                    (results, failure) -> new TransactionDone(batch, plan, results, failure, sent, epoch));
        }
        return this;
    }

    /**
     * What the planner gets for an owner: its whole translation, or only the rows its new intent
     * changed when the rows of its last intent are known to be in place ({@link #PART_MIN_ROWS}).
     */
    private OwnerRows rowsToPlan(ResourceKey owner, boolean partable, Translation translation, Observations observations) {
        TopologyIntent before = inPlace.remove(owner); // set again once this plan shows in place
        OwnerRows whole = translation.rows();
        OwnerRows rows = whole;
        if (before != null && partable) {
            rows = OwnerRows.changedSince(TopologyTranslator.translate(before, observations).rows(), whole);
            partsPlanned++;
        }
        rowsPlanned += rows.rows().size();
        return rows;
    }

    /**
     * The owner's rows are as {@code intent} wants them, all of them: its next plan may be a part.
     * Only owners that may be planned as parts are remembered ({@code intent} null for the others).
     */
    private void remember(ResourceKey owner, TopologyIntent intent, List<String> waiting) {
        if (intent != null && waiting.isEmpty() && !withdrawing.contains(owner) && intents.containsKey(owner)) {
            inPlace.put(owner, intent);
        }
    }

    /**
     * An owner planned again by the waiting recheck that has rows to write now was not woken when
     * what it waited for came, or its event is still in the mailbox: the plan reads the cache, which
     * the client's thread updates before the bridge handles the event (seen in `vpc bench
     * converge`, 2026-11-29). The recheck is a safety net for a wake-up not yet explained
     * ({@link #WAITING_RECHECK}); this says where it may have caught one.
     */
    private void warnOfMissedWakeUps(Plan plan) {
        for (ResourceKey owner : rechecked) {
            Waiting waited = waitingOwners.get(owner);
            Plan.OwnerSummary summary = plan.summary(owner);
            if (waited != null
                    && !(summary.inserted().isEmpty() && summary.updated().isEmpty() && summary.deleted().isEmpty())) {
                context.getLog().warn("Northbound {}: {} waited {} s for {} and no change woke it yet; planned again, it"
                        + " writes {} inserted, {} updated, {} deleted rows (a missed wake-up, or its event not handled"
                        + " yet)", endpointText, owner,
                        waited.ticks * WAITING_RECHECK.toSeconds(), waited.waitingFor, summary.inserted(),
                        summary.updated(), summary.deleted());
            }
        }
        rechecked.clear();
    }

    /**
     * The ids of other owners' rows these rows hang from or point to (a network's router port
     * hangs from its VPC's router): when one of them appears or changes, plan these again.
     */
    static Set<String> foreignReferences(OwnerRows rows) {
        Set<String> own = new HashSet<>();
        rows.rows().forEach(row -> own.add(row.id()));
        Set<String> foreign = new HashSet<>();
        for (DesiredRow row : rows.rows()) {
            if (row.parent() != null && !own.contains(row.parent().id())) {
                foreign.add(row.parent().id());
            }
            row.columns().values().forEach(value -> collectRefs(value, own, foreign));
        }
        return foreign;
    }

    private static void collectRefs(Object value, Set<String> own, Set<String> foreign) {
        if (value instanceof RowRef ref && !own.contains(ref.id())) {
            foreign.add(ref.id());
        } else if (value instanceof java.util.Collection<?> values) {
            values.forEach(v -> collectRefs(v, own, foreign));
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(v -> collectRefs(v, own, foreign));
        }
    }

    /** The next dirty owners not in flight: one alone if it failed in company, else up to the maximum. */
    private List<ResourceKey> nextBatch() {
        List<ResourceKey> batch = new ArrayList<>();
        Iterator<ResourceKey> it = dirty.iterator();
        while (it.hasNext() && batch.size() < settings.maxOwnersPerTransaction()) {
            ResourceKey owner = it.next();
            if (inFlight.containsKey(owner)) {
                continue;
            }
            if (alone.contains(owner)) {
                if (batch.isEmpty()) {
                    it.remove();
                    alone.remove(owner);
                    countPlan(owner);
                    return List.of(owner);
                }
                continue;
            }
            it.remove();
            batch.add(owner);
        }
        batch.forEach(this::countPlan);
        return batch;
    }

    private Behavior<Message> onTransactionDone(TransactionDone done) {
        transactionsInFlight--;
        latency.record(System.nanoTime() - done.sentNanos());
        ownersTransacted += done.owners().size();
        if (done.failure() != null) {
            failedTransactions++;
            done.owners().forEach(inFlight.keySet()::remove);
            String cause = done.failure().getMessage();
            if (lostConnection(done.failure())) {
                // Not the rows' fault: the connection went with the transaction. The reconnect
                // marks every owner dirty and plans them again in batches; trying these one by
                // one (below) would send a transaction per owner, thousands at 10,000 interfaces.
                done.owners().forEach(owner -> addDirty(owner, PlanCause.RECONNECTED));
                context.getLog().warn("Northbound {}: the connection closed under a transaction for {} owners ({});"
                        + " they are planned again once reconnected", endpointText, done.owners().size(), cause);
                // Flush only if the reconnect already came and went by; otherwise its Connected will.
                boolean reconnected = disconnects > done.disconnectsBefore() && unreachable == null;
                return reconnected ? flushSoon() : this;
            }
            if (done.owners().size() > 1) {
                // One owner's rows may have failed them all: try each alone before blaming any.
                alone.addAll(done.owners());
                done.owners().forEach(owner -> addDirty(owner, PlanCause.RETRY));
                context.getLog().warn("Northbound {}: a transaction for {} owners failed ({}); retrying them one by one",
                        endpointText, done.owners().size(), cause);
            } else {
                ResourceKey owner = done.owners().get(0);
                context.getLog().warn("Northbound {}: the transaction for {} failed ({}); retrying in {}", endpointText,
                        owner, cause, settings.retryDelay());
                if (intents.containsKey(owner)) {
                    send(owner, state(owner, State.PENDING, "TransactionFailed",
                            "OVN Northbound refused the change (" + cause + "); retrying", null));
                }
                timers.startSingleTimer(new RetryOwners(Set.of(owner)), settings.retryDelay());
            }
            return flushSoon();
        }
        Map<UUID, String> inserted = new HashMap<>();
        List<Operation> ops = done.plan().operations();
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i) instanceof Operation.Insert insert && done.results().get(i).uuid() != null) {
                inserted.put(done.results().get(i).uuid(), insert.table());
            }
        }
        settling.add(new Settling(done.owners(), inserted, new HashSet<>(done.plan().deletedUuids()),
                System.nanoTime() + settings.settleTimeout().toNanos()));
        checkSettled(false);
        if (!settling.isEmpty() && !timers.isTimerActive(Tick.SETTLE)) {
            timers.startSingleTimer(Tick.SETTLE, settings.settleTimeout());
        }
        return flushSoon();
    }

    private static boolean lostConnection(Throwable failure) {
        Throwable cause = OvsdbClient.unwrap(failure);
        return cause instanceof ConnectionClosedException || cause instanceof NotConnectedException;
    }

    /** Owners whose transaction the monitor now shows (or that waited too long) are planned again. */
    private void checkSettled(boolean timeout) {
        if (monitor == null) {
            return;
        }
        DatabaseCache nb = monitor.cache();
        long now = System.nanoTime();
        Iterator<Settling> it = settling.iterator();
        while (it.hasNext()) {
            Settling s = it.next();
            boolean shown = s.shownIn(nb);
            if (shown || (timeout && now >= s.deadline())) {
                it.remove();
                s.owners().forEach(owner -> {
                    InFlight flying = inFlight.remove(owner);
                    if (!intents.containsKey(owner) && !withdrawing.contains(owner)) {
                        return;
                    }
                    if (shown && flying != null && flying.touched == null) {
                        // Nothing but this transaction changed its rows: what was planned is there.
                        report(owner, flying.waiting);
                        remember(owner, flying.intent, flying.waiting);
                    } else {
                        if (shown && flying != null && flying.touched == PlanCause.PUBLISHED && !flying.tainted) {
                            remember(owner, flying.intent, flying.waiting); // a new intent came meanwhile
                        }
                        addDirty(owner, !shown ? PlanCause.SETTLE_TIMEOUT
                                : flying == null ? PlanCause.RECONNECTED : flying.touched);
                    }
                });
            }
        }
        if (!settling.isEmpty() && !timers.isTimerActive(Tick.SETTLE)) {
            timers.startSingleTimer(Tick.SETTLE, settings.settleTimeout());
        }
    }

    private static boolean present(DatabaseCache nb, UUID uuid) {
        return NbTables.MANAGED.stream().anyMatch(table -> nb.table(table).row(uuid).isPresent());
    }

    // ---- reporting

    private static List<String> waiting(Translation translation, Plan plan, ResourceKey owner) {
        List<String> waiting = new ArrayList<>(translation.waitingFor());
        waiting.addAll(plan.summary(owner).deferred().values());
        return List.copyOf(waiting);
    }

    private void report(ResourceKey owner, Translation translation, Plan plan) {
        report(owner, waiting(translation, plan, owner));
    }

    private void report(ResourceKey owner, List<String> waitingFor) {
        if (withdrawing.contains(owner)) {
            ActorRef<Observed> to = subscribers.get(owner);
            long generation = intents.get(owner) == null ? 0 : intents.get(owner).generation();
            if (to != null) {
                to.tell(new Observed(owner, generation, State.WITHDRAWN, "Withdrawn", "", null));
            }
            forget(owner);
            return;
        }
        Northbound.PortFacts port = portFacts(intents.get(owner));
        if (waitingFor.isEmpty()) {
            waitingOwners.remove(owner);
            send(owner, state(owner, State.RECONCILED, "Success", "", port));
        } else {
            waitingOwners.computeIfAbsent(owner, o -> new Waiting()).waitingFor = waitingFor;
            send(owner, state(owner, State.PENDING, "WaitingFor", "waiting for " + String.join(", ", waitingFor), port));
        }
    }

    private Northbound.PortFacts portFacts(TopologyIntent intent) {
        if (!(intent instanceof TopologyIntent.Interface si) || monitor == null) {
            return null;
        }
        List<Row> ports = monitor.cache().table("Logical_Switch_Port").byName(si.portName());
        if (ports.isEmpty()) {
            return null;
        }
        Row port = ports.get(0);
        boolean up = port.bool("up").orElse(false);
        Optional<String> ip = new CacheObservations(monitor.cache()).portIpv4(si.portName());
        return new Northbound.PortFacts(up, si.unknownMac() ? null : si.mac(), ip.orElse(null));
    }

    private Observed state(ResourceKey owner, State state, String reason, String message, Northbound.PortFacts port) {
        TopologyIntent intent = intents.get(owner);
        return new Observed(owner, intent == null ? 0 : intent.generation(), state, reason, message, port);
    }

    private void send(ResourceKey owner, Observed observed) {
        ActorRef<Observed> to = subscribers.get(owner);
        if (to != null && !observed.equals(lastSent.get(owner))) {
            lastSent.put(owner, observed);
            to.tell(observed);
        }
    }
}
