package io.dpuvpc.k8s;

import io.dpuvpc.actors.model.ResourceKind;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Objects;

/**
 * The two clusters the product is driven from, as the reference has them: the host cluster holds
 * IsolationClasses, DPUVPCs, DPUVirtualNetworks and DPUServiceInterfaces; the DPU cluster holds
 * ServiceInterfaces and the DPUs' Nodes. One cluster may serve both ({@link #single}).
 */
public record Clusters(KubernetesClient host, KubernetesClient dpu) {
    public Clusters {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dpu, "dpu");
    }

    public static Clusters single(KubernetesClient client) {
        return new Clusters(client, client);
    }

    /** The cluster that holds resources of {@code kind}. */
    public KubernetesClient of(ResourceKind kind) {
        return kind == ResourceKind.SERVICE_INTERFACE || kind == ResourceKind.DPU_NODE ? dpu : host;
    }

    public boolean shared() {
        return host == dpu;
    }
}
