package io.dpuvpc.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.k8s.crd.DpuServiceInterface;
import io.dpuvpc.k8s.crd.DpuVirtualNetwork;
import io.dpuvpc.k8s.crd.DpuVpc;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Deletion as a real cluster does it: a finalizer holds an object (deletionTimestamp set) until it
 * is removed, and deleting a namespace deletes what is in it, which takes kube-controller-manager's
 * namespace controller. The fabric8 mock deletes at once and cascades nothing.
 */
class DeletionIT {
    @RegisterExtension
    static final KubeApiServerExtension KUBE = new KubeApiServerExtension();

    static final String FINALIZER = "vpc.dpu.nvidia.com/test-hold";

    @BeforeAll
    static void crds() {
        KUBE.registerCrds();
    }

    @Test
    void aFinalizerHoldsTheObjectUntilItIsRemoved() {
        KubernetesClient client = KUBE.client();
        DpuVpc vpc = exampleVpc("default", "held");
        vpc.getMetadata().setFinalizers(List.of(FINALIZER));
        client.resource(vpc).create();

        client.resources(DpuVpc.class).inNamespace("default").withName("held").delete();

        DpuVpc terminating = client.resources(DpuVpc.class).inNamespace("default").withName("held").get();
        assertThat(terminating).as("still there while the finalizer is").isNotNull();
        assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotBlank();
        assertThat(terminating.getMetadata().getFinalizers()).containsExactly(FINALIZER);
        assertThat(KUBE.kubectl("get", "dvpc", "held", "-o", "name").orThrow().stdout())
                .contains("dpuvpc.vpc.dpu.nvidia.com/held");

        client.resources(DpuVpc.class).inNamespace("default").withName("held").edit(v -> {
            v.getMetadata().setFinalizers(List.of());
            return v;
        });

        await().atMost(Duration.ofSeconds(10)).until(() ->
                client.resources(DpuVpc.class).inNamespace("default").withName("held").get() == null);
    }

    @Test
    void ourFinalizerIsRemovedEvenWhenAnotherWriteComesBetweenItsReadAndItsPatch() {
        KubernetesClient client = KUBE.client();
        DpuVpc vpc = exampleVpc("default", "contended");
        vpc.getMetadata().setFinalizers(List.of(Finalizers.OVN_CLEANUP));
        client.resource(vpc).create();
        client.resources(DpuVpc.class).inNamespace("default").withName("contended").delete();
        AtomicInteger reads = new AtomicInteger();

        // The first try's patch meets a label written after its read, as the status writer's
        // write did in CI: the API server refuses it with 409, and the removal reads again.
        Finalizers.edit(client, new ResourceKey(ResourceKind.DPU_VPC, "default", "contended"), false, () -> {
            if (reads.incrementAndGet() == 1) {
                client.resources(DpuVpc.class).inNamespace("default").withName("contended").edit(v -> {
                    v.getMetadata().setLabels(Map.of("touched", "between"));
                    return v;
                });
            }
        });

        assertThat(reads).as("reads: the conflicted one and the one that went through").hasValue(2);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                client.resources(DpuVpc.class).inNamespace("default").withName("contended").get() == null);
    }

    @Test
    void deletingANamespaceDeletesItsResources() {
        KubernetesClient client = KUBE.client();
        String ns = "tenant-red";
        client.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        for (HasMetadata resource : ExampleResources.file("01-single-vpc-single-network.yaml")) {
            resource.getMetadata().setNamespace(ns);
            client.resource(resource).create();
        }
        assertThat(client.resources(DpuVpc.class).inNamespace(ns).list().getItems()).hasSize(1);
        assertThat(client.resources(DpuVirtualNetwork.class).inNamespace(ns).list().getItems()).hasSize(1);
        assertThat(client.resources(DpuServiceInterface.class).inNamespace(ns).list().getItems()).hasSize(1);
        // An object elsewhere is left alone.
        client.resource(exampleVpc("default", "bystander")).create();

        long started = System.nanoTime();
        client.namespaces().withName(ns).delete();
        Namespace terminating = client.namespaces().withName(ns).get();
        assertThat(terminating.getStatus().getPhase()).isEqualTo("Terminating");

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.namespaces().withName(ns).get() == null);
        System.out.printf("DeletionIT: namespace %s and its resources deleted in %d ms%n",
                ns, Duration.ofNanos(System.nanoTime() - started).toMillis());

        assertThat(client.resources(DpuVpc.class).inNamespace(ns).list().getItems()).isEmpty();
        assertThat(client.resources(DpuVirtualNetwork.class).inNamespace(ns).list().getItems()).isEmpty();
        assertThat(client.resources(DpuServiceInterface.class).inNamespace(ns).list().getItems()).isEmpty();
        assertThat(client.resources(DpuVpc.class).inNamespace("default").withName("bystander").get()).isNotNull();
    }

    private static DpuVpc exampleVpc(String namespace, String name) {
        DpuVpc vpc = (DpuVpc) ExampleResources.file("01-single-vpc-single-network.yaml").get(0);
        vpc.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        return vpc;
    }
}
