package io.dpuvpc.ovn.northbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dpuvpc.actors.entity.EntityDirectory;
import io.dpuvpc.actors.entity.IsolationClassEntity;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.northbound.Northbound;
import io.dpuvpc.actors.northbound.TopologyIntent;
import io.dpuvpc.ovn.lab.OvnCentral;
import io.dpuvpc.ovn.ovsdb.OvsdbClient;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router against two real OVN centrals: it finds the endpoint in the IsolationClass, and when
 * the class names another endpoint, the owners' intents follow to the new one by themselves.
 */
class NorthboundRouterIT {
    final ActorTestKit kit = ActorTestKit.create();
    OvnCentral first;
    OvnCentral second;

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    static IsolationClassSpec classOn(OvnCentral ovn) {
        return new IsolationClassSpec(IsolationClassSpec.PROVISIONER,
                Map.of(IsolationClassSpec.NB_ENDPOINT, ovn.nbTcpEndpoint(), IsolationClassSpec.NB_RECONNECT_TIME, "1"));
    }

    /** A directory whose only entity is the IsolationClass "ovn", answering with {@code spec}'s current value. */
    EntityDirectory directory(AtomicReference<IsolationClassSpec> spec) {
        ActorRef<IsolationClassEntity.Command> isolationClass = kit.spawn(Behaviors.receiveMessage(command -> {
            if (command instanceof IsolationClassEntity.Get get) {
                get.replyTo().tell(new IsolationClassEntity.Status(
                        ResourceKey.clusterScoped(ResourceKind.ISOLATION_CLASS, "ovn"), spec.get(), 1));
            }
            return Behaviors.same();
        }));
        return (EntityDirectory) Proxy.newProxyInstance(EntityDirectory.class.getClassLoader(),
                new Class<?>[] {EntityDirectory.class}, (proxy, method, args) -> {
                    if (method.getName().equals("isolationClass")) {
                        return isolationClass;
                    }
                    throw new UnsupportedOperationException(method.getName() + " is not used here");
                });
    }

    @Test
    void ownersFollowTheirIsolationClassToANewEndpoint(@TempDir Path dir) {
        first = OvnCentral.builder(dir.resolve("a")).stopOnJvmExit(true).start();
        second = OvnCentral.builder(dir.resolve("b")).stopOnJvmExit(true).start();
        AtomicReference<IsolationClassSpec> spec = new AtomicReference<>(classOn(first));
        NorthboundRouter.BridgeFactory bridges = (options, ownerCheck) ->
                NorthboundBridge.create(OvsdbClient.start(options), NorthboundBridge.Settings.defaults());
        var router = kit.spawn(NorthboundRouter.behavior(directory(spec), bridges, Duration.ofMillis(300)));

        TestProbe<Northbound.Observed> probe = kit.createTestProbe();
        var intent = new TopologyIntent.Vpc(ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "moving"), 1, true,
                new TreeMap<>(Map.of("n", new TopologyIntent.NetworkRoute("10.5.0.0/16", true, true))), List.of());
        router.tell(NorthboundRouter.command(new Northbound.Publish("ovn", intent, probe.getRef())));
        probe.fishForMessage(Duration.ofSeconds(15), o -> o.state() == Northbound.State.RECONCILED
                ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
        assertThat(first.nbctl("--bare", "--columns=name", "list", "Logical_Router").trim()).isEqualTo("vpc_default_moving");

        // A Release (the owner's entity stopped here) leaves the rows and the router working.
        router.tell(NorthboundRouter.command(new Northbound.Release("ovn", intent.owner())));
        router.tell(NorthboundRouter.command(new Northbound.Publish("ovn", intent, probe.getRef())));
        probe.fishForMessage(Duration.ofSeconds(15), o -> o.state() == Northbound.State.RECONCILED
                ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());

        spec.set(classOn(second));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(second.nbctl("--bare", "--columns=name", "list", "Logical_Router").trim()).isEqualTo("vpc_default_moving"));
        // Released, not withdrawn: the old database keeps its rows for whoever still uses it.
        assertThat(first.nbctl("--bare", "--columns=name", "list", "Logical_Router").trim()).isEqualTo("vpc_default_moving");
    }

    @Test
    void aMissingIsolationClassIsReportedAsNotReadyUntilItAppears(@TempDir Path dir) {
        AtomicReference<IsolationClassSpec> spec = new AtomicReference<>(null);
        var router = kit.spawn(NorthboundRouter.behavior(directory(spec), NorthboundRouter.defaultBridges()));
        TestProbe<Northbound.Observed> probe = kit.createTestProbe();
        var intent = new TopologyIntent.Vpc(ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "orphan"), 3, true,
                new TreeMap<>(), List.of());
        router.tell(NorthboundRouter.command(new Northbound.Publish("ovn", intent, probe.getRef())));
        Northbound.Observed observed = probe.receiveMessage(Duration.ofSeconds(10));
        assertThat(observed.state()).isEqualTo(Northbound.State.FAILED);
        assertThat(observed.reason()).isEqualTo("IsolationClassNotReady");
        assertThat(observed.generation()).isEqualTo(3);
        assertThat(observed.message()).contains("IsolationClass \"ovn\" does not exist");

        // The intent waits in the router, which looks the class up again until it exists.
        first = OvnCentral.builder(dir).stopOnJvmExit(true).start();
        spec.set(classOn(first));
        probe.fishForMessage(Duration.ofSeconds(15), o -> o.state() == Northbound.State.RECONCILED
                ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
        assertThat(first.nbctl("--bare", "--columns=name", "list", "Logical_Router").trim()).isEqualTo("vpc_default_orphan");
    }

    @Test
    void networksGetTheirIsolationClassDhcpOptionsAndFollowChanges(@TempDir Path dir) {
        first = OvnCentral.builder(dir).stopOnJvmExit(true).start();
        Map<String, String> parameters = new java.util.HashMap<>(Map.of(IsolationClassSpec.NB_ENDPOINT, first.nbTcpEndpoint(),
                IsolationClassSpec.DHCP_DNS_SERVERS, "10.0.0.2,10.0.0.3", IsolationClassSpec.DHCP_MTU, "8942"));
        AtomicReference<IsolationClassSpec> spec = new AtomicReference<>(
                new IsolationClassSpec(IsolationClassSpec.PROVISIONER, parameters));
        var router = kit.spawn(NorthboundRouter.behavior(directory(spec), NorthboundRouter.defaultBridges(),
                Duration.ofMillis(300)));
        TestProbe<Northbound.Observed> probe = kit.createTestProbe();
        var network = new TopologyIntent.Network(ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, "default", "n"), 1,
                "v", "10.6.0.0/16", List.of(), true, Map.of());
        router.tell(NorthboundRouter.command(new Northbound.Publish("ovn", network, probe.getRef())));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                first.nbctl("--bare", "--columns=options", "list", "DHCP_Options"))
                .contains("dns_server={10.0.0.2, 10.0.0.3}", "mtu=8942", "lease_time=3600"));

        parameters.put(IsolationClassSpec.DHCP_MTU, "1400");
        spec.set(new IsolationClassSpec(IsolationClassSpec.PROVISIONER, parameters));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                first.nbctl("--bare", "--columns=options", "list", "DHCP_Options")).contains("mtu=1400"));
    }
}
