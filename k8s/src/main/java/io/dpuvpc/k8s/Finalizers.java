package io.dpuvpc.k8s;

import io.dpuvpc.actors.model.ResourceKey;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;

/**
 * The finalizer that holds a deleted object until its OVN rows are gone: Kubernetes only sets
 * {@code deletionTimestamp} while an object carries finalizers, and deletes it once the last is
 * removed. Blocking calls: run them on a thread of their own.
 */
public final class Finalizers {
    /** Ours, in the reference's API group. */
    public static final String OVN_CLEANUP = "vpc.dpu.nvidia.com/ovn-cleanup";

    private Finalizers() {}

    public static boolean has(HasMetadata resource) {
        List<String> finalizers = resource.getMetadata().getFinalizers();
        return finalizers != null && finalizers.contains(OVN_CLEANUP);
    }

    public static boolean deleting(HasMetadata resource) {
        return resource.getMetadata().getDeletionTimestamp() != null;
    }

    /** Adds ours to the object named by {@code key}; nothing when it is gone or being deleted. */
    public static void add(KubernetesClient client, ResourceKey key) {
        edit(client, key, true, () -> { });
    }

    /** Removes ours, letting Kubernetes delete the object; nothing when it is already gone. */
    public static void remove(KubernetesClient client, ResourceKey key) {
        edit(client, key, false, () -> { });
    }

    /**
     * Writes that met another write to the same object (HTTP 409: the status writer's, a user's
     * label) are tried again on a fresh read, this many times in all. Seen in CI (KubernetesE2E,
     * 2026-11-29): one conflicted removal left a deleted network held by its finalizer.
     */
    static final int CONFLICT_TRIES = 5;

    /** {@code afterRead} runs between the read and the patch of each try: a test's concurrent write. */
    static void edit(KubernetesClient client, ResourceKey key, boolean add, Runnable afterRead) {
        var resources = client.resources(ResourceTypes.of(key.kind()));
        var named = key.kind().clusterScoped() ? resources.withName(key.name())
                : resources.inNamespace(key.namespace()).withName(key.name());
        for (int attempt = 1; ; attempt++) {
            try {
                // edit() reads the latest object and sends a JSON patch of the change, so it cannot
                // undo a concurrent change to anything else; the patch carries the resourceVersion
                // it read, so a write in between is refused with 409, and the loop reads again.
                named.edit(r -> {
                    afterRead.run();
                    List<String> finalizers = new ArrayList<>(r.getMetadata().getFinalizers() == null
                            ? List.of() : r.getMetadata().getFinalizers());
                    boolean present = finalizers.contains(OVN_CLEANUP);
                    if (add && !present && !deleting(r)) {
                        finalizers.add(OVN_CLEANUP);
                    } else if (!add && present) {
                        finalizers.remove(OVN_CLEANUP);
                    }
                    r.getMetadata().setFinalizers(finalizers);
                    return r;
                });
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    return;
                }
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= CONFLICT_TRIES) {
                    throw e;
                }
            }
        }
    }
}
