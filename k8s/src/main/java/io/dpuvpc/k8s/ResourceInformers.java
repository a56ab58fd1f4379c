package io.dpuvpc.k8s;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.validation.FieldError;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SharedIndexInformer per served kind (all namespaces), turning the API server's adds, updates
 * and deletes into {@link ResourceSink} calls in the domain's terms: the spec mapped by {@link
 * DomainSpecs}, and checked by the domain's validators, so that bad input arrives as a rejection
 * naming the field instead of an exception.
 *
 * <p>Updates that leave the domain spec and the generation as they were (status writes, resyncs)
 * are not passed on: the status writer's own writes must not come back as work.
 */
public final class ResourceInformers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResourceInformers.class);

    private final KubernetesClient client;
    private final ResourceSink sink;
    private final long resyncMillis;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

    /** {@code resyncMillis} 0 turns periodic resyncs off; they would be dropped anyway, see above. */
    public ResourceInformers(KubernetesClient client, ResourceSink sink, long resyncMillis) {
        this.client = Objects.requireNonNull(client, "client");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.resyncMillis = resyncMillis;
    }

    /** Starts the informers, referenced kinds first, and waits until each has listed its kind. */
    public synchronized void start() {
        if (!informers.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        for (ResourceKind kind : ResourceTypes.SERVED) {
            informers.add(inform(kind, ResourceTypes.of(kind)));
        }
    }

    public synchronized boolean hasSynced() {
        return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    @Override
    public synchronized void close() {
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
    }

    private <T extends HasMetadata> SharedIndexInformer<T> inform(ResourceKind kind, Class<T> type) {
        var resources = client.resources(type);
        var handler = new Handler<T>(kind);
        return kind.clusterScoped()
                ? resources.inform(handler, resyncMillis)
                : resources.inAnyNamespace().inform(handler, resyncMillis);
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
            if (generation(before) != generation(after)
                    || !Objects.equals(DomainSpecs.of(before), DomainSpecs.of(after))) {
                deliver(after);
            }
        }

        @Override
        public void onDelete(T resource, boolean finalStateUnknown) {
            ResourceKey key = key(resource);
            guarded(key, () -> sink.delete(key));
        }

        private void deliver(T resource) {
            ResourceKey key = key(resource);
            long generation = generation(resource);
            Object spec = DomainSpecs.of(resource);
            List<FieldError> errors = DomainSpecs.validate(kind, key.name(), spec);
            guarded(key, errors.isEmpty()
                    ? () -> sink.apply(key, spec, generation)
                    : () -> sink.reject(key, generation, errors));
        }

        private ResourceKey key(T resource) {
            return new ResourceKey(kind, kind.clusterScoped() ? "" : resource.getMetadata().getNamespace(),
                    resource.getMetadata().getName());
        }

        /** A failing sink must not stop the informer: the next event or resync brings the resource again. */
        private void guarded(ResourceKey key, Runnable call) {
            try {
                call.run();
            } catch (RuntimeException e) {
                log.error("The resource sink failed on {}", key, e);
            }
        }
    }

    /** The API server sets metadata.generation on every custom resource; 0 only when it is absent. */
    private static long generation(HasMetadata resource) {
        Long generation = resource.getMetadata().getGeneration();
        return generation == null ? 0 : generation;
    }
}
