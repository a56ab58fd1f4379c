package io.dpuvpc.k8s;

import io.dpuvpc.actors.conditions.Condition;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.model.Annotations;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.k8s.crd.DpuServiceInterface;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what the entities know back to Kubernetes, on a thread of its own:
 *
 * <ul>
 *   <li>each object's {@code status.conditions} and {@code observedGeneration} in the object's own
 *       generation ({@link GenerationLedger}), with a refused spec shown as Ready False naming the
 *       field;
 *   <li>a ServiceInterface's {@code lsp-connected} and {@code lsp-mac-address} annotations;
 *   <li>a DPUServiceInterface's ServiceInterface objects in the DPU cluster ({@link ServiceInterfaceMirror});
 *   <li>Events when Ready turns True, or turns False after having been True or for a refused spec.
 * </ul>
 *
 * <p>Only the latest state is written, and nothing when it is unchanged. The entities' change feed
 * says which objects to look at now ({@link #changed}); besides, the publisher polls the entities
 * (objects not Ready every {@code period}, Ready ones every {@code readyRecheck}): a refused spec
 * changes no entity, and a feed subscription may not be confirmed yet. It compares with what it
 * last wrote. Writes are rate-limited ({@code writesPerSecond}), so a burst
 * of ten thousand objects converging does not flood the API server; what was due meanwhile is
 * written at its latest.
 */
public final class StatusPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusPublisher.class);
    /** How long one pass waits for the entities' answers. */
    static final Duration ASK_PATIENCE = Duration.ofSeconds(10);

    public record Settings(Duration period, Duration readyRecheck, double writesPerSecond) {
        public static final Settings DEFAULT = new Settings(Duration.ofMillis(500), Duration.ofSeconds(10), 50);
    }

    /** What was last written for one object, to tell whether anything changed. */
    private record Written(long objectGeneration, long observedGeneration, Conditions conditions, Instant polled) {
        boolean ready() {
            return conditions.isTrue(ConditionTypes.READY);
        }
    }

    private final ResourceInformers informers;
    private final StatusSource source;
    private final GenerationLedger ledger;
    private final Settings settings;
    private final Clock clock;
    private final StatusWriter hostWriter;
    private final StatusWriter dpuWriter;
    private final ServiceInterfaceMirror mirror;
    private final Map<ResourceKey, Written> written = new ConcurrentHashMap<>();
    private final AtomicLong statusWrites = new AtomicLong();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "k8s-status-publisher");
        t.setDaemon(true);
        return t;
    });
    private long nextWriteNanos;
    /** Objects whose entities changed since the last change pass ({@link #changed}). */
    private final Set<ResourceKey> changedKeys = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean changePassQueued = new AtomicBoolean();

    public StatusPublisher(ResourceInformers informers, StatusSource source, GenerationLedger ledger,
            Settings settings, Clock clock) {
        this.informers = Objects.requireNonNull(informers, "informers");
        this.source = Objects.requireNonNull(source, "source");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = clock;
        Clusters clusters = informers.clusters();
        this.hostWriter = new StatusWriter(clusters.host());
        this.dpuWriter = clusters.shared() ? hostWriter : new StatusWriter(clusters.dpu());
        this.mirror = new ServiceInterfaceMirror(clusters.dpu());
    }

    public void start() {
        thread.scheduleWithFixedDelay(() -> guarded(this::pass), 0, settings.period().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The entities of {@code keys} changed (the change feed): their objects' status is looked at
     * now, on the publisher's thread, rather than at the next pass (up to {@code period} later).
     * Calls that come while one such look is queued join it.
     */
    public void changed(Collection<ResourceKey> keys) {
        changedKeys.addAll(keys);
        if (changePassQueued.compareAndSet(false, true)) {
            try {
                thread.execute(() -> guarded(this::changePass));
            } catch (RejectedExecutionException closed) {
                // Closed: nothing is written any more.
            }
        }
    }

    /** Status writes made so far (each one a PUT on /status). */
    public long statusWrites() {
        return statusWrites.get();
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private interface Pass {
        void run() throws InterruptedException;
    }

    private static void guarded(Pass pass) {
        try {
            pass.run();
        } catch (RuntimeException e) {
            log.warn("A status pass failed; the next one tries again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One pass: ask the entities of every due object, then write what changed. */
    void pass() throws InterruptedException {
        Instant now = clock.instant();
        Map<HasMetadata, CompletableFuture<Optional<StatusSource.Observed>>> asked = new LinkedHashMap<>();
        Set<ResourceKey> present = new HashSet<>();
        for (ResourceKind kind : ResourceTypes.SERVED) {
            for (HasMetadata resource : informers.cached(kind)) {
                present.add(ResourceInformers.key(kind, resource));
                if (!Finalizers.deleting(resource) && due(kind, resource, now)) {
                    asked.put(resource, source.status(ResourceInformers.key(kind, resource)).toCompletableFuture());
                }
            }
        }
        // What was written for objects gone since: forgotten, so that churn does not grow the map.
        written.keySet().retainAll(present);
        Map<DpuServiceInterface, List<StatusSource.Child>> owners = new LinkedHashMap<>();
        informers.cached(ResourceKind.DPU_SERVICE_INTERFACE).stream().filter(r -> !Finalizers.deleting(r))
                .forEach(r -> owners.put((DpuServiceInterface) r, null));
        publishAnswers(asked, now).forEach((resource, observed) -> {
            if (resource instanceof DpuServiceInterface dsi && observed.isPresent()) {
                owners.put(dsi, observed.get().children());
            }
        });
        var changes = mirror.reconcile(owners, informers.cached(ResourceKind.SERVICE_INTERFACE));
        if (!changes.none()) {
            log.info("ServiceInterfaces of DPUServiceInterfaces: {} created, {} updated, {} deleted",
                    changes.created(), changes.updated(), changes.deleted());
        }
    }

    /**
     * The objects whose entities changed ({@link #changed}): asked and written now. A
     * DPUServiceInterface's ServiceInterface objects follow at the next pass.
     */
    void changePass() throws InterruptedException {
        changePassQueued.set(false);
        List<ResourceKey> keys = new ArrayList<>(changedKeys);
        changedKeys.removeAll(keys);
        Instant now = clock.instant();
        Map<HasMetadata, CompletableFuture<Optional<StatusSource.Observed>>> asked = new LinkedHashMap<>();
        for (ResourceKey key : keys) {
            if (ResourceTypes.SERVED.contains(key.kind())) {
                informers.cached(key).filter(resource -> !Finalizers.deleting(resource))
                        .ifPresent(resource -> asked.put(resource, source.status(key).toCompletableFuture()));
            }
        }
        publishAnswers(asked, now);
    }

    /** Waits for the answers (at most {@link #ASK_PATIENCE} in all) and writes them; returns those that came. */
    private Map<HasMetadata, Optional<StatusSource.Observed>> publishAnswers(
            Map<HasMetadata, CompletableFuture<Optional<StatusSource.Observed>>> asked, Instant now)
            throws InterruptedException {
        Map<HasMetadata, Optional<StatusSource.Observed>> answered = new LinkedHashMap<>();
        long deadline = System.nanoTime() + ASK_PATIENCE.toNanos();
        for (var entry : asked.entrySet()) {
            HasMetadata resource = entry.getKey();
            Optional<StatusSource.Observed> observed;
            try {
                observed = entry.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                continue; // not answering now (starting, moving): next pass
            }
            publish(DomainSpecs.kindOf(resource), resource, observed, now);
            answered.put(resource, observed);
        }
        return answered;
    }

    private boolean due(ResourceKind kind, HasMetadata resource, Instant now) {
        Written last = written.get(ResourceInformers.key(kind, resource));
        return last == null || !last.ready() || last.objectGeneration() != ResourceInformers.generation(resource)
                || kind == ResourceKind.DPU_SERVICE_INTERFACE
                || !now.isBefore(last.polled().plus(settings.readyRecheck()));
    }

    private void publish(ResourceKind kind, HasMetadata resource, Optional<StatusSource.Observed> observed, Instant now)
            throws InterruptedException {
        ResourceKey key = ResourceInformers.key(kind, resource);
        long generation = ResourceInformers.generation(resource);
        Optional<GenerationLedger.Rejection> rejection = ledger.rejection(key, generation);
        if (observed.isEmpty() && rejection.isEmpty()) {
            return; // not applied yet, or its apply is in flight
        }
        Conditions conditions = observed.map(o -> translate(key, o.conditions(), generation)).orElse(Conditions.EMPTY);
        long observedGeneration = observed.map(o -> ledger.kubernetesGeneration(key, o.generation()).orElse(generation))
                .orElse(generation);
        Written last = written.get(key);
        if (rejection.isPresent()) {
            // On top of the Ready last written, so that its lastTransitionTime holds while the
            // refusal stands (else every pass would be a new transition, a write and an event).
            Optional<Condition> lastReady = last == null ? Optional.empty() : last.conditions().get(ConditionTypes.READY);
            if (lastReady.isPresent()) {
                List<Condition> items = new ArrayList<>(conditions.remove(ConditionTypes.READY).items());
                items.add(lastReady.get());
                conditions = new Conditions(items);
            }
            conditions = conditions.setFromErrors(ConditionTypes.READY, rejection.get().errors(), generation, clock);
            observedGeneration = generation;
        }
        Written next = new Written(generation, observedGeneration, conditions, now);
        if (last != null && last.conditions().equals(conditions) && last.observedGeneration() == observedGeneration) {
            written.put(key, next);
        } else {
            throttle();
            KubernetesClient client = informers.clusters().of(kind);
            StatusWriter writer = kind == ResourceKind.SERVICE_INTERFACE ? dpuWriter : hostWriter;
            try {
                if (writer.write(key, conditions, observedGeneration) == StatusWriter.Outcome.WRITTEN) {
                    statusWrites.incrementAndGet();
                }
                written.put(key, next);
                recordEvent(client, resource, last, next, rejection);
            } catch (KubernetesClientException e) {
                log.warn("Could not write the status of {}: {}", key, e.getMessage());
            }
        }
        if (kind == ResourceKind.SERVICE_INTERFACE && observed.isPresent()) {
            annotate(key, resource, observed.get());
        }
    }

    /** The entity's conditions with each observedGeneration in the object's terms. */
    private Conditions translate(ResourceKey key, Conditions conditions, long objectGeneration) {
        List<Condition> items = new ArrayList<>();
        for (Condition c : conditions.items()) {
            long g = ledger.kubernetesGeneration(key, c.observedGeneration()).orElse(objectGeneration);
            items.add(new Condition(c.type(), c.status(), c.reason(), c.message(), g, c.lastTransitionTime()));
        }
        return new Conditions(items);
    }

    private void recordEvent(KubernetesClient client, HasMetadata resource, Written last, Written next,
            Optional<GenerationLedger.Rejection> rejection) {
        boolean wasReady = last != null && last.ready();
        Optional<Condition> ready = next.conditions().get(ConditionTypes.READY);
        if (ready.isEmpty() || (last != null && last.conditions().get(ConditionTypes.READY).equals(ready))) {
            return;
        }
        if (ready.get().isTrue() && !wasReady) {
            KubeEvents.record(client, resource, "Normal", "Ready", resource.getKind() + " is ready");
        } else if (!ready.get().isTrue() && (wasReady || rejection.isPresent())) {
            KubeEvents.record(client, resource, "Warning", ready.get().reason(), ready.get().message());
        }
    }

    /** Writes lsp-connected and lsp-mac-address when they differ from the object's. */
    private void annotate(ResourceKey key, HasMetadata resource, StatusSource.Observed observed) throws InterruptedException {
        Map<String, String> wanted = new LinkedHashMap<>();
        if (observed.portConnected() != null) {
            wanted.put(Annotations.LSP_CONNECTED, observed.portConnected().toString());
        }
        if (observed.mac() != null) {
            wanted.put(Annotations.LSP_MAC_ADDRESS, observed.mac());
        }
        Map<String, String> current = resource.getMetadata().getAnnotations() == null ? Map.of()
                : resource.getMetadata().getAnnotations();
        if (wanted.entrySet().stream().allMatch(e -> e.getValue().equals(current.get(e.getKey())))) {
            return;
        }
        throttle();
        try {
            informers.clusters().dpu().resources(io.dpuvpc.k8s.crd.ServiceInterface.class)
                    .inNamespace(key.namespace()).withName(key.name()).edit(si -> {
                        Map<String, String> annotations = new LinkedHashMap<>(
                                si.getMetadata().getAnnotations() == null ? Map.of() : si.getMetadata().getAnnotations());
                        annotations.putAll(wanted);
                        si.getMetadata().setAnnotations(annotations);
                        return si;
                    });
        } catch (KubernetesClientException e) {
            log.warn("Could not annotate {}: {}", key, e.getMessage());
        }
    }

    /** At most {@code writesPerSecond} writes: waits for the next slot. */
    private void throttle() throws InterruptedException {
        long spacing = (long) (1_000_000_000L / settings.writesPerSecond());
        long now = System.nanoTime();
        if (nextWriteNanos > now) {
            TimeUnit.NANOSECONDS.sleep(nextWriteNanos - now);
            now = nextWriteNanos;
        }
        nextWriteNanos = now + spacing;
    }
}
