package io.dpuvpc.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.model.Annotations;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.k8s.crd.DpuServiceInterface;
import io.dpuvpc.k8s.crd.DpuVirtualNetwork;
import io.dpuvpc.k8s.crd.DpuVpc;
import io.dpuvpc.k8s.crd.ServiceInterface;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The status publisher against a mock API server (CRUD mode) and a scripted status source: what it
 * writes to /status, annotations, events and the DPU cluster's ServiceInterfaces.
 */
@EnableKubernetesMockClient(crud = true)
class StatusPublisherIT {
    static final Duration PATIENCE = Duration.ofSeconds(10);
    static final ResourceKey VPC = ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "testvpc");
    static final ResourceKey DSI = ResourceKey.namespaced(ResourceKind.DPU_SERVICE_INTERFACE, "default", "testnet1-vf2");

    KubernetesClient client;
    RecordingSink sink = new RecordingSink();
    GenerationLedger ledger = new GenerationLedger();
    Map<ResourceKey, StatusSource.Observed> entities = new ConcurrentHashMap<>();
    ResourceInformers informers;
    StatusPublisher publisher;

    @BeforeEach
    void start() {
        CrdRegistration.register(client);
        informers = new ResourceInformers(Clusters.single(client), sink, ledger, 0);
        informers.start();
        StatusSource source = key -> CompletableFuture.completedFuture(Optional.ofNullable(entities.get(key)));
        publisher = new StatusPublisher(informers, source, ledger,
                new StatusPublisher.Settings(Duration.ofMillis(50), Duration.ofSeconds(10), 1000), Clock.systemUTC());
        publisher.start();
    }

    @AfterEach
    void stop() {
        publisher.close();
        informers.close();
    }

    /** Conditions all True at the entity's {@code generation}. */
    static Conditions ready(ResourceKind kind, long generation) {
        Conditions c = Conditions.EMPTY;
        for (String type : ConditionTypes.summarised(kind)) {
            c = c.setTrue(type, generation, Clock.systemUTC());
        }
        return c.withReady(kind, generation, Clock.systemUTC());
    }

    @Test
    void theEntitysConditionsAreWrittenInTheObjectsGeneration() {
        client.resource(ExampleResources.file("01-single-vpc-single-network.yaml").get(0)).create();
        await().atMost(PATIENCE).until(() -> ledger.kubernetesGeneration(VPC, 101).isPresent());
        entities.put(VPC, StatusSource.Observed.of(101, ready(ResourceKind.DPU_VPC, 101)));

        await().atMost(PATIENCE).until(() -> readyStatus(vpc()).equals("True"));
        DpuVpc vpc = vpc();
        assertThat(vpc.getStatus().getObservedGeneration()).isEqualTo(1);
        assertThat(vpc.getStatus().getConditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(1));
        String version = vpc.getMetadata().getResourceVersion();

        // Unchanged: nothing more is written, pass after pass.
        long writes = publisher.statusWrites();
        sleep(500);
        assertThat(publisher.statusWrites()).isEqualTo(writes);
        assertThat(vpc().getMetadata().getResourceVersion()).isEqualTo(version);

        // An event said it became ready.
        await().atMost(PATIENCE).until(() -> client.v1().events().inNamespace("default").list().getItems().stream()
                .anyMatch(e -> e.getReason().equals("Ready") && e.getInvolvedObject().getName().equals("testvpc")));
    }

    @Test
    void whatTheChangeFeedSaysChangedIsWrittenWithoutWaitingForThePoll() {
        // A publisher that polls once at its start and then not for an hour.
        publisher.close();
        StatusSource source = key -> CompletableFuture.completedFuture(Optional.ofNullable(entities.get(key)));
        publisher = new StatusPublisher(informers, source, ledger,
                new StatusPublisher.Settings(Duration.ofHours(1), Duration.ofHours(1), 1000), Clock.systemUTC());
        publisher.start();
        client.resource(ExampleResources.file("01-single-vpc-single-network.yaml").get(0)).create();
        await().atMost(PATIENCE).until(() -> ledger.kubernetesGeneration(VPC, 101).isPresent());
        entities.put(VPC, StatusSource.Observed.of(101, ready(ResourceKind.DPU_VPC, 101)));
        sleep(500);
        assertThat(vpc().getStatus() == null || vpc().getStatus().getConditions().isEmpty())
                .as("no poll came, nothing said it changed: nothing written yet").isTrue();

        // An object not in the informer, and a kind not served, are passed over.
        publisher.changed(List.of(ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "nosuchvpc"),
                ResourceKey.clusterScoped(ResourceKind.DPU_NODE, "dpu-1"), VPC));
        await().atMost(PATIENCE).until(() -> readyStatus(vpc()).equals("True"));
        assertThat(vpc().getStatus().getObservedGeneration()).isEqualTo(1);
        assertThat(publisher.statusWrites()).isEqualTo(1);
    }

    @Test
    void aRefusedSpecIsReadyFalseNamingTheField() {
        DpuVirtualNetwork bad = ExampleResources.minimalNetwork("badnet", "192.178.7.1/16");
        client.resource(bad).create();

        await().atMost(PATIENCE).until(() -> {
            DpuVirtualNetwork n = client.resources(DpuVirtualNetwork.class).inNamespace("default").withName("badnet").get();
            return n.getStatus() != null && !n.getStatus().getConditions().isEmpty();
        });
        DpuVirtualNetwork written = client.resources(DpuVirtualNetwork.class).inNamespace("default").withName("badnet").get();
        Condition ready = written.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready")).findFirst()
                .orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("NotNetworkAddress");
        assertThat(ready.getMessage()).contains("spec.bridgedNetwork.ipam.ipv4.subnet");
        assertThat(written.getStatus().getObservedGeneration()).isEqualTo(1);
        await().atMost(PATIENCE).until(() -> warnings("badnet") == 1);

        // The refusal stands: pass after pass, nothing more is written and no other event recorded.
        long writes = publisher.statusWrites();
        sleep(1500);
        assertThat(publisher.statusWrites()).isEqualTo(writes);
        assertThat(warnings("badnet")).isEqualTo(1);
    }

    private long warnings(String name) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> e.getType().equals("Warning") && e.getInvolvedObject().getName().equals(name)).count();
    }

    @Test
    void aDpuServiceInterfacesChildrenBecomeOwnedServiceInterfacesWithAnnotations() {
        List<HasMetadata> example = ExampleResources.file("01-single-vpc-single-network.yaml");
        client.resource(example.get(example.size() - 1)).create();
        await().atMost(PATIENCE).until(() -> ledger.kubernetesGeneration(DSI, 101).isPresent());
        entities.put(DSI, new StatusSource.Observed(101, ready(ResourceKind.DPU_SERVICE_INTERFACE, 101), null, null,
                List.of(new StatusSource.Child("dpu-1", "testnet1-vf2-dpu-1"), new StatusSource.Child("dpu-2", "testnet1-vf2-dpu-2"))));

        await().atMost(PATIENCE).until(() -> owned().size() == 2);
        ServiceInterface child = si("testnet1-vf2-dpu-1");
        assertThat(child.getSpec().node()).isEqualTo("dpu-1");
        assertThat(child.getSpec().virtualNetwork()).isEqualTo("testnet1");
        assertThat(child.getMetadata().getLabels()).containsEntry(OwnedServiceInterfaces.OWNER_NAME, "testnet1-vf2");
        assertThat(Finalizers.has(child)).as("an owned interface is its owner's to clean up").isFalse();

        // Its entity's port facts become the reference's annotations, and its conditions its status.
        ResourceKey childKey = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "default", "testnet1-vf2-dpu-1");
        entities.put(childKey, new StatusSource.Observed(7, ready(ResourceKind.SERVICE_INTERFACE, 7), true,
                "02:00:00:00:00:07", List.of()));
        await().atMost(PATIENCE).until(() -> si("testnet1-vf2-dpu-1").getMetadata().getAnnotations() != null
                && "true".equals(si("testnet1-vf2-dpu-1").getMetadata().getAnnotations().get(Annotations.LSP_CONNECTED)));
        assertThat(si("testnet1-vf2-dpu-1").getMetadata().getAnnotations())
                .containsEntry(Annotations.LSP_MAC_ADDRESS, "02:00:00:00:00:07");
        await().atMost(PATIENCE).until(() -> readyStatus(si("testnet1-vf2-dpu-1")).equals("True"));
        // Never applied: the owner's entity drives its children.
        assertThat(sink.of(childKey)).isEmpty();

        // A node no longer selected: its interface goes.
        entities.put(DSI, new StatusSource.Observed(101, ready(ResourceKind.DPU_SERVICE_INTERFACE, 101), null, null,
                List.of(new StatusSource.Child("dpu-1", "testnet1-vf2-dpu-1"))));
        await().atMost(PATIENCE).until(() -> owned().size() == 1);

        // The owner gone: all of them go.
        client.resources(DpuServiceInterface.class).inNamespace("default").withName("testnet1-vf2").delete();
        await().atMost(PATIENCE).until(() -> owned().isEmpty());
    }

    private List<ServiceInterface> owned() {
        return client.resources(ServiceInterface.class).inNamespace("default")
                .withLabel(OwnedServiceInterfaces.OWNER_NAME, "testnet1-vf2").list().getItems();
    }

    private ServiceInterface si(String name) {
        return client.resources(ServiceInterface.class).inNamespace("default").withName(name).get();
    }

    private DpuVpc vpc() {
        return client.resources(DpuVpc.class).inNamespace("default").withName("testvpc").get();
    }

    private static String readyStatus(io.fabric8.kubernetes.client.CustomResource<?, ? extends io.dpuvpc.k8s.crd.ResourceStatus> r) {
        if (r == null || r.getStatus() == null) {
            return "";
        }
        return r.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready")).map(Condition::getStatus)
                .findFirst().orElse("");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
