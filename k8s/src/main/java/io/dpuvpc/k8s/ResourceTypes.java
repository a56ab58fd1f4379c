package io.dpuvpc.k8s;

import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.k8s.crd.DpuServiceInterface;
import io.dpuvpc.k8s.crd.DpuVirtualNetwork;
import io.dpuvpc.k8s.crd.DpuVpc;
import io.dpuvpc.k8s.crd.IsolationClass;
import io.dpuvpc.k8s.crd.ServiceInterface;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.List;

/** The fabric8 class of each domain kind that Kubernetes serves (all but DPUNode, which has none). */
public final class ResourceTypes {
    private ResourceTypes() {}

    /** The kinds with a CRD, in the order they are registered and applied: referenced kinds first. */
    public static final List<ResourceKind> SERVED = List.of(
            ResourceKind.ISOLATION_CLASS, ResourceKind.DPU_VPC, ResourceKind.DPU_VIRTUAL_NETWORK,
            ResourceKind.DPU_SERVICE_INTERFACE, ResourceKind.SERVICE_INTERFACE);

    public static Class<? extends CustomResource<?, ?>> of(ResourceKind kind) {
        return switch (kind) {
            case ISOLATION_CLASS -> IsolationClass.class;
            case DPU_VPC -> DpuVpc.class;
            case DPU_VIRTUAL_NETWORK -> DpuVirtualNetwork.class;
            case DPU_SERVICE_INTERFACE -> DpuServiceInterface.class;
            case SERVICE_INTERFACE -> ServiceInterface.class;
            case DPU_NODE -> throw new IllegalArgumentException("DPUNode has no Kubernetes resource");
        };
    }
}
