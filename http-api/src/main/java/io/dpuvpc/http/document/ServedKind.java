package io.dpuvpc.http.document;

import io.dpuvpc.actors.model.DpuServiceInterfaceSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;

/**
 * A kind the admin API serves, with the names Kubernetes gives it: API group and version, the
 * plural (the URL path segment, e.g. {@code dpuvpcs}) and the singular (lower-case kind).
 */
public record ServedKind(ResourceKind kind, String group, String version, String plural, String singular) {

    /** The Kubernetes {@code kind}, e.g. {@code DPUVPC}. */
    public String kindName() {
        return kind.kindName();
    }

    /** {@code group/version}, e.g. {@code vpc.dpu.nvidia.com/v1alpha1}. */
    public String apiVersion() {
        return group + "/" + version;
    }

    public boolean namespaced() {
        return !kind.clusterScoped();
    }

    /** The kind of a list of these, e.g. {@code DPUVPCList}. */
    public String listKind() {
        return kindName() + "List";
    }

    /**
     * The record a document's spec becomes. A ServiceInterface's is its {@link
     * ServiceInterfaceTemplate}: the entity and validator take the spec together with the
     * metadata, because the unknown-mac annotation is part of what it asks for.
     */
    public Class<?> specType() {
        return switch (kind) {
            case ISOLATION_CLASS -> IsolationClassSpec.class;
            case DPU_VPC -> DpuVpcSpec.class;
            case DPU_VIRTUAL_NETWORK -> DpuVirtualNetworkSpec.class;
            case DPU_SERVICE_INTERFACE -> DpuServiceInterfaceSpec.class;
            case SERVICE_INTERFACE -> ServiceInterfaceTemplate.class;
            case DPU_NODE -> throw new IllegalStateException("DPUNode is not served as a document");
        };
    }
}
