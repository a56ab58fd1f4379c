package io.dpuvpc.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dpuvpc.actors.entity.DpuNodeEntity;
import io.dpuvpc.actors.entity.FleetEntity;
import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.actors.model.NodePortStatus;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.ovn.lab.OvnCentral;
import io.dpuvpc.ovn.lab.OvnCentralExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against a real OVN central (NB, SB, ovn-northd) and a real local ovsdb-server, with
 * no ovn-controller: the test writes the rows ovn-controller would ({@code ovn-sbctl chassis-add},
 * {@code lsp-bind}, {@code up}) and a reprovisioned DPU's leftovers, and reads what the node
 * entity holds and what the Southbound keeps.
 */
class SouthboundObserverIT {
    @RegisterExtension
    static final OvnCentralExtension OVN = new OvnCentralExtension();
    private static final ActorTestKit KIT = ActorTestKit.create(NodeDirectory.CONFIG);
    private static final Duration WAIT = NodeDirectory.WAIT;
    private static final String VTEP = "192.168.100.1";

    @TempDir
    Path dir;
    private LocalOvsdbServer ovs;
    private final NodeDirectory directory = new NodeDirectory(KIT);
    private final List<ActorRef<NodeAgent.Command>> agents = new ArrayList<>();

    @BeforeEach
    void startOvsdb() {
        ovs = LocalOvsdbServer.create(dir);
    }

    @AfterEach
    void stopAgentsAndOvsdb() {
        // An agent left running would go on removing the next test's chassis at its address.
        agents.forEach(KIT::stop);
        ovs.close();
    }

    @AfterAll
    static void stopKit() {
        KIT.shutdownTestKit();
    }

    @Test
    void removesTheStaleChassisAndReportsTheChassisAndThePortBindings() {
        OvnCentral ovn = OVN.central();
        // A reprovisioned DPU's leftover under another system-id at our address, as the reference finds it ...
        ovn.sbctl("chassis-add", "old-a", "geneve", VTEP);
        ovn.sbctl("create", "Chassis_Private", "name=old-a");
        // ... another node at its own address, and our own chassis still at an old address.
        ovn.sbctl("chassis-add", "dpu-other", "geneve", "192.168.100.2");
        ovn.sbctl("chassis-add", "dpu-s", "geneve", "192.168.100.9");
        ActorRef<DpuNodeEntity.Command> node = directory.spawnNode("dpu-s");
        ResourceKey si = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "default", "si-s");
        node.tell(new DpuNodeEntity.PortWanted(si, "pf0vf1", "lsp-s1", null));
        agent(settings("dpu-s", VTEP));

        await().atMost(WAIT).untilAsserted(() ->
            assertThat(names(ovn.sbctl("--bare", "--columns=name", "list", "Chassis"))).containsExactly("dpu-other", "dpu-s"));
        assertThat(names(ovn.sbctl("--bare", "--columns=ip", "list", "Encap"))).containsExactly("192.168.100.2", "192.168.100.9");
        assertThat(ovn.sbctl("--bare", "--columns=name", "list", "Chassis_Private")).isEmpty();
        // Ours at an old address: ovn-controller moves it; until then it is known but not registered.
        DpuNode unregistered = directory.awaitNode(node, n -> "dpu-s".equals(n.chassisId()));
        assertThat(unregistered.chassisRegistered()).isFalse();
        assertThat(unregistered.ports()).containsExactly(new NodePortStatus("lsp-s1", "pf0vf1", null, false, false));

        // ovn-controller moves its Encap to the node's address.
        String encap = ovn.sbctl("--bare", "--columns=_uuid", "find", "Encap", "chassis_name=dpu-s").strip();
        ovn.sbctl("set", "Encap", encap, "ip=" + VTEP);
        assertThat(directory.awaitNode(node, DpuNode::chassisRegistered).chassisId()).isEqualTo("dpu-s");

        // The logical port exists (northd makes its Port_Binding), ovn-controller binds it, then says it is up.
        ovn.nbctl("ls-add", "sw-s");
        ovn.nbctl("lsp-add", "sw-s", "lsp-s1");
        await().atMost(WAIT).until(() -> !ovn.sbctl("--bare", "--columns=_uuid", "find", "Port_Binding",
            "logical_port=lsp-s1").isBlank());
        // ovn-controller claims it before its flows are in (ovn-sbctl lsp-bind alone would say up at once) ...
        String binding = ovn.sbctl("--bare", "--columns=_uuid", "find", "Port_Binding", "logical_port=lsp-s1").strip();
        ovn.sbctl("lsp-bind", "lsp-s1", "dpu-s", "--", "set", "Port_Binding", binding, "up=false");
        assertThat(directory.awaitNode(node, n -> n.ports().get(0).bound()).ports())
            .containsExactly(new NodePortStatus("lsp-s1", "pf0vf1", null, true, false));
        // ... and says it is up once they are.
        ovn.sbctl("set", "Port_Binding", binding, "up=true");
        assertThat(directory.awaitNode(node, n -> n.ports().get(0).up()).ports())
            .containsExactly(new NodePortStatus("lsp-s1", "pf0vf1", null, true, true));
        // ovs-vswitchd fills in the representor's MAC: reported too.
        ovs.vsctl("set", "Interface", "pf0vf1", "mac_in_use=\"02:00:00:00:00:11\"");
        assertThat(directory.awaitNode(node, n -> n.ports().get(0).mac() != null).ports())
            .containsExactly(new NodePortStatus("lsp-s1", "pf0vf1", "02:00:00:00:00:11", true, true));
        DpuNode reported = directory.awaitNode(node, DpuNode::ready);
        assertThat(reported.vtepIp()).isEqualTo(VTEP);
        assertThat(reported.hwOffload()).isFalse(); // netdev

        // Another node's chassis was never touched; the removal is not repeated.
        assertThat(names(ovn.sbctl("--bare", "--columns=name", "list", "Chassis"))).containsExactly("dpu-other", "dpu-s");
        ovn.sbctl("lsp-unbind", "lsp-s1");
        ovn.nbctl("ls-del", "sw-s");
        ovn.sbctl("chassis-del", "dpu-s");
        ovn.sbctl("chassis-del", "dpu-other");
    }

    @Test
    void aStaleChassisThatAppearsLaterIsRemovedToo() {
        OvnCentral ovn = OVN.central();
        ActorRef<DpuNodeEntity.Command> node = directory.spawnNode("dpu-t");
        agent(settings("dpu-t", "192.168.100.50"));
        directory.awaitNode(node, DpuNode::ready);

        // Registered by a DPU that was given this node's hostname under a generated system-id.
        ovn.sbctl("chassis-add", "5f0c6a0e-generated", "geneve", "192.168.100.77");
        ovn.sbctl("set", "Chassis", "5f0c6a0e-generated", "hostname=dpu-t");
        ovn.sbctl("chassis-add", "dpu-u", "geneve", "192.168.100.78");
        await().atMost(WAIT).untilAsserted(() ->
            assertThat(names(ovn.sbctl("--bare", "--columns=name", "list", "Chassis"))).containsExactly("dpu-u"));
        assertThat(names(ovn.sbctl("--bare", "--columns=ip", "list", "Encap"))).containsExactly("192.168.100.78");
        ovn.sbctl("chassis-del", "dpu-u");
    }

    @Test
    void aReprovisionedDpuIsRegisteredByARealOvnControllerWithoutAManualDestroy() {
        OvnCentral ovn = OVN.central();
        // The DPU's earlier life under another system-id at the same address: its Encap blocks ovn-controller's.
        ovn.sbctl("chassis-add", "old-r", "geneve", "192.168.100.70");
        ActorRef<DpuNodeEntity.Command> node = directory.spawnNode("dpu-r");
        agent(settings("dpu-r", "192.168.100.70"));
        // Started once the agent has written system-id and the encap: one started before, without a
        // vswitchd, was seen never to register.
        directory.awaitNode(node, DpuNode::ready);
        ovs.startOvnController();

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(names(ovn.sbctl("--bare", "--columns=name", "list", "Chassis"))).containsExactly("dpu-r");
            assertThat(names(ovn.sbctl("--bare", "--columns=ip", "find", "Encap", "chassis_name=dpu-r")))
                .containsExactly("192.168.100.70");
        });
        assertThat(directory.awaitNode(node, DpuNode::chassisRegistered).chassisId()).isEqualTo("dpu-r");

        // Reprovisioned again, same name and a new address: ovn-controller moves its own chassis, which stays.
        agents.forEach(KIT::stop);
        agent(settings("dpu-r", "192.168.100.71"));
        await().atMost(WAIT).untilAsserted(() ->
            assertThat(names(ovn.sbctl("--bare", "--columns=ip", "find", "Encap", "chassis_name=dpu-r")))
                .containsExactly("192.168.100.71"));
        DpuNode moved = directory.awaitNode(node, n -> n.chassisRegistered() && "192.168.100.71".equals(n.vtepIp()));
        assertThat(moved.chassisId()).isEqualTo("dpu-r");
        ovs.stopOvnController();
        ovn.sbctl("chassis-del", "dpu-r");
    }

    @Test
    void aSouthboundOutageNeitherHoldsUpTheLocalOvsNorUnplugsAndItsReturnIsObserved(@TempDir Path labDir) {
        // A central of its own, to stop and start on the same ports without the other tests'.
        OvnCentral sb = OvnCentral.builder(labDir).northd(false).stopOnJvmExit(true).start();
        try {
            String vtep = "192.168.100.60";
            sb.sbctl("chassis-add", "dpu-v", "geneve", vtep); // as ovn-controller registers it
            ActorRef<DpuNodeEntity.Command> node = directory.spawnNode("dpu-v");
            node.tell(new DpuNodeEntity.PortWanted(ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "default", "si-v"),
                "pf0vf7", "lsp-v", null));
            agent(ovs.agentSettings("dpu-v", vtep, sb.sbTcpEndpoint()));
            directory.awaitNode(node, n -> n.ready() && n.chassisRegistered() && !n.ports().isEmpty());

            sb.stop();
            // Drift while the Southbound is away is repaired; the plug stays; the last view stands.
            ovs.vsctl("del-br", "br-int");
            await().atMost(WAIT).untilAsserted(() -> assertThat(ovs.vsctl("list-ports", "br-int")).isEqualTo("pf0vf7"));
            assertThat(ovs.get("Interface", "pf0vf7", "external_ids:iface-id")).isEqualTo("lsp-v");
            DpuNode during = directory.awaitNode(node, DpuNode::ready);
            assertThat(during.chassisRegistered()).isTrue();
            assertThat(during.ports()).containsExactly(new NodePortStatus("lsp-v", "pf0vf7", null, false, false));

            // Back on the same port, with a leftover of this node's name: observed again, and removed.
            sb = OvnCentral.builder(labDir).northd(false).stopOnJvmExit(true).nbPort(sb.nbPort()).sbPort(sb.sbPort()).start();
            sb.sbctl("chassis-add", "0d9e-generated", "geneve", "192.168.100.61");
            sb.sbctl("set", "Chassis", "0d9e-generated", "hostname=dpu-v");
            OvnCentral restarted = sb;
            await().atMost(WAIT).untilAsserted(() ->
                assertThat(names(restarted.sbctl("--bare", "--columns=name", "list", "Chassis"))).containsExactly("dpu-v"));
            assertThat(directory.awaitNode(node, DpuNode::chassisRegistered).chassisId()).isEqualTo("dpu-v");
        } finally {
            sb.stop();
        }
    }

    @Test
    void theChassisOfANodeTheControllersNoLongerHearIsRemovedAndNoOtherOne() {
        OvnCentral ovn = OVN.central();
        ActorRef<FleetEntity.Command> fleet = directory.spawnFleet();
        ActorRef<DpuNodeEntity.Command> node = directory.spawnNode("dpu-w");
        agent(settings("dpu-w", "192.168.100.60"));
        directory.awaitNode(node, DpuNode::ready);
        // This node's own chassis (ovn-controller's, made by hand: no datapath here), and two DPUs that
        // were never reprovisioned: one gone for good, one alive.
        ovn.sbctl("chassis-add", "dpu-w", "geneve", "192.168.100.60");
        ovn.sbctl("chassis-add", "dpu-gone", "geneve", "192.168.100.61");
        ovn.sbctl("chassis-add", "dpu-alive", "geneve", "192.168.100.62");
        try {
            silentNodesLoseTheirChassis(ovn, fleet);
        } finally {
            ovn.sbctl("--if-exists", "chassis-del", "dpu-alive");
            ovn.sbctl("--if-exists", "chassis-del", "dpu-w");
            ovn.sbctl("--if-exists", "chassis-del", "dpu-gone");
        }
    }

    private void silentNodesLoseTheirChassis(OvnCentral ovn, ActorRef<FleetEntity.Command> fleet) {
        await().during(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() ->
            assertThat(names(ovn.sbctl("--bare", "--columns=name", "list", "Chassis"))).contains("dpu-gone", "dpu-alive"));

        // dpu-gone's entity passed its silence grace (DpuNodeEntity tells the fleet); the agent asks at its heartbeat.
        fleet.tell(new FleetEntity.NodeSilent("dpu-gone"));
        // A silent node named like this one never costs it its own chassis.
        fleet.tell(new FleetEntity.NodeSilent("dpu-w"));
        await().atMost(WAIT).untilAsserted(() ->
            assertThat(names(ovn.sbctl("--bare", "--columns=name", "list", "Chassis"))).doesNotContain("dpu-gone")
                .contains("dpu-alive", "dpu-w"));
        assertThat(names(ovn.sbctl("--bare", "--columns=ip", "list", "Encap"))).doesNotContain("192.168.100.61")
            .contains("192.168.100.62", "192.168.100.60");
    }

    private void agent(NodeAgentSettings settings) {
        agents.add(KIT.spawn(NodeAgent.create(settings, directory)));
    }

    private NodeAgentSettings settings(String name, String vtepIp) {
        return ovs.agentSettings(name, vtepIp, OVN.central().sbTcpEndpoint());
    }

    private static List<String> names(String bare) {
        return bare.lines().map(String::strip).filter(l -> !l.isEmpty()).map(l -> l.replace("\"", "")).sorted().toList();
    }
}
