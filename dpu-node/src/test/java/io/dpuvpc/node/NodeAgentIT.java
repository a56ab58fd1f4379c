package io.dpuvpc.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dpuvpc.actors.entity.DpuNodeEntity;
import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against a real ovsdb-server on the vswitch schema (no ovs-vswitchd: configuration rows
 * do not need one), checked with {@code ovs-vsctl}, reporting to a real DpuNode entity on Pekko's
 * in-memory journal.
 */
class NodeAgentIT {
    private static final ActorTestKit KIT = ActorTestKit.create(NodeDirectory.CONFIG);
    private static final Duration WAIT = NodeDirectory.WAIT;
    /**
     * No Southbound: a socket nobody serves. Not a TCP port, where some lab's real Southbound may
     * listen and get its chassis at our VTEP address removed.
     */
    static final String NO_SOUTHBOUND = "unix:/nonexistent/dpuvpc-test/sb.sock";
    private static final ResourceKey SI = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "default", "si-f");

    @TempDir
    Path dir;
    private LocalOvsdbServer ovs;
    private final NodeDirectory directory = new NodeDirectory(KIT);

    @BeforeEach
    void startOvsdb() {
        ovs = LocalOvsdbServer.create(dir);
    }

    @AfterEach
    void stopOvsdb() {
        ovs.close();
    }

    @AfterAll
    static void stopKit() {
        KIT.shutdownTestKit();
    }

    @Test
    void convergesAnEmptyDatabasePlugsAPortAndReportsToItsNode() {
        // Someone else's bridge: it must come out as it went in.
        ovs.vsctl("init");
        ovs.vsctl("add-br", "br-foo", "--", "add-port", "br-foo", "foo0", "--", "set", "Open_vSwitch", ".",
            "external_ids:hostname=dpu-a.lab");
        ActorRef<DpuNodeEntity.Command> node = directory.spawnNode("dpu-a");
        ActorRef<NodeAgent.Command> agent = KIT.spawn(NodeAgent.create(settings("dpu-a"), directory));

        NodeAgent.State ready = awaitState(agent, NodeAgent.State::ready);
        assertThat(ready.hwOffload()).isFalse(); // netdev: no offload
        assertThat(ovs.get("Open_vSwitch", ".", "external_ids:system-id")).isEqualTo("dpu-a");
        assertThat(ovs.get("Open_vSwitch", ".", "external_ids:ovn-remote")).isEqualTo(NO_SOUTHBOUND);
        assertThat(ovs.get("Open_vSwitch", ".", "external_ids:ovn-encap-type")).isEqualTo("geneve");
        assertThat(ovs.get("Open_vSwitch", ".", "external_ids:ovn-encap-ip")).isEqualTo("10.0.100.1");
        assertThat(ovs.get("Open_vSwitch", ".", "external_ids:ovn-bridge-mappings")).isEqualTo("external:br-ex");
        assertThat(ovs.get("Open_vSwitch", ".", "external_ids:hostname")).isEqualTo("dpu-a.lab");
        assertThat(ovs.get("Bridge", "br-int", "datapath_type")).isEqualTo("netdev");
        assertThat(ovs.get("Bridge", "br-int", "fail_mode")).isEqualTo("secure");
        assertThat(ovs.get("Bridge", "br-int", "other_config:disable-in-band")).isEqualTo("true");
        assertThat(ovs.get("Bridge", "br-int", "external_ids:vpc.dpu.nvidia.com/owner")).isEqualTo("node-agent");
        assertThat(ovs.get("Bridge", "br-ex", "datapath_type")).isEqualTo("netdev");
        assertThat(ovs.vsctl("list-ports", "br-ex")).isEqualTo("p0");
        assertThat(ovs.get("Interface", "p0", "mtu_request")).isEqualTo("9000");
        assertThat(ovs.vsctl("list-ports", "br-int")).isEmpty();
        assertThat(ovs.vsctl("list-ports", "br-foo")).isEqualTo("foo0");
        assertThat(ovs.vsctl("get", "Bridge", "br-foo", "external_ids")).isEqualTo("{}");

        agent.tell(new NodeAgent.Plug("pf0vf1", "lsp-a"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(ovs.vsctl("list-ports", "br-int")).isEqualTo("pf0vf1"));
        assertThat(ovs.get("Interface", "pf0vf1", "external_ids:iface-id")).isEqualTo("lsp-a");
        assertThat(ovs.get("Interface", "pf0vf1", "mtu_request")).isEqualTo("9000");
        assertThat(awaitState(agent, s -> s.ready() && !s.ports().isEmpty()).ports())
            .containsExactly(new NodeAgent.PortStatus("pf0vf1", "lsp-a", true, java.util.Optional.empty()));

        DpuNode reported = directory.awaitNode(node, DpuNode::ready);
        assertThat(reported.vtepIp()).isEqualTo("10.0.100.1");
        assertThat(reported.externalIp()).isEqualTo("172.16.0.10/24");
        assertThat(reported.externalNextHop()).isEqualTo("172.16.0.1");
        assertThat(reported.labels()).containsEntry("rack", "r1");
        assertThat(reported.chassisId()).isNull(); // not observed in the Southbound yet
        assertThat(reported.chassisRegistered()).isFalse();
        assertThat(reported.hwOffload()).isFalse();
        assertThat(reported.lastHeartbeat()).isNotNull();

        agent.tell(new NodeAgent.Unplug("pf0vf1"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(ovs.vsctl("list-ports", "br-int")).isEmpty());
        assertThat(ovs.tryVsctl("list", "Interface", "pf0vf1").ok()).isFalse();
        assertThat(ovs.vsctl("list-ports", "br-foo")).isEqualTo("foo0");
        KIT.stop(agent);
    }

    @Test
    void driftIsRepairedWithinASecond() {
        directory.spawnNode("dpu-b");
        ActorRef<NodeAgent.Command> agent = KIT.spawn(NodeAgent.create(settings("dpu-b"), directory));
        agent.tell(new NodeAgent.Plug("pf0vf2", "lsp-b"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(ovs.vsctl("list-ports", "br-int")).isEqualTo("pf0vf2"));

        ovs.vsctl("del-br", "br-int");
        ovs.vsctl("set", "Open_vSwitch", ".", "external_ids:ovn-encap-ip=10.9.9.9");
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(ovs.vsctl("list-ports", "br-int")).isEqualTo("pf0vf2");
            assertThat(ovs.get("Interface", "pf0vf2", "external_ids:iface-id")).isEqualTo("lsp-b");
            assertThat(ovs.get("Open_vSwitch", ".", "external_ids:ovn-encap-ip")).isEqualTo("10.0.100.1");
        });
        KIT.stop(agent);
    }

    @Test
    void anOvsdbServerRestartIsFollowedByAReassert() {
        ActorRef<DpuNodeEntity.Command> node = directory.spawnNode("dpu-c");
        ActorRef<NodeAgent.Command> agent = KIT.spawn(NodeAgent.create(settings("dpu-c"), directory));
        agent.tell(new NodeAgent.Plug("pf0vf3", "lsp-c"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(ovs.vsctl("list-ports", "br-int")).isEqualTo("pf0vf3"));
        directory.awaitNode(node, DpuNode::ready);
        long before = awaitState(agent, NodeAgent.State::ready).transactions();
        String brInt = ovs.vsctl("get", "Bridge", "br-int", "_uuid");

        ovs.stop();
        awaitState(agent, s -> !s.connected());
        directory.awaitNode(node, n -> !n.ready());
        // While it is down, the database loses the encap IP and br-int (with the plugged port).
        ovs.transactOffline("[\"Open_vSwitch\", {\"op\": \"mutate\", \"table\": \"Open_vSwitch\", \"where\": [], "
            + "\"mutations\": [[\"external_ids\", \"delete\", [\"set\", [\"ovn-encap-ip\"]]], "
            + "[\"bridges\", \"delete\", [\"uuid\", \"" + brInt + "\"]]]}]");
        ovs.start();

        NodeAgent.State after = awaitState(agent, NodeAgent.State::ready);
        assertThat(after.transactions()).isGreaterThan(before);
        assertThat(ovs.get("Open_vSwitch", ".", "external_ids:ovn-encap-ip")).isEqualTo("10.0.100.1");
        assertThat(ovs.vsctl("list-ports", "br-int")).isEqualTo("pf0vf3");
        assertThat(ovs.get("Interface", "pf0vf3", "external_ids:iface-id")).isEqualTo("lsp-c");
        directory.awaitNode(node, DpuNode::ready);
        KIT.stop(agent);
    }

    @Test
    void plugsWhatItsNodeWantsAndUnplugsWhatItNoLongerWants() {
        ActorRef<DpuNodeEntity.Command> node = directory.spawnNode("dpu-f");
        node.tell(new DpuNodeEntity.PortWanted(SI, "pf0vf5", "default_si-f", "02:00:00:00:00:05"));
        ActorRef<NodeAgent.Command> agent = KIT.spawn(NodeAgent.create(settings("dpu-f"), directory));

        // Asked at start: no Plug command.
        await().atMost(WAIT).untilAsserted(() -> assertThat(ovs.vsctl("list-ports", "br-int")).isEqualTo("pf0vf5"));
        assertThat(ovs.get("Interface", "pf0vf5", "external_ids:iface-id")).isEqualTo("default_si-f");
        assertThat(awaitState(agent, s -> s.ready() && !s.ports().isEmpty()).ports())
            .containsExactly(new NodeAgent.PortStatus("pf0vf5", "default_si-f", true, java.util.Optional.empty()));

        // An explicit plug stays beside the learned ones; someone else's port is never touched.
        agent.tell(new NodeAgent.Plug("pf0vf9", "lsp-manual"));
        ovs.vsctl("add-port", "br-int", "foreign0");
        await().atMost(WAIT).untilAsserted(() -> assertThat(ovs.vsctl("list-ports", "br-int").lines())
            .containsExactlyInAnyOrder("foreign0", "pf0vf5", "pf0vf9"));

        // Its node no longer wants it: gone at the next ask (a Refresh, not waiting for the heartbeat).
        node.tell(new DpuNodeEntity.PortUnwanted(SI));
        agent.tell(NodeAgent.Refresh.INSTANCE);
        await().atMost(WAIT).untilAsserted(() -> assertThat(ovs.vsctl("list-ports", "br-int").lines())
            .containsExactlyInAnyOrder("foreign0", "pf0vf9"));
        assertThat(ovs.tryVsctl("list", "Interface", "pf0vf5").ok()).isFalse();
        assertThat(ovs.get("Interface", "pf0vf9", "external_ids:iface-id")).isEqualTo("lsp-manual");

        // Wanted again, under another logical port: the heartbeat picks it up.
        node.tell(new DpuNodeEntity.PortWanted(SI, "pf0vf5", "default_si-g", null));
        await().atMost(WAIT).untilAsserted(() ->
            assertThat(ovs.tryVsctl("get", "Interface", "pf0vf5", "external_ids:iface-id").stdout()).contains("default_si-g"));
        KIT.stop(agent);
    }

    @Test
    void aPortWantedOrUnwantedIsFollowedAtOnceNotAtTheNextHeartbeat() {
        ActorRef<DpuNodeEntity.Command> node = directory.spawnNode("dpu-h");
        // A heartbeat longer than the test: only the node's own word can bring the change.
        NodeAgentSettings slow = NodeAgentSettings.builder("dpu-h", "10.0.100.1", NO_SOUTHBOUND)
            .datapath(NodeAgentSettings.Datapath.NETDEV).heartbeat(Duration.ofHours(1)).ovsdbRemote(ovs.remote()).build();
        ActorRef<NodeAgent.Command> agent = KIT.spawn(NodeAgent.create(slow, directory));
        awaitState(agent, NodeAgent.State::ready);

        node.tell(new DpuNodeEntity.PortWanted(SI, "pf0vf3", "default_si-h", null));
        await().atMost(WAIT).untilAsserted(() -> assertThat(ovs.vsctl("list-ports", "br-int")).isEqualTo("pf0vf3"));
        assertThat(ovs.get("Interface", "pf0vf3", "external_ids:iface-id")).isEqualTo("default_si-h");

        node.tell(new DpuNodeEntity.PortUnwanted(SI));
        await().atMost(WAIT).untilAsserted(() -> assertThat(ovs.vsctl("list-ports", "br-int")).isEmpty());
        KIT.stop(agent);
    }

    @Test
    void aServiceInterfaceGetsItsIfaceIdOnThePortOvsCniMadeAndLosesOnlyThat() {
        ActorRef<DpuNodeEntity.Command> node = directory.spawnNode("dpu-s");
        node.tell(new DpuNodeEntity.PortWanted(SI, "ovs-cni:my-sf", "default_si-f", "02:00:00:00:00:07"));
        ActorRef<NodeAgent.Command> agent = KIT.spawn(NodeAgent.create(settings("dpu-s"), directory));
        // No pod yet: nothing to plug, and nothing in the way.
        NodeAgent.State waiting = awaitState(agent, s -> s.ready() && !s.ports().isEmpty());
        assertThat(waiting.ports()).containsExactly(
            new NodeAgent.PortStatus("ovs-cni:my-sf", "default_si-f", false, java.util.Optional.empty()));
        assertThat(ovs.vsctl("list-ports", "br-int")).isEmpty();

        // ovs-cni's ADD, as its createPort writes it: the Port marked, the Interface without iface-id.
        ovs.vsctl("add-port", "br-int", "veth1a2b3c4d", "--", "set", "Port", "veth1a2b3c4d",
            "external_ids:owner=ovs-cni.network.kubevirt.io", "external_ids:contIface=my-sf",
            "external_ids:contNetns=/var/run/netns/pod-s");
        await().atMost(WAIT).untilAsserted(() -> assertThat(
            ovs.tryVsctl("get", "Interface", "veth1a2b3c4d", "external_ids:iface-id").stdout()).contains("default_si-f"));
        assertThat(awaitState(agent, s -> s.ports().stream().allMatch(NodeAgent.PortStatus::plugged)).ports())
            .extracting(NodeAgent.PortStatus::representor).containsExactly("ovs-cni:my-sf");
        assertThat(ovs.tryVsctl("get", "Port", "veth1a2b3c4d", "external_ids:vpc.dpu.nvidia.com/owner").ok()).isFalse();

        // Deleted: the iface-id goes, the port stays for ovs-cni's DEL.
        node.tell(new DpuNodeEntity.PortUnwanted(SI));
        agent.tell(NodeAgent.Refresh.INSTANCE);
        await().atMost(WAIT).untilAsserted(() -> assertThat(
            ovs.tryVsctl("get", "Interface", "veth1a2b3c4d", "external_ids:iface-id").ok()).isFalse());
        assertThat(ovs.vsctl("list-ports", "br-int")).isEqualTo("veth1a2b3c4d");
        assertThat(ovs.get("Port", "veth1a2b3c4d", "external_ids:contIface")).isEqualTo("my-sf");
        KIT.stop(agent);
    }

    @Test
    void anAgentWithoutAnAnsweringNodeKeepsWhatTheDatabaseShows() throws InterruptedException {
        ActorRef<DpuNodeEntity.Command> node = directory.spawnNode("dpu-g");
        node.tell(new DpuNodeEntity.PortWanted(SI, "pf0vf6", "default_si-f", null));
        ActorRef<NodeAgent.Command> first = KIT.spawn(NodeAgent.create(settings("dpu-g"), directory));
        await().atMost(WAIT).untilAsserted(() -> assertThat(ovs.vsctl("list-ports", "br-int")).isEqualTo("pf0vf6"));
        awaitState(first, NodeAgent.State::ready);
        KIT.stop(first);

        // A second agent whose node entity cannot be reached (dead letters): no answer comes, through
        // several heartbeats, and nothing is cut.
        ActorRef<NodeAgent.Command> second = KIT.spawn(NodeAgent.create(settings("dpu-unknown"), directory));
        awaitState(second, NodeAgent.State::ready);
        Thread.sleep(3_500);
        assertThat(awaitState(second, NodeAgent.State::ready).ports())
            .containsExactly(new NodeAgent.PortStatus("pf0vf6", "default_si-f", true, java.util.Optional.empty()));
        assertThat(ovs.vsctl("list-ports", "br-int")).isEqualTo("pf0vf6");
        KIT.stop(second);
    }

    @Test
    void aSecondAgentOnAConvergedDatabaseWritesNothing() throws InterruptedException {
        ActorRef<DpuNodeEntity.Command> node = directory.spawnNode("dpu-d");
        // Learned from the node, so that the second agent's first answer agrees with the database.
        node.tell(new DpuNodeEntity.PortWanted(SI, "pf0vf4", "lsp-d", null));
        ActorRef<NodeAgent.Command> first = KIT.spawn(NodeAgent.create(settings("dpu-d"), directory));
        await().atMost(WAIT).untilAsserted(() -> assertThat(ovs.vsctl("list-ports", "br-int")).isEqualTo("pf0vf4"));
        awaitState(first, NodeAgent.State::ready);
        KIT.stop(first);
        long bytes = ovs.databaseBytes();

        ActorRef<NodeAgent.Command> second = KIT.spawn(NodeAgent.create(settings("dpu-d"), directory));
        NodeAgent.State state = awaitState(second, NodeAgent.State::ready);
        Thread.sleep(1500); // a heartbeat and any late pass
        state = awaitState(second, NodeAgent.State::ready);

        assertThat(state.transactions()).isZero();
        assertThat(ovs.databaseBytes()).isEqualTo(bytes); // ovsdb-server appends every commit to the file
        // The plug came back from the database and the node agrees: nothing written.
        assertThat(state.ports()).containsExactly(new NodeAgent.PortStatus("pf0vf4", "lsp-d", true, java.util.Optional.empty()));
        assertThat(ovs.vsctl("list-ports", "br-int")).isEqualTo("pf0vf4");
        KIT.stop(second);
    }

    @Test
    void unchangedFactsGoAsHeartbeatsNamingTheReportAndInFullToANodeThatRestarted() {
        // What the agent sends its node, by kind, through a proxy in front of the entity.
        java.util.concurrent.atomic.AtomicReference<ActorRef<DpuNodeEntity.Command>> entity =
            new java.util.concurrent.atomic.AtomicReference<>(directory.spawnNode("dpu-r"));
        java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> sent = new java.util.concurrent.ConcurrentHashMap<>();
        directory.route("dpu-r", KIT.spawn(org.apache.pekko.actor.typed.javadsl.Behaviors.receiveMessage(
            (DpuNodeEntity.Command c) -> {
                sent.computeIfAbsent(c.getClass().getSimpleName(), k -> new java.util.concurrent.atomic.AtomicInteger())
                    .incrementAndGet();
                entity.get().tell(c);
                return org.apache.pekko.actor.typed.javadsl.Behaviors.same();
            })));
        java.util.function.IntSupplier reports = () -> sent.getOrDefault("Report", new java.util.concurrent.atomic.AtomicInteger()).get();
        java.util.function.IntSupplier heartbeats =
            () -> sent.getOrDefault("Heartbeat", new java.util.concurrent.atomic.AtomicInteger()).get();
        NodeAgentSettings fast = NodeAgentSettings.builder("dpu-r", "10.0.100.1", NO_SOUTHBOUND)
            .datapath(NodeAgentSettings.Datapath.NETDEV).heartbeat(Duration.ofMillis(200)).ovsdbRemote(ovs.remote()).build();
        ActorRef<NodeAgent.Command> agent = KIT.spawn(NodeAgent.create(fast, directory));
        awaitState(agent, NodeAgent.State::ready);
        DpuNode first = directory.awaitNode(entity.get(), DpuNode::ready);

        // Settled: the heartbeats name the report, and they keep the node heard.
        await().atMost(WAIT).until(() -> heartbeats.getAsInt() >= 5);
        int settledReports = reports.getAsInt();
        await().atMost(WAIT).until(() -> heartbeats.getAsInt() >= 10);
        assertThat(reports.getAsInt()).isEqualTo(settledReports);
        DpuNode heard = directory.awaitNode(entity.get(), n -> n.lastHeartbeat().isAfter(first.lastHeartbeat()));
        assertThat(heard.ready()).isTrue();
        assertThat(heard.vtepIp()).isEqualTo("10.0.100.1");

        // The node's entity restarts (its controller did, or it moved): it holds no report, the
        // next heartbeat is answered so, and the agent reports in full at once.
        KIT.stop(entity.get());
        entity.set(KIT.spawn(DpuNodeEntity.create("dpu-r", directory, java.time.Clock.systemUTC()), "node-dpu-r-again"));
        DpuNode again = directory.awaitNode(entity.get(), DpuNode::ready);
        assertThat(again.vtepIp()).isEqualTo("10.0.100.1");
        assertThat(reports.getAsInt()).isGreaterThan(settledReports);
        KIT.stop(agent);
    }

    @Test
    void theSystemDatapathSwitchesHardwareOffloadOn() {
        ActorRef<DpuNodeEntity.Command> node = directory.spawnNode("dpu-e");
        NodeAgentSettings system = NodeAgentSettings.builder("dpu-e", "10.0.100.5", NO_SOUTHBOUND)
            .datapath(NodeAgentSettings.Datapath.SYSTEM).heartbeat(Duration.ofSeconds(1)).ovsdbRemote(ovs.remote()).build();
        ActorRef<NodeAgent.Command> agent = KIT.spawn(NodeAgent.create(system, directory));

        assertThat(awaitState(agent, NodeAgent.State::ready).hwOffload()).isTrue();
        assertThat(ovs.get("Open_vSwitch", ".", "other_config:hw-offload")).isEqualTo("true");
        assertThat(ovs.get("Bridge", "br-int", "datapath_type")).isEqualTo("system");
        assertThat(directory.awaitNode(node, DpuNode::ready).hwOffload()).isTrue();
        KIT.stop(agent);
    }

    private NodeAgentSettings settings(String name) {
        return ovs.agentSettings(name, "10.0.100.1", NO_SOUTHBOUND);
    }

    private static NodeAgent.State awaitState(ActorRef<NodeAgent.Command> agent, java.util.function.Predicate<NodeAgent.State> done) {
        TestProbe<NodeAgent.State> probe = KIT.createTestProbe(NodeAgent.State.class);
        NodeAgent.State[] last = new NodeAgent.State[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            agent.tell(new NodeAgent.GetState(probe.ref()));
            last[0] = probe.receiveMessage();
            return done.test(last[0]);
        });
        return last[0];
    }

}
