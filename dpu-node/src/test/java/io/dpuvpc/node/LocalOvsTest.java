package io.dpuvpc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.ovn.ovsdb.Operation;
import io.dpuvpc.ovn.ovsdb.Row;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LocalOvsTest {
    private static final NodeAgentSettings SYSTEM = NodeAgentSettings.builder("dpu-1", "10.0.100.1", "tcp:10.0.0.1:6642")
        .externalGateway("172.16.0.10/24", "172.16.0.1")
        .build();
    private static final NodeAgentSettings NETDEV = NodeAgentSettings.builder("dpu-1", "10.0.100.1", "tcp:10.0.0.1:6642")
        .datapath(NodeAgentSettings.Datapath.NETDEV)
        .externalBridge("br-ex", "eth-up")
        .mtu(1500)
        .build();
    private static final PortPlug VF1 = new PortPlug("pf0vf1", "lsp-a");
    private static final PortPlug VF2 = new PortPlug("pf0vf2", "lsp-b");

    @Test
    void desiredRowsFollowTheSettings() {
        LocalOvs.Desired desired = LocalOvs.desired(SYSTEM, List.of(VF2, VF1));

        assertThat(desired.externalIds()).containsExactlyInAnyOrderEntriesOf(Map.of(
            "system-id", "dpu-1", "ovn-remote", "tcp:10.0.0.1:6642", "ovn-encap-type", "geneve",
            "ovn-encap-ip", "10.0.100.1", "ovn-bridge", "br-int", "ovn-bridge-datapath-type", "system",
            "ovn-bridge-mappings", "external:br-ex"));
        assertThat(desired.otherConfig()).containsExactlyEntriesOf(Map.of("hw-offload", "true"));
        LocalOvs.DesiredBridge brInt = desired.bridges().get(0);
        assertThat(brInt).extracting(LocalOvs.DesiredBridge::name, LocalOvs.DesiredBridge::datapathType,
            LocalOvs.DesiredBridge::failMode).containsExactly("br-int", "system", "secure");
        assertThat(brInt.otherConfig()).containsEntry("disable-in-band", "true");
        assertThat(brInt.ports()).containsExactly(
            new LocalOvs.DesiredPort("br-int", "internal", null, Map.of()),
            new LocalOvs.DesiredPort("pf0vf1", "", 9000L, Map.of("iface-id", "lsp-a")),
            new LocalOvs.DesiredPort("pf0vf2", "", 9000L, Map.of("iface-id", "lsp-b")));
        LocalOvs.DesiredBridge brEx = desired.bridges().get(1);
        assertThat(brEx.name()).isEqualTo("br-ex");
        assertThat(brEx.failMode()).isNull();
        assertThat(brEx.ports()).containsExactly(
            new LocalOvs.DesiredPort("br-ex", "internal", null, Map.of()),
            new LocalOvs.DesiredPort("p0", "", 9000L, Map.of()));
    }

    @Test
    void netdevHasNoOffloadAndItsOwnMtuAndUplink() {
        LocalOvs.Desired desired = LocalOvs.desired(NETDEV, List.of(VF1));

        assertThat(desired.otherConfig()).isEmpty();
        assertThat(desired.externalIds()).containsEntry("ovn-bridge-datapath-type", "netdev");
        assertThat(desired.bridges()).allSatisfy(b -> assertThat(b.datapathType()).isEqualTo("netdev"));
        assertThat(desired.bridges().get(0).ports()).contains(new LocalOvs.DesiredPort("pf0vf1", "", 1500L,
            Map.of("iface-id", "lsp-a")));
        assertThat(desired.bridges().get(1).ports()).extracting(LocalOvs.DesiredPort::name).containsExactly("br-ex", "eth-up");
    }

    @Test
    void anEmptyDatabaseIsBuiltInOneTransactionAndThenLeftAlone() {
        FakeOvs ovs = new FakeOvs();

        LocalOvs.Plan first = LocalOvs.plan(LocalOvs.desired(SYSTEM, List.of(VF1)), ovs.state());
        assertThat(first.changes()).containsExactly("insert Open_vSwitch", "insert Port br-int into br-int",
            "insert Port pf0vf1 into br-int", "insert Bridge br-int", "insert Port br-ex into br-ex",
            "insert Port p0 into br-ex", "insert Bridge br-ex");
        ovs.transact(first.operations());

        Row root = ovs.rows("Open_vSwitch").get(0);
        assertThat(root.getStringMap("external_ids")).containsEntry("system-id", "dpu-1")
            .containsEntry("ovn-bridge-mappings", "external:br-ex");
        assertThat(root.getStringMap("other_config")).containsEntry("hw-offload", "true");
        Row brInt = ovs.byName("Bridge", "br-int");
        assertThat(brInt.getString("datapath_type")).isEqualTo("system");
        assertThat(brInt.string("fail_mode")).contains("secure");
        assertThat(brInt.getStringMap("external_ids")).containsEntry("vpc.dpu.nvidia.com/owner", "node-agent");
        assertThat(brInt.getSet("ports")).containsExactlyInAnyOrder(ovs.byName("Port", "br-int").uuid(),
            ovs.byName("Port", "pf0vf1").uuid());
        Row vf = ovs.byName("Interface", "pf0vf1");
        assertThat(vf.getStringMap("external_ids")).containsEntry("iface-id", "lsp-a")
            .containsEntry("vpc.dpu.nvidia.com/owner", "node-agent");
        assertThat(vf.integer("mtu_request")).contains(9000L);
        assertThat(ovs.byName("Interface", "br-int").getString("type")).isEqualTo("internal");

        assertThat(LocalOvs.plan(LocalOvs.desired(SYSTEM, List.of(VF1)), ovs.state()).isConverged()).isTrue();
        assertThat(ovs.transactions()).isEqualTo(1);
    }

    @Test
    void foreignRowsAndKeysAreKept() {
        FakeOvs ovs = new FakeOvs();
        UUID fooIface = ovs.put("Interface", Map.of("name", "foo0", "type", "", "external_ids", Map.of()));
        UUID fooPort = ovs.put("Port", Map.of("name", "foo0", "interfaces", Set.of(fooIface), "external_ids", Map.of()));
        UUID foo = ovs.put("Bridge", Map.of("name", "br-foo", "datapath_type", "", "ports", Set.of(fooPort),
            "other_config", Map.of(), "external_ids", Map.of("made-by", "admin")));
        ovs.put("Open_vSwitch", Map.of("bridges", Set.of(foo), "other_config", Map.of("n-handler-threads", "2"),
            "external_ids", Map.of("hostname", "dpu-1.lab", "ovn-bridge-mappings", "physnet1:br-phys,external:br-old")));
        List<Row> foreignBefore = List.of(ovs.byName("Bridge", "br-foo"), ovs.byName("Port", "foo0"),
            ovs.byName("Interface", "foo0"));

        LocalOvs.Plan plan = LocalOvs.plan(LocalOvs.desired(SYSTEM, List.of(VF1)), ovs.state());
        ovs.transact(plan.operations());

        assertThat(List.of(ovs.byName("Bridge", "br-foo"), ovs.byName("Port", "foo0"), ovs.byName("Interface", "foo0")))
            .isEqualTo(foreignBefore);
        Row root = ovs.rows("Open_vSwitch").get(0);
        assertThat(root.getStringMap("external_ids")).containsEntry("hostname", "dpu-1.lab")
            .containsEntry("ovn-bridge-mappings", "physnet1:br-phys,external:br-ex")
            .containsEntry("system-id", "dpu-1");
        assertThat(root.getStringMap("other_config")).containsEntry("n-handler-threads", "2").containsEntry("hw-offload", "true");
        assertThat(root.getSet("bridges")).hasSize(3);
        assertThat(LocalOvs.plan(LocalOvs.desired(SYSTEM, List.of(VF1)), ovs.state()).isEmpty()).isTrue();
    }

    @Test
    void anExistingBridgeIsAdoptedWithoutLosingOtherWritersKeys() {
        FakeOvs ovs = converged(List.of());
        Row brInt = ovs.byName("Bridge", "br-int");
        // ovn-controller's keys, and the bridge made by someone else: our mark gone.
        ovs.set(brInt.uuid(), "external_ids", Map.of("ct-zone-lsp-a", "3"));
        ovs.set(brInt.uuid(), "other_config", Map.of("disable-in-band", "true", "hwaddr", "02:00:00:00:00:01"));

        LocalOvs.Plan plan = LocalOvs.plan(LocalOvs.desired(SYSTEM, List.of()), ovs.state());
        assertThat(plan.changes()).containsExactly("update Bridge br-int");
        ovs.transact(plan.operations());

        assertThat(ovs.byName("Bridge", "br-int").getStringMap("external_ids")).containsExactlyInAnyOrderEntriesOf(Map.of(
            "ct-zone-lsp-a", "3", "vpc.dpu.nvidia.com/owner", "node-agent"));
        assertThat(ovs.byName("Bridge", "br-int").getStringMap("other_config")).containsEntry("hwaddr", "02:00:00:00:00:01");
    }

    @Test
    void aChangedLogicalPortReplacesOnlyTheIfaceIdKey() {
        FakeOvs ovs = converged(List.of(VF1));
        Row vf = ovs.byName("Interface", "pf0vf1");
        Map<String, String> ids = new java.util.TreeMap<>(vf.getStringMap("external_ids"));
        ids.put("ovn-installed", "true");
        ovs.set(vf.uuid(), "external_ids", ids);

        LocalOvs.Plan plan = LocalOvs.plan(LocalOvs.desired(SYSTEM, List.of(new PortPlug("pf0vf1", "lsp-z"))), ovs.state());

        assertThat(plan.operations()).hasSize(1);
        assertThat(plan.operations().get(0).toJson().toString()).isEqualTo("{\"op\":\"mutate\",\"table\":\"Interface\","
            + "\"where\":[[\"_uuid\",\"==\",[\"uuid\",\"" + vf.uuid() + "\"]]],\"mutations\":["
            + "[\"external_ids\",\"delete\",[\"set\",[\"iface-id\"]]],"
            + "[\"external_ids\",\"insert\",[\"map\",[[\"iface-id\",\"lsp-z\"]]]]]}");
        ovs.transact(plan.operations());
        assertThat(ovs.byName("Interface", "pf0vf1").getStringMap("external_ids"))
            .containsEntry("iface-id", "lsp-z").containsEntry("ovn-installed", "true");
    }

    @Test
    void unplugUnlinksOnlyOurPort() {
        FakeOvs ovs = converged(List.of(VF1, VF2));
        // ovn-controller's patch port in br-int: not ours.
        Row brInt = ovs.byName("Bridge", "br-int");
        UUID patchIface = ovs.put("Interface", Map.of("name", "patch-br-int-to-ext", "type", "patch", "external_ids", Map.of()));
        UUID patch = ovs.put("Port", Map.of("name", "patch-br-int-to-ext", "interfaces", Set.of(patchIface),
            "external_ids", Map.of("ovn-localnet-port", "ext")));
        Set<Object> ports = new java.util.LinkedHashSet<>(brInt.getSet("ports"));
        ports.add(patch);
        ovs.set(brInt.uuid(), "ports", ports);
        UUID vf2 = ovs.byName("Port", "pf0vf2").uuid();

        LocalOvs.Plan plan = LocalOvs.plan(LocalOvs.desired(SYSTEM, List.of(VF1)), ovs.state());

        assertThat(plan.changes()).containsExactly("delete Port pf0vf2");
        assertThat(plan.operations()).containsExactly(Operation.mutate("Bridge",
            List.of(io.dpuvpc.ovn.ovsdb.Mutation.delete("ports", Set.of(vf2))), io.dpuvpc.ovn.ovsdb.Condition.uuid(brInt.uuid())));
        ovs.transact(plan.operations());
        assertThat(ovs.byName("Port", "pf0vf2")).isNull();
        assertThat(ovs.byName("Interface", "pf0vf2")).isNull();
        assertThat(ovs.byName("Port", "patch-br-int-to-ext")).isNotNull();
        assertThat(ovs.byName("Port", "pf0vf1")).isNotNull();
        assertThat(LocalOvs.plan(LocalOvs.desired(SYSTEM, List.of(VF1)), ovs.state()).isEmpty()).isTrue();
    }

    @Test
    void aDeletedIntegrationBridgeIsBuiltAgain() {
        FakeOvs ovs = converged(List.of(VF1));
        Row root = ovs.rows("Open_vSwitch").get(0);
        Set<Object> bridges = new java.util.LinkedHashSet<>(root.getSet("bridges"));
        bridges.remove(ovs.byName("Bridge", "br-int").uuid());
        ovs.set(root.uuid(), "bridges", bridges); // ovs-vsctl del-br br-int
        assertThat(ovs.byName("Interface", "pf0vf1")).isNull();

        LocalOvs.Plan plan = LocalOvs.plan(LocalOvs.desired(SYSTEM, List.of(VF1)), ovs.state());
        assertThat(plan.changes()).containsExactly("update Open_vSwitch", "insert Port br-int into br-int",
            "insert Port pf0vf1 into br-int", "insert Bridge br-int");
        ovs.transact(plan.operations());

        assertThat(ovs.byName("Interface", "pf0vf1").getStringMap("external_ids")).containsEntry("iface-id", "lsp-a");
        assertThat(LocalOvs.plan(LocalOvs.desired(SYSTEM, List.of(VF1)), ovs.state()).isEmpty()).isTrue();
    }

    @Test
    void aPortInAForeignBridgeIsAConflictAndLeftAlone() {
        FakeOvs ovs = converged(List.of());
        UUID iface = ovs.put("Interface", Map.of("name", "pf0vf1", "type", "", "external_ids", Map.of()));
        UUID port = ovs.put("Port", Map.of("name", "pf0vf1", "interfaces", Set.of(iface), "external_ids", Map.of()));
        UUID foo = ovs.put("Bridge", Map.of("name", "br-foo", "datapath_type", "", "ports", Set.of(port),
            "other_config", Map.of(), "external_ids", Map.of()));
        Row root = ovs.rows("Open_vSwitch").get(0);
        Set<Object> bridges = new java.util.LinkedHashSet<>(root.getSet("bridges"));
        bridges.add(foo);
        ovs.set(root.uuid(), "bridges", bridges);

        LocalOvs.Plan plan = LocalOvs.plan(LocalOvs.desired(SYSTEM, List.of(VF1)), ovs.state());

        assertThat(plan.operations()).isEmpty();
        assertThat(plan.conflicts()).containsExactly("port pf0vf1 is in bridge [br-foo], which is not the agent's");
        assertThat(plan.isConverged()).isFalse();
    }

    @Test
    void aPortOfOursMovesBetweenOurBridges() {
        FakeOvs ovs = converged(List.of(VF1));
        NodeAgentSettings uplinkIsVf1 = NodeAgentSettings.builder("dpu-1", "10.0.100.1", "tcp:10.0.0.1:6642")
            .externalBridge("br-ex", "pf0vf1").build();

        LocalOvs.Plan plan = LocalOvs.plan(LocalOvs.desired(uplinkIsVf1, List.of()), ovs.state());
        ovs.transact(plan.operations());

        assertThat(ovs.byName("Bridge", "br-ex").getSet("ports")).contains(ovs.byName("Port", "pf0vf1").uuid());
        assertThat(ovs.byName("Bridge", "br-int").getSet("ports")).doesNotContain(ovs.byName("Port", "pf0vf1").uuid());
        assertThat(ovs.byName("Interface", "pf0vf1").getStringMap("external_ids")).containsEntry("iface-id", "lsp-a");
        assertThat(LocalOvs.plan(LocalOvs.desired(uplinkIsVf1, List.of()), ovs.state()).isEmpty()).isTrue();
    }

    @Test
    void theDatabaseRemembersThePlugs() {
        FakeOvs ovs = converged(List.of(VF1, VF2));
        ovs.put("Interface", Map.of("name", "stray", "type", "", "external_ids", Map.of("iface-id", "not-ours")));

        assertThat(LocalOvs.pluggedPorts(SYSTEM, ovs.state())).containsExactlyInAnyOrder(VF1, VF2);
        assertThat(LocalOvs.pluggedPorts(SYSTEM, new FakeOvs().state())).isEmpty();
    }

    @Test
    void bridgeMappingsKeepOtherNetworks() {
        assertThat(LocalOvs.mergeMappings(null, "external:br-ex")).isEqualTo("external:br-ex");
        assertThat(LocalOvs.mergeMappings("physnet1:br-phys", "external:br-ex")).isEqualTo("physnet1:br-phys,external:br-ex");
        assertThat(LocalOvs.mergeMappings("external:br-old, physnet1:br-phys", "external:br-ex"))
            .isEqualTo("external:br-ex,physnet1:br-phys");
        assertThat(LocalOvs.mergeMappings("external:br-ex", "external:br-ex")).isEqualTo("external:br-ex");
    }

    private static FakeOvs converged(List<PortPlug> plugs) {
        FakeOvs ovs = new FakeOvs();
        ovs.transact(LocalOvs.plan(LocalOvs.desired(SYSTEM, plugs), ovs.state()).operations());
        assertThat(LocalOvs.plan(LocalOvs.desired(SYSTEM, plugs), ovs.state()).isConverged()).isTrue();
        return ovs;
    }
}
