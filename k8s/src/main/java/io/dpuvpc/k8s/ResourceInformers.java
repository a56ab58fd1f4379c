package io.dpuvpc.k8s;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.validation.FieldError;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SharedIndexInformer per served kind (all namespaces, each on its cluster, see {@link
 * Clusters}) and one for the DPU cluster's Nodes, turning the API servers' adds, updates and
 * deletes into {@link ResourceSink} calls in the domain's terms.
 *
 * <ul>
 *   <li>A spec the domain's validators refuse never reaches the sink: it is recorded in the
 *       {@link GenerationLedger} as a rejection naming the field, which the status publisher
 *       writes as a False condition. An entity's own refusal is recorded the same way.
 *   <li>Every object gets the {@link Finalizers#OVN_CLEANUP} finalizer; once deleted, the sink
 *       removes the entity and its OVN rows, and only then is the finalizer removed.
 *   <li>ServiceInterfaces owned by a DPUServiceInterface ({@link OwnedServiceInterfaces}) are
 *       driven by their owner's entity, so they are watched but never applied.
 *   <li>Updates that leave the domain spec and the generation as they were (status writes,
 *       annotations we write, resyncs) are not passed on, unless the object still lacks our
 *       finalizer: a failed finalizer write is tried again at the object's next update.
 * </ul>
 *
 * <p>Kubernetes writes (finalizers) run on a thread of their own, never on the informers'.
 */
public final class ResourceInformers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResourceInformers.class);

    private final Clusters clusters;
    private final ResourceSink sink;
    private final GenerationLedger ledger;
    private final long resyncMillis;
    private final Map<ResourceKind, SharedIndexInformer<? extends HasMetadata>> informers = new ConcurrentHashMap<>();
    private final List<SharedIndexInformer<Node>> nodeInformers = new ArrayList<>();
    private final Set<ResourceKey> deleting = ConcurrentHashMap.newKeySet();
    /** How long a failed cleanup waits before it is tried again (the finalizer holds the object meanwhile). */
    static final long CLEANUP_RETRY_MILLIS = 5_000;

    private final ScheduledExecutorService writes = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "k8s-finalizers");
        t.setDaemon(true);
        return t;
    });

    /** {@code resyncMillis} 0 turns periodic resyncs off; they would be dropped anyway, see above. */
    public ResourceInformers(Clusters clusters, ResourceSink sink, GenerationLedger ledger, long resyncMillis) {
        this.clusters = Objects.requireNonNull(clusters, "clusters");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.resyncMillis = resyncMillis;
    }

    /** Starts the informers, referenced kinds first, and waits until each has listed its kind. */
    public synchronized void start() {
        if (!informers.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        // Nodes first: their labels decide where networks and interfaces go.
        nodeInformers.add(clusters.dpu().nodes().inform(new NodeHandler(), resyncMillis));
        for (ResourceKind kind : ResourceTypes.SERVED) {
            informers.put(kind, inform(kind));
        }
    }

    public synchronized boolean hasSynced() {
        return !informers.isEmpty() && informers.values().stream().allMatch(SharedIndexInformer::hasSynced)
                && nodeInformers.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /** The objects of {@code kind} the informer holds now (the API server's, as last seen). */
    public List<HasMetadata> cached(ResourceKind kind) {
        SharedIndexInformer<? extends HasMetadata> informer = informers.get(kind);
        return informer == null ? List.of() : List.copyOf(informer.getStore().list());
    }

    /** The object of {@code key} the informer holds now, if any. */
    public Optional<HasMetadata> cached(ResourceKey key) {
        SharedIndexInformer<? extends HasMetadata> informer = informers.get(key.kind());
        if (informer == null) {
            return Optional.empty();
        }
        // The store's keys: namespace/name, or the name alone for a cluster-scoped object.
        String storeKey = key.kind().clusterScoped() ? key.name() : key.namespace() + "/" + key.name();
        return Optional.ofNullable(informer.getStore().getByKey(storeKey));
    }

    public Clusters clusters() {
        return clusters;
    }

    @Override
    public synchronized void close() {
        informers.values().forEach(SharedIndexInformer::close);
        informers.clear();
        nodeInformers.forEach(SharedIndexInformer::close);
        nodeInformers.clear();
        writes.shutdown();
        try {
            writes.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private SharedIndexInformer<? extends HasMetadata> inform(ResourceKind kind) {
        var resources = clusters.of(kind).resources(ResourceTypes.of(kind));
        var handler = new Handler<HasMetadata>(kind);
        return kind.clusterScoped()
                ? resources.inform(handler, resyncMillis)
                : resources.inAnyNamespace().inform(handler, resyncMillis);
    }

    /** The domain key of an object of {@code kind}. */
    public static ResourceKey key(ResourceKind kind, HasMetadata resource) {
        return new ResourceKey(kind, kind.clusterScoped() ? "" : resource.getMetadata().getNamespace(),
                resource.getMetadata().getName());
    }

    /** The API server sets metadata.generation on every custom resource; 0 only when it is absent. */
    public static long generation(HasMetadata resource) {
        Long generation = resource.getMetadata().getGeneration();
        return generation == null ? 0 : generation;
    }

    private final class Handler<T extends HasMetadata> implements ResourceEventHandler<T> {
        private final ResourceKind kind;

        Handler(ResourceKind kind) {
            this.kind = kind;
        }

        @Override
        public void onAdd(T resource) {
            deliver(resource);
        }

        @Override
        public void onUpdate(T before, T after) {
            // Without our finalizer (its first write failed), deliver again: that adds it.
            if (Finalizers.deleting(after) || !Finalizers.has(after) || generation(before) != generation(after)
                    || !Objects.equals(DomainSpecs.of(before), DomainSpecs.of(after))) {
                deliver(after);
            }
        }

        @Override
        public void onDelete(T resource, boolean finalStateUnknown) {
            ResourceKey key = key(kind, resource);
            ledger.forget(key);
            boolean cleanedUp = deleting.remove(key);
            if (OwnedServiceInterfaces.owner(resource).isEmpty() && !cleanedUp) {
                // Gone without our finalizer (someone removed it, or it was never added): clean up all the same.
                guarded(key, () -> sink.delete(key));
            }
        }

        /** Delivers the object again as the informer holds it now, if it still exists. */
        @SuppressWarnings("unchecked")
        private void retry(ResourceKey key) {
            SharedIndexInformer<? extends HasMetadata> informer = informers.get(kind);
            if (informer == null) {
                return;
            }
            String storeKey = kind.clusterScoped() ? key.name() : key.namespace() + "/" + key.name();
            HasMetadata current = informer.getStore().getByKey(storeKey);
            if (current != null) {
                deliver((T) current);
            }
        }

        /**
         * On the writes thread, once the cleanup is done. A removal that fails (API server away,
         * conflicts past {@link Finalizers#CONFLICT_TRIES}) is tried again with the cleanup: left
         * alone, the key would stay in {@code deleting} and no later event would try again.
         */
        private void removeFinalizer(ResourceKey key) {
            try {
                Finalizers.remove(clusters.of(kind), key);
            } catch (RuntimeException e) {
                log.warn("Could not remove the finalizer of {} (tried again in {} ms): {}", key, CLEANUP_RETRY_MILLIS,
                        e.toString());
                deleting.remove(key);
                writes.schedule(() -> retry(key), CLEANUP_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
        }

        private void deliver(T resource) {
            ResourceKey key = key(kind, resource);
            if (OwnedServiceInterfaces.owner(resource).isPresent()) {
                return;
            }
            if (Finalizers.deleting(resource)) {
                if (Finalizers.has(resource) && deleting.add(key)) {
                    guarded(key, () -> sink.delete(key).whenCompleteAsync((done, failure) -> {
                        if (failure != null) {
                            // The finalizer stays, so the object stays, and the cleanup is tried again.
                            log.warn("Could not clean up {} (tried again in {} ms); it keeps its finalizer: {}", key,
                                    CLEANUP_RETRY_MILLIS, failure.toString());
                            deleting.remove(key);
                            writes.schedule(() -> retry(key), CLEANUP_RETRY_MILLIS, TimeUnit.MILLISECONDS);
                            return;
                        }
                        removeFinalizer(key);
                    }, writes));
                }
                return;
            }
            if (!Finalizers.has(resource)) {
                write(key, () -> Finalizers.add(clusters.of(kind), key));
            }
            long generation = generation(resource);
            Object spec = DomainSpecs.of(resource);
            List<FieldError> errors = DomainSpecs.validate(kind, key.name(), spec);
            if (!errors.isEmpty()) {
                ledger.rejected(key, generation, errors);
                return;
            }
            guarded(key, () -> sink.apply(key, spec).whenComplete((outcome, failure) -> {
                if (outcome instanceof ResourceSink.Outcome.Accepted accepted) {
                    ledger.accepted(key, generation, accepted.generation());
                } else if (outcome instanceof ResourceSink.Outcome.Rejected rejected) {
                    ledger.rejected(key, generation, rejected.errors());
                } else if (failure != null) {
                    // The controller did not answer (starting, journal unreachable): the resync brings it again.
                    log.warn("Applying {} failed: {}", key, failure.toString());
                }
            }));
        }
    }

    private final class NodeHandler implements ResourceEventHandler<Node> {
        @Override
        public void onAdd(Node node) {
            labels(node);
        }

        @Override
        public void onUpdate(Node before, Node after) {
            if (!Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())) {
                labels(after);
            }
        }

        @Override
        public void onDelete(Node node, boolean finalStateUnknown) {
            // A Node object removed is not a DPU gone: its agent's reports decide readiness.
        }

        private void labels(Node node) {
            Map<String, String> labels = node.getMetadata().getLabels();
            String name = node.getMetadata().getName();
            guarded(ResourceKey.clusterScoped(ResourceKind.DPU_NODE, name),
                    () -> sink.nodeLabels(name, labels == null ? Map.of() : labels));
        }
    }

    private void write(ResourceKey key, Runnable call) {
        writes.execute(() -> guarded(key, call));
    }

    /** A failing sink or write must not stop the informer: the next event or resync brings the resource again. */
    private static void guarded(ResourceKey key, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.error("Handling {} failed", key, e);
        }
    }
}
