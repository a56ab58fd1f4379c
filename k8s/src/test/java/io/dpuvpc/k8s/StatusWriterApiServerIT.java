package io.dpuvpc.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.k8s.StatusWriter.Outcome;
import io.dpuvpc.k8s.crd.DpuVpc;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link StatusWriter} against a real API server, where what StatusWriterIT has to script on the
 * mock happens by itself: a /status write with a stale resourceVersion is answered 409 Conflict,
 * and a status write leaves the generation alone. Each test has a DPUVPC of its own.
 */
class StatusWriterApiServerIT {
    @RegisterExtension
    static final KubeApiServerExtension KUBE = new KubeApiServerExtension();

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-17T13:51:16.734Z"), ZoneOffset.UTC);
    static final Conditions READY = Conditions.EMPTY
            .setTrue(ConditionTypes.READY, 1, CLOCK)
            .setTrue("DPUVPCReconciled", 1, CLOCK);
    static final Conditions NOT_READY = READY.setFalse(ConditionTypes.READY, "NetworkNotReady",
            "testnet1 is not ready", 1, CLOCK);

    static KubernetesClient client;

    @BeforeAll
    static void crds() {
        KUBE.registerCrds();
        client = KUBE.client();
    }

    @Test
    void writesTheStatusAndLeavesSpecAndGenerationAlone() {
        ResourceKey key = createVpc("written");

        assertThat(new StatusWriter(client).write(key, READY, 1)).isEqualTo(Outcome.WRITTEN);

        DpuVpc vpc = vpc(key);
        assertThat(vpc.getStatus().getObservedGeneration()).isEqualTo(1L);
        assertThat(vpc.getStatus().getConditions()).extracting(Condition::getType).containsExactly("Ready", "DPUVPCReconciled");
        assertThat(vpc.getStatus().getConditions().get(0).getLastTransitionTime()).isEqualTo("2026-06-17T13:51:16Z");
        assertThat(vpc.getMetadata().getGeneration()).as("a /status write is no spec change").isEqualTo(1L);
        assertThat(vpc.getSpec().tenant()).isEqualTo("foo");
    }

    @Test
    void anUnchangedStatusWritesNothing() {
        ResourceKey key = createVpc("unchanged");
        var writer = new StatusWriter(client);
        writer.write(key, READY, 1);
        String resourceVersion = vpc(key).getMetadata().getResourceVersion();

        assertThat(writer.write(key, READY, 1)).isEqualTo(Outcome.UNCHANGED);
        assertThat(vpc(key).getMetadata().getResourceVersion()).isEqualTo(resourceVersion);
    }

    @Test
    void theServerRefusesAStaleStatusWriteWith409() {
        ResourceKey key = createVpc("stale");
        DpuVpc stale = vpc(key);
        new StatusWriter(client).write(key, READY, 1);

        stale.setStatus(new DpuVpc.Status());
        KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class,
                () -> client.resource(stale).updateStatus());

        assertThat(e).isNotNull();
        assertThat(e.getCode()).isEqualTo(409);
        assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
        assertThat(vpc(key).getStatus().getConditions()).as("the stale write changed nothing").hasSize(2);
    }

    @Test
    void aStatusWrittenBetweenReadAndWriteIsReadAgainAndRetried() {
        ResourceKey key = createVpc("raced");
        var other = new StatusWriter(client);
        List<String> versionsSeen = new ArrayList<>();
        var races = new AtomicInteger();
        var writer = new StatusWriter(client, k -> {
            versionsSeen.add(vpc(k).getMetadata().getResourceVersion());
            if (races.getAndIncrement() == 0) {
                // Another writer (another controller replica, say) writes after our read: the
                // resourceVersion our write carries is stale, and the server answers 409.
                assertThat(other.write(k, NOT_READY, 1)).isEqualTo(Outcome.WRITTEN);
            }
        });

        assertThat(writer.write(key, READY, 1)).isEqualTo(Outcome.WRITTEN);

        assertThat(races).as("read twice, written once").hasValue(2);
        assertThat(versionsSeen.get(1)).as("the second read saw the other write").isNotEqualTo(versionsSeen.get(0));
        Condition ready = vpc(key).getStatus().getConditions().get(0);
        assertThat(ready.getStatus()).as("ours is the last word").isEqualTo("True");
    }

    @Test
    void givesUpWhenAnotherWriterWinsEveryTime() {
        ResourceKey key = createVpc("contended");
        var other = new StatusWriter(client);
        var races = new AtomicInteger();
        var writer = new StatusWriter(client, k -> {
            // Alternates, so that the other writer's status always differs from the one it read.
            other.write(k, races.getAndIncrement() % 2 == 0 ? NOT_READY : READY.setTrue("Extra", 1, CLOCK), 1);
        });

        assertThatThrownBy(() -> writer.write(key, READY, 1))
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("still conflicted after " + StatusWriter.ATTEMPTS)
                .cause().satisfies(c -> assertThat(((KubernetesClientException) c).getCode()).isEqualTo(409));
        assertThat(races).hasValue(StatusWriter.ATTEMPTS);
    }

    @Test
    void aSpecChangeBumpsTheGenerationTheStatusThenObserves() {
        ResourceKey key = createVpc("edited");
        var writer = new StatusWriter(client);
        writer.write(key, READY, 1);

        DpuVpc edited = client.resources(DpuVpc.class).inNamespace(key.namespace()).withName(key.name())
                .edit(v -> {
                    v.setSpec(new DpuVpc.Spec("foo", v.getSpec().isolationClassName(), false, v.getSpec().nodeSelector()));
                    return v;
                });
        assertThat(edited.getMetadata().getGeneration()).isEqualTo(2L);
        assertThat(edited.getStatus().getObservedGeneration()).as("the status lags until written").isEqualTo(1L);

        assertThat(writer.write(key, READY, 2)).isEqualTo(Outcome.WRITTEN);
        assertThat(vpc(key).getStatus().getObservedGeneration()).isEqualTo(2L);
    }

    @Test
    void aMissingResourceIsGone() {
        var missing = ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "nosuchvpc");

        assertThat(new StatusWriter(client).write(missing, READY, 1)).isEqualTo(Outcome.GONE);
    }

    /** Example 1's DPUVPC under another name, in namespace default. */
    private static ResourceKey createVpc(String name) {
        DpuVpc vpc = (DpuVpc) ExampleResources.file("01-single-vpc-single-network.yaml").get(0);
        vpc.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
        client.resource(vpc).create();
        return ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", name);
    }

    private static DpuVpc vpc(ResourceKey key) {
        return client.resources(DpuVpc.class).inNamespace(key.namespace()).withName(key.name()).get();
    }
}
