package io.dpuvpc.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.k8s.StatusWriter.Outcome;
import io.dpuvpc.k8s.crd.DpuVpc;
import io.dpuvpc.k8s.crd.IsolationClass;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Status writes through /status against the mock API server in CRUD mode.
 *
 * <p>The mock checks resourceVersions on spec writes but not on /status writes (it keeps the stored
 * metadata), where a real API server answers 409 Conflict to a stale one: the conflict tests race a
 * real spec change in between read and write and have the mock answer the status write as the API
 * server would, with one queued 409.
 */
@EnableKubernetesMockClient(crud = true)
class StatusWriterIT {
    static final String VPC_STATUS_PATH = "/apis/vpc.dpu.nvidia.com/v1alpha1/namespaces/default/dpuvpcs/testvpc/status";

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-17T13:51:16.734Z"), ZoneOffset.UTC);
    static final ResourceKey VPC = ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "testvpc");
    static final Conditions READY = Conditions.EMPTY
            .setTrue(ConditionTypes.READY, 1, CLOCK)
            .setTrue("DPUVPCReconciled", 1, CLOCK);

    KubernetesClient client;
    KubernetesMockServer server;

    @BeforeEach
    void createVpc() {
        CrdRegistration.register(client);
        client.resource(ExampleResources.file("01-single-vpc-single-network.yaml").get(0)).create();
    }

    @Test
    void writesConditionsAndObservedGenerationAsKubernetesShapesThem() {
        assertThat(new StatusWriter(client).write(VPC, READY, 1)).isEqualTo(Outcome.WRITTEN);

        DpuVpc.Status status = vpc().getStatus();
        assertThat(status.getObservedGeneration()).isEqualTo(1L);
        assertThat(status.getConditions()).extracting(Condition::getType).containsExactly("Ready", "DPUVPCReconciled");
        Condition ready = status.getConditions().get(0);
        assertThat(List.of(ready.getStatus(), ready.getReason(), ready.getMessage(), ready.getLastTransitionTime()))
                .containsExactly("True", "Success", "", "2026-06-17T13:51:16Z");
        assertThat(ready.getObservedGeneration()).isEqualTo(1L);
        assertThat(vpc().getSpec().tenant()).isEqualTo("foo");
    }

    @Test
    void writesNothingWhenTheStatusAlreadySaysIt() {
        var writer = new StatusWriter(client);
        writer.write(VPC, READY, 1);
        String resourceVersion = vpc().getMetadata().getResourceVersion();

        assertThat(writer.write(VPC, READY, 1)).isEqualTo(Outcome.UNCHANGED);
        assertThat(vpc().getMetadata().getResourceVersion()).isEqualTo(resourceVersion);
    }

    @Test
    void aConcurrentUpdateBetweenReadAndWriteIsReadAgainAndRetried() {
        var races = new AtomicInteger();
        var writer = new StatusWriter(client, key -> {
            if (races.getAndIncrement() == 0) {
                // Another writer changes the spec after our read: our resourceVersion is stale.
                client.resources(DpuVpc.class).inNamespace("default").withName("testvpc").edit(v -> {
                    v.setSpec(new DpuVpc.Spec("foo", v.getSpec().isolationClassName(), false, v.getSpec().nodeSelector()));
                    return v;
                });
            }
        });

        conflictOnStatusWrite(1);

        assertThat(writer.write(VPC, READY, 1)).isEqualTo(Outcome.WRITTEN);

        assertThat(races).as("read twice, written once").hasValue(2);
        DpuVpc vpc = vpc();
        assertThat(vpc.getSpec().interNetworkAccess()).as("the other writer's change survives").isFalse();
        assertThat(vpc.getStatus().getConditions()).hasSize(2);
    }

    @Test
    void givesUpWhenEveryAttemptConflicts() {
        var writer = new StatusWriter(client);
        conflictOnStatusWrite(StatusWriter.ATTEMPTS);

        assertThatThrownBy(() -> writer.write(VPC, READY, 1))
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("still conflicted after " + StatusWriter.ATTEMPTS);
    }

    @Test
    void keepsTheRestOfTheStatusAndWritesAChange() {
        DpuVpc withNetworks = vpc();
        withNetworks.setStatus(new DpuVpc.Status());
        withNetworks.getStatus().getVirtualNetworks().add(new DpuVpc.NetworkRef("testnet1"));
        client.resource(withNetworks).updateStatus();
        var writer = new StatusWriter(client);
        writer.write(VPC, READY, 1);

        Conditions notReady = READY.setFalse(ConditionTypes.READY, "NetworkNotReady", "testnet1 is not ready", 2, CLOCK);
        assertThat(writer.write(VPC, notReady, 2)).isEqualTo(Outcome.WRITTEN);

        DpuVpc.Status status = vpc().getStatus();
        assertThat(status.getVirtualNetworks()).containsExactly(new DpuVpc.NetworkRef("testnet1"));
        assertThat(status.getObservedGeneration()).isEqualTo(2L);
        assertThat(status.getConditions().get(0).getStatus()).isEqualTo("False");
        assertThat(status.getConditions().get(0).getReason()).isEqualTo("NetworkNotReady");
    }

    @Test
    void aMissingResourceIsGone() {
        var missing = ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "nosuchvpc");

        assertThat(new StatusWriter(client).write(missing, READY, 1)).isEqualTo(Outcome.GONE);
    }

    @Test
    void writesTheStatusOfAClusterScopedKind() {
        client.resource(ExampleResources.file("00-isolationclass.yaml").get(0)).create();
        var key = ResourceKey.clusterScoped(ResourceKind.ISOLATION_CLASS, "ovn.vpc.dpu.nvidia.com");

        assertThat(new StatusWriter(client).write(key, READY, 1)).isEqualTo(Outcome.WRITTEN);
        assertThat(client.resources(IsolationClass.class).withName("ovn.vpc.dpu.nvidia.com").get()
                .getStatus().getConditions()).hasSize(2);
    }

    /** The next {@code times} PUTs to the VPC's /status get what an API server answers a stale resourceVersion. */
    private void conflictOnStatusWrite(int times) {
        server.expect().put().withPath(VPC_STATUS_PATH)
                .andReturn(409, new StatusBuilder().withStatus("Failure").withReason("Conflict").withCode(409)
                        .withMessage("Operation cannot be fulfilled on dpuvpcs.vpc.dpu.nvidia.com \"testvpc\": "
                                + "the object has been modified; please apply your changes to the latest version and try again")
                        .build())
                .times(times);
    }

    private DpuVpc vpc() {
        return client.resources(DpuVpc.class).inNamespace("default").withName("testvpc").get();
    }
}
