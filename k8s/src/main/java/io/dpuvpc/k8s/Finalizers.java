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
        edit(client, key, true);
    }

    /** Removes ours, letting Kubernetes delete the object; nothing when it is already gone. */
    public static void remove(KubernetesClient client, ResourceKey key) {
        edit(client, key, false);
    }

    private static void edit(KubernetesClient client, ResourceKey key, boolean add) {
        var resources = client.resources(ResourceTypes.of(key.kind()));
        var named = key.kind().clusterScoped() ? resources.withName(key.name())
                : resources.inNamespace(key.namespace()).withName(key.name());
        try {
            // edit() reads the latest object and sends a JSON patch of the change, so it cannot
            // undo a concurrent change to anything else.
            named.edit(r -> {
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
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
        }
    }
}
