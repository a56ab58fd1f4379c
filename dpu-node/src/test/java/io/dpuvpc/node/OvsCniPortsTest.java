package io.dpuvpc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.ovn.ovsdb.Row;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A service interface's port: ovs-cni's, of which the agent writes only the iface-id (LocalOvs' plans). */
class OvsCniPortsTest {
    private static final NodeAgentSettings SETTINGS = NodeAgentSettings.builder("dpu-1", "10.0.100.1", "tcp:10.0.0.1:6642")
        .build();
    private static final PortPlug SERVICE = new PortPlug("ovs-cni:my-sf", "default_si-s");

    @Test
    void theIfaceIdGoesOnTheOvsCniPortOfThePodInterfaceAndNothingElseIsWritten() {
        FakeOvs ovs = converged();
        UUID port = addOvsCniPort(ovs, "veth1a2b3c4d", "my-sf");
        addOvsCniPort(ovs, "veth99999999", "other-if");

        LocalOvs.Plan plan = LocalOvs.plan(LocalOvs.desired(SETTINGS, List.of(SERVICE)), ovs.state());

        assertThat(plan.changes()).containsExactly("set iface-id default_si-s on ovs-cni port veth1a2b3c4d");
        assertThat(plan.operations()).hasSize(1);
        ovs.transact(plan.operations());
        assertThat(ovs.byName("Interface", "veth1a2b3c4d").getStringMap("external_ids"))
            .containsEntry("iface-id", "default_si-s").containsEntry(LocalOvs.IFACE_ID_SET_BY, "node-agent");
        assertThat(ovs.byName("Interface", "veth99999999").getStringMap("external_ids")).doesNotContainKey("iface-id");
        // The port stays ovs-cni's: not marked as the agent's, still in br-int.
        assertThat(ovs.byName("Port", "veth1a2b3c4d").getStringMap("external_ids"))
            .containsEntry("owner", OvsCniPorts.OWNER_VALUE).doesNotContainKey(LocalOvs.OWNER);
        assertThat(ovs.byName("Bridge", "br-int").getSet("ports")).contains(port);
        assertThat(LocalOvs.plan(LocalOvs.desired(SETTINGS, List.of(SERVICE)), ovs.state()).isConverged()).isTrue();
        assertThat(LocalOvs.pluggedPorts(SETTINGS, ovs.state())).contains(SERVICE);
        assertThat(LocalOvs.interfaceOf(SETTINGS, ovs.state(), SERVICE.representor()))
            .map(r -> r.getString("name")).contains("veth1a2b3c4d");
    }

    @Test
    void untilThePodIsThereNothingIsWrittenAndNothingIsInConflict() {
        FakeOvs ovs = converged();

        LocalOvs.Plan plan = LocalOvs.plan(LocalOvs.desired(SETTINGS, List.of(SERVICE)), ovs.state());

        assertThat(plan.isConverged()).isTrue();
        assertThat(LocalOvs.interfaceOf(SETTINGS, ovs.state(), SERVICE.representor())).isEmpty();
    }

    @Test
    void noLongerWantedOnlyTheKeysTheAgentSetAreDeletedAndThePortStays() {
        FakeOvs ovs = converged();
        UUID port = addOvsCniPort(ovs, "veth1a2b3c4d", "my-sf");
        ovs.transact(LocalOvs.plan(LocalOvs.desired(SETTINGS, List.of(SERVICE)), ovs.state()).operations());
        Row iface = ovs.byName("Interface", "veth1a2b3c4d");
        Map<String, String> withInstalled = new java.util.TreeMap<>(iface.getStringMap("external_ids"));
        withInstalled.put("ovn-installed", "true"); // ovn-controller's
        ovs.set(iface.uuid(), "external_ids", withInstalled);

        LocalOvs.Plan plan = LocalOvs.plan(LocalOvs.desired(SETTINGS, List.of()), ovs.state());

        assertThat(plan.changes()).containsExactly("remove iface-id from ovs-cni port veth1a2b3c4d");
        ovs.transact(plan.operations());
        assertThat(ovs.byName("Interface", "veth1a2b3c4d").getStringMap("external_ids"))
            .doesNotContainKeys("iface-id", LocalOvs.IFACE_ID_SET_BY).containsEntry("ovn-installed", "true");
        assertThat(ovs.byName("Bridge", "br-int").getSet("ports")).contains(port);
        assertThat(LocalOvs.plan(LocalOvs.desired(SETTINGS, List.of()), ovs.state()).isConverged()).isTrue();
    }

    @Test
    void anIfaceIdOvsCniSetItselfIsNeitherTakenForOursNorDeleted() {
        FakeOvs ovs = converged();
        addOvsCniPort(ovs, "veth1a2b3c4d", "my-sf", Map.of("iface-id", "set-by-netconf"));

        LocalOvs.Plan plan = LocalOvs.plan(LocalOvs.desired(SETTINGS, List.of()), ovs.state());

        assertThat(plan.isConverged()).isTrue();
        assertThat(LocalOvs.pluggedPorts(SETTINGS, ovs.state())).isEmpty();
    }

    @Test
    void twoOvsCniPortsOfOnePodInterfaceAreAConflictAndGetNoIfaceId() {
        FakeOvs ovs = converged();
        addOvsCniPort(ovs, "veth1a2b3c4d", "my-sf");
        addOvsCniPort(ovs, "veth5e6f7a8b", "my-sf");

        LocalOvs.Plan plan = LocalOvs.plan(LocalOvs.desired(SETTINGS, List.of(SERVICE)), ovs.state());

        assertThat(plan.operations()).isEmpty();
        assertThat(plan.conflicts()).containsExactly("ports [veth1a2b3c4d, veth5e6f7a8b] are all ovs-cni's for pod"
            + " interface my-sf; the iface-id default_si-s is set on none");
    }

    @Test
    void aPortOfThatNameNotMadeByOvsCniIsNotIt() {
        FakeOvs ovs = converged();
        UUID iface = ovs.put("Interface", Map.of("name", "veth1", "type", "", "external_ids", Map.of()));
        UUID port = ovs.put("Port", Map.of("name", "veth1", "interfaces", Set.of(iface),
            "external_ids", Map.of("contIface", "my-sf")));
        link(ovs, port);

        assertThat(LocalOvs.plan(LocalOvs.desired(SETTINGS, List.of(SERVICE)), ovs.state()).operations()).isEmpty();
    }

    private static FakeOvs converged() {
        FakeOvs ovs = new FakeOvs();
        ovs.transact(LocalOvs.plan(LocalOvs.desired(SETTINGS, List.of()), ovs.state()).operations());
        return ovs;
    }

    private static UUID addOvsCniPort(FakeOvs ovs, String name, String contIface) {
        return addOvsCniPort(ovs, name, contIface, Map.of());
    }

    /** What ovs-cni's ADD leaves in br-int: a port named after the host veth, marked in its external_ids. */
    private static UUID addOvsCniPort(FakeOvs ovs, String name, String contIface, Map<String, String> ifaceIds) {
        UUID iface = ovs.put("Interface", Map.of("name", name, "type", "", "external_ids", ifaceIds));
        UUID port = ovs.put("Port", Map.of("name", name, "interfaces", Set.of(iface), "external_ids", Map.of(
            "owner", OvsCniPorts.OWNER_VALUE, "contIface", contIface, "contNetns", "/var/run/netns/pod-1")));
        link(ovs, port);
        return port;
    }

    private static void link(FakeOvs ovs, UUID port) {
        Row brInt = ovs.byName("Bridge", "br-int");
        Set<Object> ports = new LinkedHashSet<>(brInt.getSet("ports"));
        ports.add(port);
        ovs.set(brInt.uuid(), "ports", ports);
    }
}
