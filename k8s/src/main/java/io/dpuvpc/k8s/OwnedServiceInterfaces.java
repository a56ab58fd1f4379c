package io.dpuvpc.k8s;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.k8s.crd.DpuServiceInterface;
import io.dpuvpc.k8s.crd.InterfaceSpec;
import io.dpuvpc.k8s.crd.ServiceInterface;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ServiceInterface objects a DPUServiceInterface owns in the DPU cluster, one per node its
 * entity placed a child on, named as the entity names them. They are labelled with their owner:
 * the two clusters may differ, so an ownerReference (same-cluster only) cannot be used, and the
 * labels are what {@code kubectl get si -l} selects on.
 *
 * <p>The DPUServiceInterface's entity drives its children directly; these objects show them to
 * Kubernetes users (status, annotations). The informers therefore never apply an owned object.
 */
public final class OwnedServiceInterfaces {
    public static final String OWNER_NAME = "svc.dpu.nvidia.com/dpuserviceinterface";
    public static final String OWNER_NAMESPACE = "svc.dpu.nvidia.com/dpuserviceinterface-namespace";

    private OwnedServiceInterfaces() {}

    /** The DPUServiceInterface that owns {@code resource}, when it is an owned ServiceInterface. */
    public static Optional<ResourceKey> owner(HasMetadata resource) {
        Map<String, String> labels = resource.getMetadata().getLabels();
        if (!(resource instanceof ServiceInterface) || labels == null || !labels.containsKey(OWNER_NAME)) {
            return Optional.empty();
        }
        return Optional.of(ResourceKey.namespaced(ResourceKind.DPU_SERVICE_INTERFACE,
                labels.getOrDefault(OWNER_NAMESPACE, resource.getMetadata().getNamespace()), labels.get(OWNER_NAME)));
    }

    /**
     * The object for the child {@code name} on {@code node} of {@code owner}: the template's labels
     * (plus the owner's), annotations and spec, with the node set.
     */
    public static ServiceInterface desired(DpuServiceInterface owner, String node, String name) {
        ServiceInterface si = new ServiceInterface();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        meta.setNamespace(owner.getMetadata().getNamespace());
        var template = owner.getSpec() == null || owner.getSpec().template() == null
                || owner.getSpec().template().spec() == null ? null : owner.getSpec().template().spec().template();
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> annotations = new LinkedHashMap<>();
        if (template != null && template.metadata() != null) {
            if (template.metadata().labels() != null) {
                labels.putAll(template.metadata().labels());
            }
            if (template.metadata().annotations() != null) {
                annotations.putAll(template.metadata().annotations());
            }
        }
        labels.put(OWNER_NAME, owner.getMetadata().getName());
        labels.put(OWNER_NAMESPACE, owner.getMetadata().getNamespace());
        meta.setLabels(labels);
        meta.setAnnotations(annotations.isEmpty() ? null : annotations);
        si.setMetadata(meta);
        InterfaceSpec spec = template == null ? null : template.spec();
        si.setSpec(spec == null ? null : new InterfaceSpec(node, spec.interfaceType(), spec.pf(), spec.vf(),
                spec.service(), spec.virtualNetwork()));
        return si;
    }
}
