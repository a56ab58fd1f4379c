package io.dpuvpc.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.k8s.crd.ServiceInterface;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two clusters, as {@code --kubeconfig} and {@code --dpu-kubeconfig} give them: the host kinds are
 * read from the host cluster, ServiceInterfaces and Nodes from the DPU cluster, and what the
 * controller writes lands in the cluster that holds the object (two mock API servers, CRUD mode).
 */
@EnableKubernetesMockClient(crud = true)
class TwoClustersIT {
    static final Duration PATIENCE = Duration.ofSeconds(10);

    KubernetesClient host;
    KubernetesMockServer dpuServer;
    KubernetesClient dpu;
    RecordingSink sink = new RecordingSink();
    GenerationLedger ledger = new GenerationLedger();
    Map<ResourceKey, StatusSource.Observed> entities = new ConcurrentHashMap<>();
    ResourceInformers informers;
    StatusPublisher publisher;

    @BeforeEach
    void start() {
        dpuServer = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesMixedDispatcher(new HashMap<>()), false);
        dpuServer.init();
        dpu = dpuServer.createClient();
        CrdRegistration.register(host);
        CrdRegistration.register(dpu);
        informers = new ResourceInformers(new Clusters(host, dpu), sink, ledger, 0);
        informers.start();
        publisher = new StatusPublisher(informers, key -> CompletableFuture.completedFuture(Optional.ofNullable(entities.get(key))),
                ledger, new StatusPublisher.Settings(Duration.ofMillis(50), Duration.ofSeconds(10), 1000), Clock.systemUTC());
        publisher.start();
    }

    @AfterEach
    void stop() {
        publisher.close();
        informers.close();
        dpu.close();
        dpuServer.destroy();
    }

    @Test
    void eachKindIsReadFromAndWrittenToItsOwnCluster() {
        List<HasMetadata> example = ExampleResources.file("01-single-vpc-single-network.yaml");
        HasMetadata dsi = example.get(example.size() - 1);
        host.resource(dsi).create();
        ResourceKey dsiKey = ResourceKey.namespaced(ResourceKind.DPU_SERVICE_INTERFACE, "default", "testnet1-vf2");
        await().atMost(PATIENCE).until(() -> ledger.kubernetesGeneration(dsiKey, 101).isPresent());
        Conditions ready = StatusPublisherIT.ready(ResourceKind.DPU_SERVICE_INTERFACE, 101);
        entities.put(dsiKey, new StatusSource.Observed(101, ready, null, null,
                List.of(new StatusSource.Child("dpu-1", "testnet1-vf2-dpu-1"))));

        // The DPUServiceInterface's ServiceInterface goes to the DPU cluster, not the host's.
        await().atMost(PATIENCE).until(() -> dpu.resources(ServiceInterface.class).inNamespace("default")
                .withName("testnet1-vf2-dpu-1").get() != null);
        assertThat(host.resources(ServiceInterface.class).inAnyNamespace().list().getItems()).isEmpty();

        // Its status is written there too.
        ResourceKey child = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "default", "testnet1-vf2-dpu-1");
        entities.put(child, StatusSource.Observed.of(3, StatusPublisherIT.ready(ResourceKind.SERVICE_INTERFACE, 3)));
        await().atMost(PATIENCE).until(() -> {
            ServiceInterface si = dpu.resources(ServiceInterface.class).inNamespace("default").withName("testnet1-vf2-dpu-1").get();
            return si.getStatus() != null && si.getStatus().getConditions().stream()
                    .anyMatch(c -> c.getType().equals(ConditionTypes.READY) && c.getStatus().equals("True"));
        });

        // Nodes count in the DPU cluster only.
        host.nodes().resource(new NodeBuilder().withNewMetadata().withName("host-node").endMetadata().build()).create();
        dpu.nodes().resource(new NodeBuilder().withNewMetadata().withName("dpu-1").withLabels(Map.of("tenant", "red"))
                .endMetadata().build()).create();
        await().atMost(PATIENCE).until(() -> sink.calls.contains(new RecordingSink.Labels("dpu-1", Map.of("tenant", "red"))));
        assertThat(sink.calls).noneMatch(c -> c instanceof RecordingSink.Labels l && l.node().equals("host-node"));
    }
}
