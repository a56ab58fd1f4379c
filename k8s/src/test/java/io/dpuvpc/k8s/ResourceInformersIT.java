package io.dpuvpc.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dpuvpc.actors.model.Annotations;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import io.dpuvpc.actors.validation.DpuVirtualNetworkValidator;
import io.dpuvpc.actors.validation.FieldError;
import io.dpuvpc.k8s.RecordingSink.Applied;
import io.dpuvpc.k8s.RecordingSink.Deleted;
import io.dpuvpc.k8s.crd.DpuVpc;
import io.dpuvpc.k8s.crd.ServiceInterface;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Objects created, changed and deleted in a mock API server (CRUD mode) reach the sink in domain terms. */
@EnableKubernetesMockClient(crud = true)
class ResourceInformersIT {
    static final Duration PATIENCE = Duration.ofSeconds(10);
    static final ResourceKey VPC = ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "testvpc");

    KubernetesClient client;
    RecordingSink sink = new RecordingSink();
    GenerationLedger ledger = new GenerationLedger();
    ResourceInformers informers;

    @BeforeEach
    void start() {
        CrdRegistration.register(client);
        informers = new ResourceInformers(Clusters.single(client), sink, ledger, 0);
        informers.start();
        assertThat(informers.hasSynced()).isTrue();
    }

    @AfterEach
    void stop() {
        informers.close();
    }

    @Test
    void createdObjectsArriveWithTheirDomainSpecAndGeneration() {
        List<HasMetadata> resources = new java.util.ArrayList<>(ExampleResources.file("00-isolationclass.yaml"));
        resources.addAll(ExampleResources.file("01-single-vpc-single-network.yaml"));
        resources.forEach(r -> client.resource(r).create());

        for (HasMetadata resource : resources) {
            ResourceKind kind = DomainSpecs.kindOf(resource);
            ResourceKey key = new ResourceKey(kind, kind.clusterScoped() ? "" : "default",
                    resource.getMetadata().getName());
            await().atMost(PATIENCE).until(() -> !sink.of(key).isEmpty());
            assertThat(sink.of(key)).containsExactly(new Applied(key, DomainSpecs.of(resource)));
            // The entity's generation (the sink counts from 100) stands for the object's first.
            await().atMost(PATIENCE).until(() -> ledger.kubernetesGeneration(key, 200).isPresent());
            assertThat(ledger.kubernetesGeneration(key, 200)).hasValue(1);
        }
    }

    @Test
    void everyObjectGetsTheCleanupFinalizer() {
        DpuVpc vpc = (DpuVpc) ExampleResources.file("01-single-vpc-single-network.yaml").get(0);
        client.resource(vpc).create();

        await().atMost(PATIENCE).until(() -> Finalizers.has(
                client.resources(DpuVpc.class).inNamespace("default").withName("testvpc").get()));
        // Adding the finalizer is an update of the object, not a change of its spec: applied once.
        assertThat(sink.of(VPC)).hasSize(1);
    }

    @Test
    void anObjectThatLostTheFinalizerGetsItBackAtItsNextUpdate() {
        DpuVpc vpc = (DpuVpc) ExampleResources.file("01-single-vpc-single-network.yaml").get(0);
        client.resource(vpc).create();
        var named = client.resources(DpuVpc.class).inNamespace("default").withName("testvpc");
        await().atMost(PATIENCE).until(() -> Finalizers.has(named.get()));

        // As if the first write had failed (or someone took it off): a delete now would not wait.
        named.edit(v -> {
            v.getMetadata().setFinalizers(List.of());
            return v;
        });

        await().atMost(PATIENCE).until(() -> Finalizers.has(named.get()));
        // Delivered again for that, with the same spec (the entity finds nothing to write).
        assertThat(sink.of(VPC)).hasSizeGreaterThanOrEqualTo(2).allMatch(call -> call.equals(sink.of(VPC).get(0)));
    }

    @Test
    void nodeLabelsArriveAndChangesFollow() {
        client.nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName("dpu-1")
                .withLabels(Map.of("tenant", "red")).endMetadata().build()).create();
        await().atMost(PATIENCE).until(() -> sink.calls.contains(new RecordingSink.Labels("dpu-1", Map.of("tenant", "red"))));

        client.nodes().withName("dpu-1").edit(n -> {
            n.getMetadata().setLabels(Map.of("tenant", "blue"));
            return n;
        });
        await().atMost(PATIENCE).until(() -> sink.calls.contains(new RecordingSink.Labels("dpu-1", Map.of("tenant", "blue"))));
    }

    @Test
    void aSpecChangeArrivesWithTheNextGenerationAndAStatusWriteDoesNot() {
        DpuVpc vpc = (DpuVpc) ExampleResources.file("01-single-vpc-single-network.yaml").get(0);
        client.resource(vpc).create();
        await().atMost(PATIENCE).until(() -> sink.of(VPC).size() == 1);

        DpuVpc withStatus = client.resources(DpuVpc.class).inNamespace("default").withName("testvpc").get();
        DpuVpc.Status status = new DpuVpc.Status();
        status.setObservedGeneration(1L);
        status.getConditions().add(new ConditionBuilder().withType("Ready").withStatus("True")
                .withReason("Success").withMessage("").withObservedGeneration(1L)
                .withLastTransitionTime("2026-01-01T00:00:00Z").build());
        withStatus.setStatus(status);
        client.resource(withStatus).updateStatus();

        client.resources(DpuVpc.class).inNamespace("default").withName("testvpc").edit(v -> {
            v.setSpec(new DpuVpc.Spec(v.getSpec().tenant(), v.getSpec().isolationClassName(), false,
                    v.getSpec().nodeSelector()));
            return v;
        });

        await().atMost(PATIENCE).until(() -> sink.of(VPC).size() >= 2);
        var expected = new DpuVpcSpec("foo", "ovn.vpc.dpu.nvidia.com", false, null);
        assertThat(sink.of(VPC)).hasSize(2).last().isEqualTo(new Applied(VPC, expected));
        await().atMost(PATIENCE).until(() -> ledger.kubernetesGeneration(VPC, 102).orElse(0) == 2);
        assertThat(ledger.kubernetesGeneration(VPC, 101)).hasValue(1);
    }

    @Test
    void anAnnotationChangeOfAServiceInterfaceArrivesThoughTheGenerationStays() {
        HasMetadata serviceInterface = ExampleResources.read("""
                apiVersion: svc.dpu.nvidia.com/v1alpha1
                kind: ServiceInterface
                metadata: {name: dpu-1-vf2, namespace: default}
                spec: {node: dpu-1, interfaceType: vf, vf: {pfID: 0, vfID: 2}, virtualNetwork: testnet1}
                """).get(0);
        client.resource(serviceInterface).create();
        ResourceKey key = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "default", "dpu-1-vf2");
        await().atMost(PATIENCE).until(() -> sink.of(key).size() == 1);

        client.resources(ServiceInterface.class).inNamespace("default").withName("dpu-1-vf2").edit(si -> {
            si.getMetadata().setAnnotations(Map.of(Annotations.UNKNOWN_MAC, "true"));
            return si;
        });

        await().atMost(PATIENCE).until(() -> sink.of(key).size() == 2);
        assertThat(sink.of(key).get(1)).isInstanceOfSatisfying(Applied.class, applied ->
                assertThat(((ServiceInterfaceTemplate) applied.spec()).unknownMac()).isTrue());
        // Both entity generations stand for the object's generation 1, which the annotation did not bump.
        await().atMost(PATIENCE).until(() -> ledger.kubernetesGeneration(key, 102).isPresent());
        assertThat(ledger.kubernetesGeneration(key, 102)).hasValue(1);

        // The annotations the controller writes back are output: they do not come back as a change.
        client.resources(ServiceInterface.class).inNamespace("default").withName("dpu-1-vf2").edit(si -> {
            si.getMetadata().setAnnotations(Map.of(Annotations.UNKNOWN_MAC, "true", Annotations.LSP_CONNECTED, "true",
                    Annotations.LSP_MAC_ADDRESS, "02:00:00:00:00:01"));
            return si;
        });
        client.resources(ServiceInterface.class).inNamespace("default").withName("dpu-1-vf2").edit(si -> {
            si.getMetadata().getLabels().put("marker", "after");
            return si;
        });
        await().atMost(PATIENCE).until(() -> sink.of(key).size() == 3);
        assertThat(((ServiceInterfaceTemplate) ((Applied) sink.of(key).get(2)).spec()).metadata().annotations())
                .containsOnlyKeys(Annotations.UNKNOWN_MAC);
    }

    @Test
    void aDeletedObjectArrivesAsADelete() {
        DpuVpc vpc = (DpuVpc) ExampleResources.file("01-single-vpc-single-network.yaml").get(0);
        client.resource(vpc).create();
        await().atMost(PATIENCE).until(() -> sink.of(VPC).size() == 1);

        await().atMost(PATIENCE).until(() -> Finalizers.has(
                client.resources(DpuVpc.class).inNamespace("default").withName("testvpc").get()));

        client.resource(vpc).delete();

        await().atMost(PATIENCE).until(() -> sink.of(VPC).size() == 2);
        assertThat(sink.of(VPC).get(1)).isEqualTo(new Deleted(VPC));
        // The sink's delete completed: the finalizer is removed and the object goes.
        await().atMost(PATIENCE).until(() ->
                client.resources(DpuVpc.class).inNamespace("default").withName("testvpc").get() == null);
        assertThat(sink.of(VPC)).hasSize(2);
    }

    @Test
    void aSemanticallyInvalidObjectArrivesAsARejectionNamingTheField() {
        HasMetadata network = ExampleResources.minimalNetwork("badnet", "192.178.7.1/16");
        client.resource(network).create();

        ResourceKey key = ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, "default", "badnet");
        await().atMost(PATIENCE).until(() -> ledger.rejection(key, 1).isPresent());
        assertThat(ledger.rejection(key, 1).orElseThrow().errors()).extracting(FieldError::fieldPath)
                .containsExactly(DpuVirtualNetworkValidator.SUBNET_PATH);
        // Never sent to the entity.
        assertThat(sink.of(key)).isEmpty();
    }

    @Test
    void aFailingSinkDoesNotStopTheInformer() {
        informers.close();
        var failing = new RecordingSink() {
            @Override
            public java.util.concurrent.CompletionStage<Outcome> apply(ResourceKey key, Object spec) {
                var outcome = super.apply(key, spec);
                if (key.name().equals("first")) {
                    throw new IllegalStateException("sink down");
                }
                return outcome;
            }
        };
        informers = new ResourceInformers(Clusters.single(client), failing, ledger, 0);
        informers.start();
        DpuVpc vpc = (DpuVpc) ExampleResources.file("01-single-vpc-single-network.yaml").get(0);
        vpc.getMetadata().setName("first");
        client.resource(vpc).create();
        vpc.getMetadata().setName("second");
        vpc.getMetadata().setResourceVersion(null);
        client.resource(vpc).create();

        await().atMost(PATIENCE).until(() -> failing.calls.size() == 2);
        assertThat(failing.calls).extracting(c -> ((Applied) c).key().name()).containsExactly("first", "second");
    }

}
