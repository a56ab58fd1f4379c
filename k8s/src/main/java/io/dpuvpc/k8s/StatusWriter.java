package io.dpuvpc.k8s;

import io.dpuvpc.actors.conditions.Condition;
import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.k8s.crd.ResourceStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Writes a resource's {@code status.conditions} and {@code status.observedGeneration} through the
 * {@code /status} subresource, so that it never touches the spec a user may be editing.
 *
 * <p>It reads the resource first and writes nothing when the status already says the same (each
 * write is an event for every watcher, this product's informers included). The write carries the
 * resourceVersion it read: when someone wrote in between, the API server answers 409 Conflict and
 * the writer reads again and retries, up to {@value #ATTEMPTS} times. Other parts of the status
 * (a DPUVPC's {@code virtualNetworks}) are kept as read.
 *
 * <p>Blocking: call it from a thread of its own (the status publisher's), never from an actor.
 */
public final class StatusWriter {
    static final int ATTEMPTS = 5;

    /** What a {@link #write} did. */
    public enum Outcome {
        WRITTEN,
        /** The status already said this: nothing written. */
        UNCHANGED,
        /** The resource does not exist (any more): nothing to write to. */
        GONE
    }

    private final KubernetesClient client;
    private final Consumer<ResourceKey> betweenReadAndWrite;

    public StatusWriter(KubernetesClient client) {
        this(client, key -> {});
    }

    /** With a hook run after each read and before its write: tests race other writers there. */
    StatusWriter(KubernetesClient client, Consumer<ResourceKey> betweenReadAndWrite) {
        this.client = Objects.requireNonNull(client, "client");
        this.betweenReadAndWrite = betweenReadAndWrite;
    }

    /** Sets {@code key}'s conditions to exactly {@code conditions}, computed for {@code observedGeneration}. */
    public Outcome write(ResourceKey key, Conditions conditions, long observedGeneration) {
        List<io.fabric8.kubernetes.api.model.Condition> wanted = conditions.items().stream()
                .map(StatusWriter::kubernetesCondition).toList();
        KubernetesClientException lastConflict = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            CustomResource<?, ResourceStatus> resource = read(key);
            if (resource == null) {
                return Outcome.GONE;
            }
            ResourceStatus status = nextStatus(resource, wanted, observedGeneration);
            if (status.equals(resource.getStatus())) {
                return Outcome.UNCHANGED;
            }
            resource.setStatus(status);
            betweenReadAndWrite.accept(key);
            try {
                client.resource(resource).updateStatus();
                return Outcome.WRITTEN;
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    return Outcome.GONE;
                }
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                lastConflict = e;
            }
        }
        throw new KubernetesClientException("status of " + key + " still conflicted after " + ATTEMPTS
                + " attempts: another writer keeps changing it", lastConflict);
    }

    @SuppressWarnings("unchecked")
    private CustomResource<?, ResourceStatus> read(ResourceKey key) {
        var resources = client.resources(ResourceTypes.of(key.kind()));
        var resource = key.kind().clusterScoped()
                ? resources.withName(key.name()).get()
                : resources.inNamespace(key.namespace()).withName(key.name()).get();
        return (CustomResource<?, ResourceStatus>) resource;
    }

    /** The read status with the conditions and observedGeneration replaced; a new object, the read one is compared against. */
    private ResourceStatus nextStatus(CustomResource<?, ResourceStatus> resource,
            List<io.fabric8.kubernetes.api.model.Condition> conditions, long observedGeneration) {
        ResourceStatus current = resource.getStatus();
        ResourceStatus next = client.getKubernetesSerialization().clone(
                current != null ? current : emptyStatus(resource));
        next.setConditions(new java.util.ArrayList<>(conditions));
        next.setObservedGeneration(observedGeneration);
        return next;
    }

    /** A fresh status of the resource's own status class (a DPUVPC's has more than conditions). */
    private ResourceStatus emptyStatus(CustomResource<?, ResourceStatus> resource) {
        return client.getKubernetesSerialization().unmarshal("{}", statusClass(resource));
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends ResourceStatus> statusClass(CustomResource<?, ResourceStatus> resource) {
        var parameterized = (java.lang.reflect.ParameterizedType) resource.getClass().getGenericSuperclass();
        return (Class<? extends ResourceStatus>) parameterized.getActualTypeArguments()[1];
    }

    /** Kubernetes keeps lastTransitionTime as RFC 3339 with second precision. */
    static io.fabric8.kubernetes.api.model.Condition kubernetesCondition(Condition c) {
        return new ConditionBuilder()
                .withType(c.type())
                .withStatus(c.status().text())
                .withReason(c.reason())
                .withMessage(c.message())
                .withObservedGeneration(c.observedGeneration())
                .withLastTransitionTime(DateTimeFormatter.ISO_INSTANT.format(
                        c.lastTransitionTime().truncatedTo(ChronoUnit.SECONDS)))
                .build();
    }
}
