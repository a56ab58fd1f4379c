package io.dpuvpc.simulator.ovs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dpuvpc.actors.entity.DpuNodeEntity;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.node.LocalOvsdbServer;
import io.dpuvpc.node.NodeAgent;
import io.dpuvpc.node.NodeDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real node agent, one scenario run twice: against a real ovsdb-server on the vswitch schema
 * (dpu-node's {@link LocalOvsdbServer}, as NodeAgentIT runs it) and against the emulated one. The
 * scenario plugs, unplugs, gets a service interface's port from ovs-cni (ovs-vsctl on the real
 * server, {@link EmulatedDatabase#addOvsCniPort} on the emulation), restarts the server (the agent
 * reconnects and monitors again), restarts the agent (which must then write nothing) and unwants
 * the service interface. Both databases must end up with the same
 * rows.
 */
class EmulatedOvsdbServerIT {
    /** No Southbound: a socket nobody serves (as NodeAgentIT, so no lab's chassis gets touched). */
    private static final String NO_SOUTHBOUND = "unix:/nonexistent/dpuvpc-test/sb.sock";
    private static final ResourceKey SERVICE = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "default", "si-f");
    private static final ResourceKey VF = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "default", "si-v");
    private static final ResourceKey PLUGGED = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "default", "si-b");
    private static final Duration WAIT = NodeDirectory.WAIT;
    private static final OvsCniPort CNI_PORT = new OvsCniPort("br-int", "veth1a2b3c4d", "my-sf", "/var/run/netns/pod-s");

    @TempDir
    Path dir;

    @Test
    void theAgentLeavesTheSameRowsInTheEmulationAsInARealOvsdbServer() throws Exception {
        long started = System.nanoTime();
        VswitchSnapshot real;
        try (LocalOvsdbServer ovs = LocalOvsdbServer.create(java.nio.file.Files.createDirectories(dir.resolve("real")))) {
            real = runScenario(ovs.remote(), new ServerControl(ovs::stop, ovs::start), port -> ovs.vsctl("add-port", port.bridge(), port.hostName(), "--", "set", "Port",
                port.hostName(), "external_ids:owner=" + OvsCniPort.OWNER, "external_ids:contIface=" + port.contIface(),
                "external_ids:contNetns=" + port.contNetns()));
        }
        long realMillis = (System.nanoTime() - started) / 1_000_000;
        started = System.nanoTime();
        VswitchSnapshot emulated;
        try (EmulatedOvsdbServer server = EmulatedOvsdbServer.start(dir.resolve("emulated"), 1)) {
            EmulatedDatabase database = server.open("dpu-a");
            emulated = runScenario(database.remote(), new ServerControl(() -> server.suspend("dpu-a"), () -> server.resume("dpu-a")),
                port -> join(database.addOvsCniPort(port)));
        }
        long emulatedMillis = (System.nanoTime() - started) / 1_000_000;

        // Not vacuous: the scenario's end state, read from the real server.
        assertThat(real.row("Bridge", "br-int").get("ports"))
            .isEqualTo(new java.util.TreeSet<>(Set.of("Port:br-int", "Port:pf0vf2", "Port:pf0vf5", "Port:veth1a2b3c4d")));
        assertThat(real.row("Interface", "pf0vf1")).isNull();
        assertThat(real.row("Interface", "pf0vf2").get("external_ids"))
            .isEqualTo(Map.of("iface-id", "lsp-b", "vpc.dpu.nvidia.com/owner", "node-agent"));
        assertThat(real.row("Interface", "veth1a2b3c4d").get("external_ids")).isEqualTo(Map.of());
        assertThat(real.row("Port", "veth1a2b3c4d").get("external_ids")).isEqualTo(Map.of("owner", OvsCniPort.OWNER,
            "contIface", "my-sf", "contNetns", "/var/run/netns/pod-s"));
        assertThat(((Map<?, ?>) real.row("Open_vSwitch", ".").get("external_ids")).get("system-id")).isEqualTo("dpu-a");

        assertThat(emulated).isEqualTo(real);
        System.out.printf("scenario: real ovsdb-server %d ms, emulated %d ms%n", realMillis, emulatedMillis);
    }

    /**
     * The scenario against the database at {@code remote}; {@code server} stops and starts its
     * server, data kept; {@code ovsCni} adds a port as ovs-cni does.
     */
    private VswitchSnapshot runScenario(String remote, ServerControl server, Consumer<OvsCniPort> ovsCni) throws Exception {
        ActorTestKit kit = ActorTestKit.create(NodeDirectory.CONFIG);
        try {
            NodeDirectory directory = new NodeDirectory(kit);
            ActorRef<DpuNodeEntity.Command> node = directory.spawnNode("dpu-a");
            node.tell(new DpuNodeEntity.PortWanted(SERVICE, "ovs-cni:my-sf", "default_si-f", "02:00:00:00:00:07"));
            node.tell(new DpuNodeEntity.PortWanted(VF, "pf0vf5", "default_si-v", null));
            var settings = LocalOvsdbServer.agentSettings(remote, "dpu-a", "10.0.100.1", NO_SOUTHBOUND);
            ActorRef<NodeAgent.Command> agent = kit.spawn(NodeAgent.create(settings, directory));
            awaitState(kit, agent, s -> s.ready() && plugged(s, "pf0vf5"));

            agent.tell(new NodeAgent.Plug("pf0vf1", "lsp-a"));
            agent.tell(new NodeAgent.Plug("pf0vf2", "lsp-b"));
            awaitState(kit, agent, s -> s.ready() && plugged(s, "pf0vf1") && plugged(s, "pf0vf2"));
            // Explicit plugs do not outlive the agent: the node learns to want pf0vf2 too, so the restart keeps it.
            node.tell(new DpuNodeEntity.PortWanted(PLUGGED, "pf0vf2", "lsp-b", null));
            agent.tell(new NodeAgent.Unplug("pf0vf1"));
            await().atMost(WAIT).until(() -> VswitchSnapshot.read(remote).row("Interface", "pf0vf1") == null);

            // ovs-cni's ADD: the agent sets iface-id on the port it did not make.
            ovsCni.accept(CNI_PORT);
            awaitState(kit, agent, s -> s.ready() && plugged(s, "ovs-cni:my-sf"));

            // The server restarts: the agent sees the connection go, reconnects, monitors again and stays converged.
            long before = awaitState(kit, agent, NodeAgent.State::ready).transactions();
            server.stop().run();
            awaitState(kit, agent, s -> !s.connected());
            server.start().run();
            awaitState(kit, agent, s -> s.connected() && s.ready() && plugged(s, "ovs-cni:my-sf") && plugged(s, "pf0vf2"));
            assertThat(awaitState(kit, agent, NodeAgent.State::ready).transactions()).isEqualTo(before);

            // A restarted agent finds everything as it wants it: no transaction.
            kit.stop(agent);
            ActorRef<NodeAgent.Command> second = kit.spawn(NodeAgent.create(settings, directory));
            awaitState(kit, second, s -> s.ready() && plugged(s, "ovs-cni:my-sf") && plugged(s, "pf0vf2"));
            Thread.sleep(1500); // a heartbeat and any late pass
            assertThat(awaitState(kit, second, NodeAgent.State::ready).transactions()).isZero();

            // The service interface is deleted: its iface-id goes, ovs-cni's port stays.
            node.tell(new DpuNodeEntity.PortUnwanted(SERVICE));
            second.tell(NodeAgent.Refresh.INSTANCE);
            await().atMost(WAIT).until(() -> !((Map<?, ?>) VswitchSnapshot.read(remote).row("Interface", CNI_PORT.hostName())
                .get("external_ids")).containsKey("iface-id"));
            awaitState(kit, second, NodeAgent.State::ready);
            kit.stop(second);
            return VswitchSnapshot.read(remote);
        } finally {
            kit.shutdownTestKit();
        }
    }

    /** How the scenario stops and starts the server of its database. */
    private record ServerControl(Runnable stop, Runnable start) {
    }

    private static boolean plugged(NodeAgent.State state, String representor) {
        return state.ports().stream().anyMatch(p -> p.representor().equals(representor) && p.plugged());
    }

    private static NodeAgent.State awaitState(ActorTestKit kit, ActorRef<NodeAgent.Command> agent, Predicate<NodeAgent.State> done) {
        TestProbe<NodeAgent.State> probe = kit.createTestProbe(NodeAgent.State.class);
        NodeAgent.State[] last = new NodeAgent.State[1];
        try {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
                agent.tell(new NodeAgent.GetState(probe.ref()));
                last[0] = probe.receiveMessage();
                return done.test(last[0]);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the agent did not get there; last state: " + last[0], e);
        }
        return last[0];
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }
}
