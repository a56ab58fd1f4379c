package io.dpuvpc.k8s;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.k8s.crd.DpuServiceInterface;
import io.dpuvpc.k8s.crd.ServiceInterface;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the DPU cluster's ServiceInterface objects of each DPUServiceInterface equal to the
 * children its entity placed: creates the missing, updates the changed, deletes the ones whose
 * node no longer matches and those whose owner is gone. Blocking: the status publisher's thread.
 */
final class ServiceInterfaceMirror {
    private static final Logger log = LoggerFactory.getLogger(ServiceInterfaceMirror.class);

    private final KubernetesClient dpu;
    /** Objects whose write failed and was logged: said once, not at every pass, until it works. */
    private final Set<ResourceKey> failing = new HashSet<>();

    ServiceInterfaceMirror(KubernetesClient dpu) {
        this.dpu = dpu;
    }

    /** What one pass did, for the log and the tests. */
    record Changes(int created, int updated, int deleted) {
        boolean none() {
            return created + updated + deleted == 0;
        }
    }

    /**
     * {@code owners}: each DPUServiceInterface present with the children its entity reports (null:
     * not known this pass, leave its objects alone). {@code existing}: the ServiceInterfaces the
     * DPU cluster's informer holds.
     */
    Changes reconcile(Map<DpuServiceInterface, List<StatusSource.Child>> owners, List<HasMetadata> existing) {
        Map<ResourceKey, ServiceInterface> owned = new HashMap<>();
        for (HasMetadata r : existing) {
            if (OwnedServiceInterfaces.owner(r).isPresent() && !Finalizers.deleting(r)) {
                owned.put(ResourceInformers.key(ResourceKind.SERVICE_INTERFACE, r), (ServiceInterface) r);
            }
        }
        Set<ResourceKey> ownersPresent = new HashSet<>();
        Set<ResourceKey> wanted = new HashSet<>();
        Set<ResourceKey> ownersUnknown = new HashSet<>();
        int created = 0;
        int updated = 0;
        for (var entry : owners.entrySet()) {
            DpuServiceInterface owner = entry.getKey();
            ResourceKey ownerKey = ResourceInformers.key(ResourceKind.DPU_SERVICE_INTERFACE, owner);
            ownersPresent.add(ownerKey);
            if (entry.getValue() == null) {
                ownersUnknown.add(ownerKey);
                continue;
            }
            for (StatusSource.Child child : entry.getValue()) {
                ServiceInterface desired = OwnedServiceInterfaces.desired(owner, child.node(), child.name());
                ResourceKey key = ResourceInformers.key(ResourceKind.SERVICE_INTERFACE, desired);
                wanted.add(key);
                ServiceInterface current = owned.get(key);
                try {
                    if (current == null) {
                        dpu.resource(desired).create();
                        failing.remove(key);
                        created++;
                    } else if (!same(current, desired)) {
                        dpu.resources(ServiceInterface.class).inNamespace(key.namespace()).withName(key.name())
                                .edit(si -> {
                                    si.setSpec(desired.getSpec());
                                    Map<String, String> labels = new HashMap<>(desired.getMetadata().getLabels());
                                    si.getMetadata().setLabels(labels);
                                    Map<String, String> annotations = new HashMap<>(written(si));
                                    if (desired.getMetadata().getAnnotations() != null) {
                                        annotations.putAll(desired.getMetadata().getAnnotations());
                                    }
                                    si.getMetadata().setAnnotations(annotations);
                                    return si;
                                });
                        updated++;
                    }
                } catch (KubernetesClientException e) {
                    // A missing namespace in the DPU cluster fails every pass: said once.
                    if (e.getCode() != HttpURLConnection.HTTP_CONFLICT && failing.add(key)) {
                        log.warn("Could not write ServiceInterface {} of {} in the DPU cluster (tried again at every "
                                + "pass; said once): {}", key, ownerKey, e.getMessage());
                    }
                }
            }
        }
        int deleted = 0;
        for (var entry : owned.entrySet()) {
            ResourceKey ownerKey = OwnedServiceInterfaces.owner(entry.getValue()).orElseThrow();
            boolean ownerGone = !ownersPresent.contains(ownerKey);
            boolean unwanted = ownersPresent.contains(ownerKey) && !ownersUnknown.contains(ownerKey)
                    && !wanted.contains(entry.getKey());
            if (ownerGone || unwanted) {
                try {
                    dpu.resource(entry.getValue()).delete();
                    deleted++;
                } catch (KubernetesClientException e) {
                    log.warn("Could not delete ServiceInterface {}: {}", entry.getKey(), e.getMessage());
                }
            }
        }
        return new Changes(created, updated, deleted);
    }

    private static boolean same(ServiceInterface current, ServiceInterface desired) {
        Map<String, String> wantedAnnotations = desired.getMetadata().getAnnotations() == null ? Map.of()
                : desired.getMetadata().getAnnotations();
        Map<String, String> annotations = current.getMetadata().getAnnotations() == null ? Map.of()
                : current.getMetadata().getAnnotations();
        return Objects.equals(current.getSpec(), desired.getSpec())
                && Objects.equals(current.getMetadata().getLabels(), desired.getMetadata().getLabels())
                && wantedAnnotations.entrySet().stream().allMatch(e -> e.getValue().equals(annotations.get(e.getKey())));
    }

    /** The annotations the controller writes back, which an update of the template keeps. */
    private static Map<String, String> written(ServiceInterface si) {
        Map<String, String> annotations = si.getMetadata().getAnnotations() == null ? Map.of()
                : si.getMetadata().getAnnotations();
        Map<String, String> kept = new HashMap<>(annotations);
        kept.keySet().retainAll(Set.of(io.dpuvpc.actors.model.Annotations.LSP_CONNECTED,
                io.dpuvpc.actors.model.Annotations.LSP_MAC_ADDRESS));
        return kept;
    }
}
