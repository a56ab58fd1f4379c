package io.dpuvpc.app.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.entity.DpuNodeEntity;
import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.actors.model.NodePortStatus;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.http.api.ControllerInfo;
import io.dpuvpc.http.api.MetricSample;
import io.dpuvpc.http.api.EntityResourceService;
import io.dpuvpc.http.api.ResourceView;
import io.dpuvpc.ovn.northbound.LatencyHistogram;
import io.dpuvpc.ovn.northbound.NorthboundBridge;
import io.dpuvpc.ovn.northbound.NorthboundRouter;
import io.dpuvpc.persistence.journal.EventCounter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The admin API's view of this controller: DPU nodes from their entities, the cluster from Pekko
 * (members, and per entity type the shards and entities on each member), and the metrics.
 *
 * <p>The per-condition counts read every resource's status, so they are computed at most once per
 * {@value #READY_COUNT_EVERY_SECONDS} s however often Prometheus scrapes.
 */
public final class ControllerInfoService implements ControllerInfo {
    static final long READY_COUNT_EVERY_SECONDS = 30;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<ResourceKind> KINDS = List.of(ResourceKind.ISOLATION_CLASS, ResourceKind.DPU_VPC,
            ResourceKind.DPU_VIRTUAL_NETWORK, ResourceKind.DPU_SERVICE_INTERFACE, ResourceKind.SERVICE_INTERFACE);

    private final ControllerNode node;
    private final EntityResourceService resources;
    private final Duration timeout;
    private volatile CompletableFuture<List<MetricSample>> readyCounts;
    private volatile long readyCountsAt;

    public ControllerInfoService(ControllerNode node, EntityResourceService resources, Duration timeout) {
        this.node = node;
        this.resources = resources;
        this.timeout = timeout;
    }

    // ---- nodes

    @Override
    public CompletionStage<List<JsonNode>> nodes() {
        return resources.keys(ResourceKind.DPU_NODE, Optional.empty()).thenCompose(keys -> {
            List<CompletableFuture<Optional<JsonNode>>> reads = keys.stream()
                    .map(k -> node(k.name()).toCompletableFuture()).toList();
            return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                    .thenApply(done -> reads.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList());
        });
    }

    @Override
    public CompletionStage<Optional<JsonNode>> node(String name) {
        return node.directory().node(name).<DpuNodeEntity.Status>ask(DpuNodeEntity.GetStatus::new, timeout)
                .thenApply(status -> status.exists() ? Optional.of(nodeJson(status)) : Optional.empty());
    }

    static JsonNode nodeJson(DpuNodeEntity.Status status) {
        DpuNode n = status.node();
        ObjectNode o = F.objectNode();
        o.put("kind", "DPUNode");
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", n.name());
        meta.put("uid", status.metadata().uid());
        meta.put("resourceVersion", status.metadata().resourceVersion());
        meta.put("creationTimestamp", status.metadata().creationTimestamp() == null ? null
                : status.metadata().creationTimestamp().toString());
        ObjectNode labels = meta.putObject("labels");
        n.labels().forEach(labels::put);
        ObjectNode s = o.putObject("status");
        s.put("chassis", n.chassisId());
        s.put("vtepIP", n.vtepIp());
        s.put("externalIP", n.externalIp());
        s.put("externalNextHop", n.externalNextHop());
        s.put("ready", n.ready());
        // Why not, as Kubernetes says it of a Pod: a CamelCase reason for programs, a message for people.
        s.put("reason", status.notReady() == null ? null : status.notReady().reason());
        s.put("message", status.notReady() == null ? null : status.notReady().message());
        s.put("lastHeartbeat", n.lastHeartbeat() == null ? null : n.lastHeartbeat().toString());
        s.put("chassisRegistered", n.chassisRegistered());
        s.put("hwOffload", n.hwOffload());
        ArrayNode ports = s.putArray("ports");
        for (NodePortStatus p : n.ports()) {
            ObjectNode port = ports.addObject();
            port.put("logicalPort", p.logicalPort());
            port.put("representor", p.representor());
            port.put("mac", p.mac());
            port.put("bound", p.bound());
            port.put("up", p.up());
            port.put("hostMac", p.hostMac());
            port.put("macMismatch", p.macMismatch());
        }
        return o;
    }

    // ---- cluster

    @Override
    public CompletionStage<JsonNode> cluster() {
        Cluster cluster = node.cluster();
        ObjectNode o = F.objectNode();
        o.put("self", cluster.selfMember().address().toString());
        o.put("leader", cluster.state().getLeader() == null ? null : cluster.state().getLeader().toString());
        var members = o.putArray("members");
        for (Member m : cluster.state().getMembers()) {
            ObjectNode member = members.addObject();
            member.put("address", m.address().toString());
            member.put("status", m.status().toString());
            var roles = member.putArray("roles");
            m.getRoles().forEach(roles::add);
        }
        ObjectNode sharding = o.putObject("sharding");
        CompletableFuture<?>[] asks = EntityTypes.ALL.stream().map(type -> stats(type).thenAccept(regions -> {
            synchronized (sharding) {
                sharding.set(type.name(), regions);
            }
        }).toCompletableFuture()).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(asks).thenApply(done -> o);
    }

    /** Per member: how many shards of {@code type} it hosts and how many entities run in them. */
    private CompletionStage<ObjectNode> stats(EntityTypeKey<?> type) {
        ActorSystem<?> system = node.system();
        return AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
                org.apache.pekko.cluster.sharding.ShardRegion.ClusterShardingStats>ask(
                ClusterSharding.get(system).shardState(),
                (ActorRef<org.apache.pekko.cluster.sharding.ShardRegion.ClusterShardingStats> r) ->
                        new GetClusterShardingStats(type, timeout, r), timeout.plusSeconds(1), system.scheduler())
                .thenApply(stats -> {
                    ObjectNode byMember = F.objectNode();
                    stats.getRegions().forEach((address, region) -> {
                        ObjectNode m = byMember.putObject(address.toString());
                        m.put("shards", region.getStats().size());
                        long entities = 0;
                        for (Object n : region.getStats().values()) {
                            entities += ((Number) n).longValue();
                        }
                        m.put("entities", entities);
                    });
                    return byMember;
                });
    }

    // ---- metrics

    @Override
    public CompletionStage<List<MetricSample>> metrics() {
        List<MetricSample> samples = new ArrayList<>();
        Cluster cluster = node.cluster();
        Map<String, Integer> byStatus = new TreeMap<>();
        cluster.state().getMembers().forEach(m -> byStatus.merge(m.status().toString(), 1, Integer::sum));
        byStatus.forEach((status, n) -> samples.add(MetricSample.gauge("dpuvpc_cluster_members",
                "Members of the controller cluster by status.", Map.of("status", status), n)));
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        samples.add(MetricSample.gauge("dpuvpc_jvm_heap_used_bytes", "Heap in use.", Map.of(), heap.getUsed()));
        samples.add(MetricSample.gauge("dpuvpc_jvm_heap_max_bytes", "Heap limit.", Map.of(), heap.getMax()));
        samples.add(MetricSample.counter("dpuvpc_events_persisted_total", "Events this node's entities wrote to the journal.",
                Map.of(), EventCounter.eventsPersisted()));
        return readyCounts().thenCombine(northbound(), (ready, nb) -> {
            samples.addAll(ready);
            samples.addAll(nb);
            return samples;
        });
    }

    /** Resources per kind, and per kind those whose Ready is True, False or Unknown (cached). */
    private CompletionStage<List<MetricSample>> readyCounts() {
        long now = System.nanoTime();
        CompletableFuture<List<MetricSample>> cached = readyCounts;
        if (cached != null && now - readyCountsAt < Duration.ofSeconds(READY_COUNT_EVERY_SECONDS).toNanos()
                && !cached.isCompletedExceptionally()) {
            return cached;
        }
        List<CompletableFuture<List<MetricSample>>> perKind = KINDS.stream().map(kind -> resources.list(kind, Optional.empty())
                .thenApply(views -> kindSamples(kind, views)).toCompletableFuture()).toList();
        CompletableFuture<List<MetricSample>> fresh = CompletableFuture.allOf(perKind.toArray(CompletableFuture[]::new))
                .thenApply(done -> perKind.stream().flatMap(f -> f.join().stream()).toList());
        readyCounts = fresh;
        readyCountsAt = now;
        return fresh;
    }

    private static List<MetricSample> kindSamples(ResourceKind kind, List<ResourceView> views) {
        List<MetricSample> samples = new ArrayList<>();
        samples.add(MetricSample.gauge("dpuvpc_resources", "Resources by kind.", Map.of("kind", kind.kindName()), views.size()));
        Map<String, Integer> byReady = new TreeMap<>(Map.of("True", 0, "False", 0, "Unknown", 0));
        for (ResourceView v : views) {
            String status = v.conditions().get(ConditionTypes.READY).map(c -> c.status().text()).orElse("Unknown");
            byReady.merge(status, 1, Integer::sum);
        }
        if (kind != ResourceKind.ISOLATION_CLASS) {
            byReady.forEach((status, n) -> samples.add(MetricSample.gauge("dpuvpc_resources_ready",
                    "Resources by kind and the status of their Ready condition.",
                    Map.of("kind", kind.kindName(), "status", status), n)));
        }
        return samples;
    }

    /** The Northbound bridges' figures, one set per IsolationClass whose bridge runs on this node. */
    private CompletionStage<List<MetricSample>> northbound() {
        Optional<ActorRef<NorthboundRouter.Message>> router = node.directory().northboundRouter();
        if (router.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return resources.keys(ResourceKind.ISOLATION_CLASS, Optional.empty()).thenCompose(classes -> {
            List<CompletableFuture<List<MetricSample>>> perClass = classes.stream()
                    .map(c -> bridgeSamples(router.get(), c.name()).toCompletableFuture()).toList();
            return CompletableFuture.allOf(perClass.toArray(CompletableFuture[]::new))
                    .thenApply(done -> perClass.stream().flatMap(f -> f.join().stream()).toList());
        });
    }

    private CompletionStage<List<MetricSample>> bridgeSamples(ActorRef<NorthboundRouter.Message> router, String isolationClass) {
        ActorSystem<?> system = node.system();
        return AskPattern.<NorthboundRouter.Message, Optional<ActorRef<NorthboundBridge.Message>>>ask(router,
                r -> new NorthboundRouter.GetBridge(isolationClass, r), timeout, system.scheduler())
                .thenCompose(bridge -> bridge.isEmpty() ? CompletableFuture.completedFuture(List.<MetricSample>of())
                        : AskPattern.<NorthboundBridge.Message, NorthboundBridge.Stats>ask(bridge.get(),
                                NorthboundBridge.GetStats::new, timeout, system.scheduler())
                        .thenApply(stats -> bridgeSamples(isolationClass, stats)));
    }

    static List<MetricSample> bridgeSamples(String isolationClass, NorthboundBridge.Stats s) {
        Map<String, String> l = Map.of("isolation_class", isolationClass);
        List<MetricSample> samples = new ArrayList<>(List.of(
                MetricSample.counter("dpuvpc_nb_transactions_total", "Northbound write transactions sent.", l, s.transactions()),
                MetricSample.counter("dpuvpc_nb_transactions_failed_total", "Northbound transactions OVN refused.", l,
                        s.failedTransactions()),
                MetricSample.counter("dpuvpc_nb_operations_total", "OVSDB operations in the transactions.", l, s.operations()),
                MetricSample.counter("dpuvpc_nb_owners_transacted_total",
                        "Owners in the transactions, summed (divided by the transactions: the batch size).", l,
                        s.ownersTransacted()),
                MetricSample.counter("dpuvpc_nb_owners_planned_total", "Owners translated and planned.", l, s.ownersPlanned()),
                MetricSample.counter("dpuvpc_nb_rows_planned_total", "Desired rows handed to the planner, summed over the "
                        + "owners planned.", l, s.rowsPlanned()),
                MetricSample.counter("dpuvpc_nb_owner_parts_planned_total", "Owner plans of only the rows a new intent "
                        + "changed (the rest shown in place).", l, s.partsPlanned()),
                MetricSample.counter("dpuvpc_nb_orphans_collected_total", "Owners whose rows were removed as orphans.", l,
                        s.orphansCollected()),
                MetricSample.counter("dpuvpc_nb_disconnects_total", "Connections to Northbound lost (each followed by a "
                        + "reconnect).", l, s.disconnects()),
                MetricSample.gauge("dpuvpc_nb_owners", "Owners the bridge holds intent for.", l, s.owners()),
                MetricSample.gauge("dpuvpc_nb_dirty_owners", "Owners waiting to be planned.", l, s.dirty()),
                MetricSample.gauge("dpuvpc_nb_connected", "1 when the bridge's monitor is up.", l, s.connected() ? 1 : 0)));
        s.plannedBecause().forEach((cause, count) -> samples.add(MetricSample.counter("dpuvpc_nb_owner_plans_total",
                "Owners planned, by why (published: asked for by its resource; the others the bridge made again on"
                        + " its own).", Map.of("isolation_class", isolationClass, "cause", cause.label()), count)));
        histogram(samples, "dpuvpc_nb_transaction_seconds", "Northbound transaction round trips.", isolationClass,
                s.latency());
        histogram(samples, "dpuvpc_nb_flush_wait_seconds", "From a Northbound flush asked for (an owner to plan) to its"
                + " start: the batching delay, or a busy bridge.", isolationClass, s.flushWait());
        histogram(samples, "dpuvpc_nb_plan_seconds", "Translating and planning one batch of owners against the"
                + " Northbound cache.", isolationClass, s.planning());
        return samples;
    }

    private static void histogram(List<MetricSample> samples, String family, String help, String isolationClass,
            LatencyHistogram.Snapshot h) {
        Map<String, String> l = Map.of("isolation_class", isolationClass);
        for (int i = 0; i < LatencyHistogram.BOUNDS.size(); i++) {
            samples.add(new MetricSample(family, "histogram", help, family + "_bucket",
                    Map.of("isolation_class", isolationClass, "le", Double.toString(LatencyHistogram.BOUNDS.get(i))),
                    h.cumulativeCounts().get(i)));
        }
        samples.add(new MetricSample(family, "histogram", help, family + "_bucket",
                Map.of("isolation_class", isolationClass, "le", "+Inf"), h.count()));
        samples.add(new MetricSample(family, "histogram", help, family + "_sum", l, h.sumSeconds()));
        samples.add(new MetricSample(family, "histogram", help, family + "_count", l, h.count()));
    }
}
