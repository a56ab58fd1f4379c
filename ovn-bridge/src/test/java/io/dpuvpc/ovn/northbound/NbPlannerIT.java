package io.dpuvpc.ovn.northbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.ovn.lab.OvnCentralExtension;
import io.dpuvpc.ovn.ovsdb.Condition;
import io.dpuvpc.ovn.ovsdb.DatabaseCache;
import io.dpuvpc.ovn.ovsdb.Monitor;
import io.dpuvpc.ovn.ovsdb.Mutation;
import io.dpuvpc.ovn.ovsdb.NamedUuid;
import io.dpuvpc.ovn.ovsdb.Operation;
import io.dpuvpc.ovn.ovsdb.OperationResult;
import io.dpuvpc.ovn.ovsdb.OvsdbClient;
import io.dpuvpc.ovn.ovsdb.OvsdbClientOptions;
import io.dpuvpc.ovn.ovsdb.Row;
import io.dpuvpc.ovn.ovsdb.TransactionFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link NbPlanner} against a real NB ovsdb-server: plans are transacted as they are and the
 * monitored cache must then hold exactly the desired rows, and the next plan must be empty. Each
 * test works in its own Kubernetes namespace (owners, names and ids differ), so they share one lab.
 */
class NbPlannerIT {
    static final String NB = NbTables.DATABASE;

    @RegisterExtension
    static final OvnCentralExtension OVN = new OvnCentralExtension().withoutNorthd();

    static OvsdbClient client;
    static DatabaseCache nb;

    @BeforeAll
    static void connect() throws Exception {
        client = get(OvsdbClient.connect(OvsdbClientOptions.builder(OVN.central().nbTcpEndpoint()).databases(NB).build()));
        Monitor monitor = get(client.monitor(NbTables.monitorRequest()));
        nb = monitor.cache();
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    // ---- a. one transaction, exact rows, idempotent

    @Test
    void topologyOfThreeOwnersInOneTransactionThenNothingToDo() throws Exception {
        Topology t = new Topology("a");
        Plan plan = NbPlanner.plan(nb, t.all());

        // Every parent is new: children go into their parent's insert, so 10 inserts and nothing else,
        // the parent (Logical_Router) before its children: named-uuids may be used before their insert.
        assertThat(plan.operations()).hasSize(10).allMatch(op -> op instanceof Operation.Insert);
        assertThat(plan.operations()).extracting(op -> ((Operation.Insert) op).table()).containsExactly(
                "Address_Set", "DHCP_Options", "Logical_Router", "Logical_Router_Policy", "Logical_Router_Port",
                "Logical_Router_Port", "Logical_Router_Static_Route", "Logical_Switch", "Logical_Switch_Port",
                "Logical_Switch_Port");
        assertThat(plan.summary(t.red).inserted()).hasSize(5);
        assertThat(plan.summary(t.net1).inserted()).hasSize(4);
        assertThat(plan.summary(t.si1).inserted()).containsExactly(new RowRef("Logical_Switch_Port", t.id(t.si1, "port")));
        apply(plan);

        Row router = row(t, t.red, "Logical_Router", "router");
        assertThat(router.getString("name")).isEqualTo("vpc_a_red");
        assertThat(router.getStringMap("external_ids")).isEqualTo(Map.of(
                Ownership.OWNER, "DPUVPC/a/red", Ownership.OWNER_KIND, "DPUVPC", Ownership.OWNER_NAMESPACE, "a",
                Ownership.OWNER_NAME, "red", Ownership.ID, "DPUVPC/a/red/router"));
        Row joinPort = row(t, t.red, "Logical_Router_Port", "join-port");
        Row netPort = row(t, t.net1, "Logical_Router_Port", "router-port");
        Row policy = row(t, t.red, "Logical_Router_Policy", "policy/intra-vpc");
        Row route = row(t, t.red, "Logical_Router_Static_Route", "route/default");
        assertThat(router.<UUID>getSet("ports")).containsExactlyInAnyOrder(joinPort.uuid(), netPort.uuid());
        assertThat(router.<UUID>getSet("policies")).containsExactly(policy.uuid());
        assertThat(router.<UUID>getSet("static_routes")).containsExactly(route.uuid());
        assertThat(joinPort.columns()).containsEntry("name", "lrp_a_join").containsEntry("mac", "0a:00:00:00:01:01")
                .containsEntry("networks", Set.of("100.64.0.1/16"));
        assertThat(netPort.columns()).containsEntry("name", "lrp_a_net1").containsEntry("networks", Set.of("10.0.1.1/24"));
        assertThat(netPort.getStringMap("external_ids")).containsEntry(Ownership.OWNER, "DPUVirtualNetwork/a/net1")
                .containsEntry(Ownership.ID, "DPUVirtualNetwork/a/net1/router-port").hasSize(5);
        assertThat(policy.columns()).containsEntry("priority", 200L).containsEntry("action", "allow")
                .containsEntry("match", "ip4.dst == $vpc_a_subnets").containsEntry("nexthops", Set.of());
        assertThat(route.columns()).containsEntry("ip_prefix", "0.0.0.0/0").containsEntry("nexthop", "100.64.0.2");
        Row set = row(t, t.red, "Address_Set", "subnets");
        assertThat(set.columns()).containsEntry("name", "vpc_a_subnets").containsEntry("addresses", Set.of("10.0.1.0/24"));
        // Given external_ids are kept beside ours.
        assertThat(set.getStringMap("external_ids")).containsEntry("purpose", "subnets").hasSize(6);

        Row sw = row(t, t.net1, "Logical_Switch", "switch");
        Row swRouter = row(t, t.net1, "Logical_Switch_Port", "switch/router");
        Row port = row(t, t.si1, "Logical_Switch_Port", "port");
        Row dhcp = row(t, t.net1, "DHCP_Options", "dhcp");
        assertThat(sw.columns()).containsEntry("name", "net_a_net1")
                .containsEntry("other_config", Map.of("subnet", "10.0.1.0/24", "exclude_ips", "10.0.1.1"));
        assertThat(sw.<UUID>getSet("ports")).containsExactlyInAnyOrder(swRouter.uuid(), port.uuid());
        assertThat(swRouter.columns()).containsEntry("type", "router").containsEntry("addresses", Set.of("router"))
                .containsEntry("options", Map.of("router-port", "lrp_a_net1"));
        assertThat(port.columns()).containsEntry("name", "a_si1").containsEntry("addresses", Set.of("0a:00:00:00:00:01 dynamic"))
                .containsEntry("dhcpv4_options", Set.of(dhcp.uuid()));
        assertThat(port.getStringMap("external_ids")).containsEntry(Ownership.OWNER, "ServiceInterface/a/si1").hasSize(5);
        assertThat(dhcp.columns()).containsEntry("cidr", "10.0.1.0/24")
                .containsEntry("options", Map.of("router", "10.0.1.1", "lease_time", "3600"));
        assertThat(ownedRows(t.red)).hasSize(5);
        assertThat(ownedRows(t.net1)).hasSize(4);
        assertThat(ownedRows(t.si1)).hasSize(1);

        String show = OVN.central().nbctl("show");
        assertThat(show).contains("router ", "(vpc_a_red)", "lrp_a_join", "lrp_a_net1", "switch ", "(net_a_net1)",
                "port a_si1", "addresses: [\"0a:00:00:00:00:01 dynamic\"]", "router-port: lrp_a_net1");

        Plan again = NbPlanner.plan(nb, t.all());
        assertThat(again.operations()).isEmpty();
        assertThat(again.isEmpty()).isTrue();
        assertThat(again.owners().values()).allMatch(Plan.OwnerSummary::isSettled);
    }

    // ---- b. one column changed, one update of that column

    @Test
    void oneChangedColumnIsOneUpdateOfThatColumn() throws Exception {
        Topology t = new Topology("b");
        apply(NbPlanner.plan(nb, t.all()));
        Row policy = row(t, t.red, "Logical_Router_Policy", "policy/intra-vpc");

        t.policyMatch = "ip4.dst == $vpc_b_subnets && ip4.src == 10.0.0.0/8";
        Plan plan = NbPlanner.plan(nb, t.all());
        assertThat(plan.operations()).containsExactly(Operation.update("Logical_Router_Policy",
                Map.of("match", t.policyMatch), Condition.uuid(policy.uuid())));
        assertThat(plan.summary(t.red).updated()).containsExactly(new RowRef("Logical_Router_Policy", t.id(t.red, "policy/intra-vpc")));
        apply(plan);
        Row changed = row(t, t.red, "Logical_Router_Policy", "policy/intra-vpc");
        assertThat(changed.uuid()).isEqualTo(policy.uuid());
        assertThat(changed.get("match")).isEqualTo(t.policyMatch);
        assertThat(NbPlanner.plan(nb, t.all()).isEmpty()).isTrue();
    }

    // ---- c. removing a child, then a whole owner

    @Test
    void removedChildAndRemovedOwnerAreGoneOthersUntouched() throws Exception {
        Topology t = new Topology("c");
        apply(NbPlanner.plan(nb, t.all()));
        Row router = row(t, t.red, "Logical_Router", "router");
        Row policy = row(t, t.red, "Logical_Router_Policy", "policy/intra-vpc");
        Map<String, Row> before = snapshot(t.red);

        t.withPolicy = false;
        Plan plan = NbPlanner.plan(nb, t.all());
        assertThat(plan.operations()).containsExactly(Operation.mutate("Logical_Router",
                List.of(Mutation.delete("policies", Set.of(policy.uuid()))), Condition.uuid(router.uuid())));
        assertThat(plan.deletedUuids()).containsExactly(policy.uuid());
        assertThat(plan.summary(t.red).deleted()).containsExactly(new RowRef("Logical_Router_Policy", t.id(t.red, "policy/intra-vpc")));
        apply(plan);
        assertThat(nb.table("Logical_Router_Policy").row(policy.uuid())).isEmpty();
        Map<String, Row> after = snapshot(t.red);
        before.remove("Logical_Router_Policy " + t.id(t.red, "policy/intra-vpc"));
        before.remove("Logical_Router " + t.id(t.red, "router"));
        assertThat(after.remove("Logical_Router " + t.id(t.red, "router")).<UUID>getSet("policies")).isEmpty();
        assertThat(after).isEqualTo(before);
        assertThat(NbPlanner.plan(nb, t.all()).isEmpty()).isTrue();

        // The network goes: its switch (with its port) by delete, its DHCP_Options by delete, its
        // port on the VPC's router by a mutation of that router. The VPC's rows stay as they are.
        Map<String, Row> red = snapshot(t.red);
        Row netPort = row(t, t.net1, "Logical_Router_Port", "router-port");
        Row joinPort = row(t, t.red, "Logical_Router_Port", "join-port");
        plan = NbPlanner.plan(nb, List.of(t.redRows(), OwnerRows.none(t.net1)));
        assertThat(plan.operations()).extracting(op -> op.toJson().get("op").asText() + " " + op.toJson().get("table").asText())
                .containsExactly("delete DHCP_Options", "mutate Logical_Router", "delete Logical_Switch");
        assertThat(plan.operations().get(1)).isEqualTo(Operation.mutate("Logical_Router",
                List.of(Mutation.delete("ports", Set.of(netPort.uuid()))), Condition.uuid(router.uuid())));
        assertThat(plan.summary(t.net1).deleted()).hasSize(4);
        assertThat(plan.deletedUuids()).hasSize(4);
        assertThat(plan.summary(t.red).isSettled()).isTrue();
        apply(plan);
        assertThat(ownedRows(t.net1)).isEmpty();
        Map<String, Row> redAfter = snapshot(t.red);
        assertThat(redAfter.get("Logical_Router " + t.id(t.red, "router")).<UUID>getSet("ports")).containsExactly(joinPort.uuid());
        red.remove("Logical_Router " + t.id(t.red, "router"));
        redAfter.remove("Logical_Router " + t.id(t.red, "router"));
        assertThat(redAfter).isEqualTo(red);
        // The interface's port hung on the network's switch: OVSDB collected it with the switch,
        // and its owner's next plan says why it does not come back.
        assertThat(ownedRows(t.si1)).isEmpty();
        Plan si = NbPlanner.plan(nb, List.of(t.si1Rows()));
        assertThat(si.isEmpty()).isTrue();
        assertThat(si.summary(t.si1).deferred()).containsExactly(Map.entry(
                new RowRef("Logical_Switch_Port", t.id(t.si1, "port")), "waits for Logical_Switch " + t.id(t.net1, "switch")));
    }

    // ---- d. foreign rows

    @Test
    void foreignRowsAreNeverTouched() throws Exception {
        Topology t = new Topology("d");
        // Same name as ours, and one even carrying our id key, but no owner: not ours.
        OVN.central().nbctl("ls-add", "net_d_net1", "--", "set", "Logical_Switch", "net_d_net1",
                "external_ids:\"" + Ownership.ID + "\"=\"" + t.id(t.net1, "switch") + "\"");
        OVN.central().nbctl("lsp-add", "net_d_net1", "foreign_d_port");
        OVN.central().nbctl("lr-add", "foreign_d_router");
        await().atMost(Duration.ofSeconds(5)).until(() -> foreignRows().size() == 3);
        Map<UUID, Row> foreign = foreignRows();
        assertThat(foreign.values()).anyMatch(r -> t.id(t.net1, "switch").equals(r.getStringMap("external_ids").get(Ownership.ID)));

        Plan plan = NbPlanner.plan(nb, t.all());
        assertThat(plan.summary(t.net1).inserted()).contains(new RowRef("Logical_Switch", t.id(t.net1, "switch")));
        apply(plan);
        assertThat(NbPlanner.plan(nb, t.all()).isEmpty()).isTrue();
        assertThat(nb.table("Logical_Switch").byName("net_d_net1")).hasSize(2);
        apply(NbPlanner.plan(nb, List.of(OwnerRows.none(t.red), OwnerRows.none(t.net1), OwnerRows.none(t.si1))));
        assertThat(ownedRows(t.red)).isEmpty();
        assertThat(ownedRows(t.net1)).isEmpty();
        assertThat(foreignRows()).isEqualTo(foreign);
    }

    // ---- e. drift

    @Test
    void driftIsRestoredExactly() throws Exception {
        Topology t = new Topology("e");
        apply(NbPlanner.plan(nb, t.all()));
        Row sw = row(t, t.net1, "Logical_Switch", "switch");

        // A column changed by hand: one update of that column.
        OVN.central().nbctl("set", "Logical_Switch", sw.uuid().toString(), "other_config:subnet=10.9.9.0/24");
        await().atMost(Duration.ofSeconds(5)).until(() -> !row(t, t.net1, "Logical_Switch", "switch").equals(sw));
        Plan plan = NbPlanner.plan(nb, t.all());
        assertThat(plan.operations()).containsExactly(Operation.update("Logical_Switch",
                Map.of("other_config", Map.of("subnet", "10.0.1.0/24", "exclude_ips", "10.0.1.1")), Condition.uuid(sw.uuid())));
        apply(plan);
        assertThat(content(row(t, t.net1, "Logical_Switch", "switch"))).isEqualTo(content(sw));

        // external_ids touched by hand: written back whole.
        OVN.central().nbctl("set", "Logical_Switch", sw.uuid().toString(), "external_ids:extra=1");
        await().atMost(Duration.ofSeconds(5)).until(() -> !row(t, t.net1, "Logical_Switch", "switch").equals(sw));
        plan = NbPlanner.plan(nb, t.all());
        assertThat(plan.operations()).hasSize(1);
        apply(plan);
        assertThat(content(row(t, t.net1, "Logical_Switch", "switch"))).isEqualTo(content(sw));

        // A port deleted by hand: inserted again and linked into its switch.
        OVN.central().nbctl("lsp-del", "e_si1");
        await().atMost(Duration.ofSeconds(5)).until(() -> ownedRows(t.si1).isEmpty());
        plan = NbPlanner.plan(nb, t.all());
        assertThat(plan.operations()).hasSize(2);
        assertThat(plan.operations().get(0)).isInstanceOf(Operation.Insert.class);
        assertThat(plan.operations().get(1).toJson().toString()).contains("\"mutate\"", "Logical_Switch", "named-uuid",
                sw.uuid().toString());
        apply(plan);
        Row port = row(t, t.si1, "Logical_Switch_Port", "port");
        assertThat(row(t, t.net1, "Logical_Switch", "switch").<UUID>getSet("ports")).contains(port.uuid());
        assertThat(NbPlanner.plan(nb, t.all()).isEmpty()).isTrue();

        // The VPC router deleted by hand, with every port on it (the network's too): all back.
        OVN.central().nbctl("lr-del", "vpc_e_red");
        await().atMost(Duration.ofSeconds(5)).until(() -> ownedRows(t.red).size() == 1); // the Address_Set
        plan = NbPlanner.plan(nb, t.all());
        assertThat(plan.summary(t.red).inserted()).hasSize(4);
        assertThat(plan.summary(t.net1).inserted()).containsExactly(new RowRef("Logical_Router_Port", t.id(t.net1, "router-port")));
        assertThat(plan.operations()).hasSize(5).allMatch(op -> op instanceof Operation.Insert);
        apply(plan);
        assertThat(ownedRows(t.red)).hasSize(5);
        assertThat(row(t, t.red, "Logical_Router", "router").<UUID>getSet("ports")).hasSize(2);
        assertThat(NbPlanner.plan(nb, t.all()).isEmpty()).isTrue();
    }

    // ---- f. deferred

    @Test
    void rowWaitingForItsParentIsDeferredThenWritten() throws Exception {
        Topology t = new Topology("f");
        Plan plan = NbPlanner.plan(nb, List.of(t.si1Rows()));
        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.summary(t.si1).deferred()).containsExactly(Map.entry(
                new RowRef("Logical_Switch_Port", t.id(t.si1, "port")), "waits for Logical_Switch " + t.id(t.net1, "switch")));

        // A reference to a row nobody writes defers the row too; its children wait with it.
        t.withDhcp = false;
        plan = NbPlanner.plan(nb, List.of(t.netRows(), t.si1Rows()));
        assertThat(plan.summary(t.si1).deferred()).containsExactly(Map.entry(
                new RowRef("Logical_Switch_Port", t.id(t.si1, "port")), "waits for DHCP_Options " + t.id(t.net1, "dhcp")));
        assertThat(plan.summary(t.net1).deferred()).containsExactly(Map.entry(
                new RowRef("Logical_Router_Port", t.id(t.net1, "router-port")), "waits for Logical_Router " + t.id(t.red, "router")));
        apply(plan);
        assertThat(ownedRows(t.net1)).hasSize(2);
        assertThat(ownedRows(t.si1)).isEmpty();

        t.withDhcp = true;
        apply(NbPlanner.plan(nb, List.of(t.redRows(), t.netRows())));
        plan = NbPlanner.plan(nb, List.of(t.si1Rows()));
        assertThat(plan.summary(t.si1).deferred()).isEmpty();
        assertThat(plan.summary(t.si1).inserted()).hasSize(1);
        assertThat(plan.operations()).hasSize(2); // insert, mutate of the switch
        apply(plan);
        assertThat(ownedRows(t.si1)).hasSize(1);
        assertThat(NbPlanner.plan(nb, t.all()).isEmpty()).isTrue();
    }

    // ---- g. duplicates

    @Test
    void duplicatesOfOneIdAreReducedToOne() throws Exception {
        Topology t = new Topology("g");
        apply(NbPlanner.plan(nb, t.all()));
        Row sw = row(t, t.net1, "Logical_Switch", "switch");
        Row port = row(t, t.si1, "Logical_Switch_Port", "port");
        // A second switch with the same owner and id, and a second port (another name: names of
        // ports are unique) with the port's external_ids, in both switches.
        get(client.transact(NB,
                Operation.insert("Logical_Switch_Port").value("name", "g_si1_dup")
                        .value("external_ids", port.getStringMap("external_ids")).withUuidName("dupport"),
                Operation.insert("Logical_Switch").value("name", "net_g_net1").value("ports", Set.of(new NamedUuid("dupport")))
                        .value("external_ids", sw.getStringMap("external_ids")),
                Operation.mutate("Logical_Switch", List.of(Mutation.insert("ports", Set.of(new NamedUuid("dupport")))),
                        Condition.uuid(sw.uuid()))));
        await().atMost(Duration.ofSeconds(5)).until(() -> ownedRows(t.net1).size() == 5 && ownedRows(t.si1).size() == 2);

        Plan plan = NbPlanner.plan(nb, t.all());
        assertThat(plan.deletedUuids()).hasSize(2);
        apply(plan);
        assertThat(nb.table("Logical_Switch").byExternalId(Ownership.ID, t.id(t.net1, "switch"))).hasSize(1);
        assertThat(nb.table("Logical_Switch_Port").byExternalId(Ownership.ID, t.id(t.si1, "port"))).hasSize(1);
        Row kept = row(t, t.net1, "Logical_Switch", "switch");
        assertThat(kept.<UUID>getSet("ports")).containsExactlyInAnyOrder(row(t, t.net1, "Logical_Switch_Port", "switch/router").uuid(),
                row(t, t.si1, "Logical_Switch_Port", "port").uuid());
        assertThat(NbPlanner.plan(nb, t.all()).isEmpty()).isTrue();
    }

    // ---- the rule on parent columns, and what ovsdb-server does with named-uuids

    @Test
    void parentListingItsChildrenColumnIsRefused() {
        Topology t = new Topology("h");
        ResourceKey owner = t.net1;
        OwnerRows rows = new OwnerRows(owner, List.of(
                DesiredRow.root("Logical_Switch", t.id(owner, "switch"), Map.of("name", "x", "ports", Set.of())),
                DesiredRow.child("Logical_Switch_Port", t.id(owner, "p"), Map.of("name", "h_p"),
                        new ParentLink("Logical_Switch", t.id(owner, "switch"), "ports"))));
        assertThatThrownBy(() -> NbPlanner.plan(nb, List.of(rows))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lists column ports").hasMessageContaining("linked by mutations only");
        OwnerRows orphan = new OwnerRows(owner, List.of(DesiredRow.root("Logical_Switch_Port", t.id(owner, "p"), Map.of())));
        assertThatThrownBy(() -> NbPlanner.plan(nb, List.of(orphan))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a parent");
    }

    /**
     * Pins what ovsdb-server does with a named-uuid: usable in row values before the insert that
     * defines it (the planner relies on that), and in a where condition, where it matches the
     * row only after its insert.
     */
    @Test
    void namedUuidsInValuesAndConditions() throws Exception {
        // In a value, before its insert: accepted, the switch gets the port.
        List<OperationResult> results = get(client.transact(NB,
                Operation.insert("Logical_Switch").value("name", "nu_ls1").value("ports", Set.of(new NamedUuid("p"))),
                Operation.insert("Logical_Switch_Port").value("name", "nu_p1").withUuidName("p")));
        await().atMost(Duration.ofSeconds(5)).until(() -> nb.table("Logical_Switch").row(results.get(0).uuid())
                .map(r -> r.getSet("ports").contains(results.get(1).uuid())).orElse(false));

        // In a condition after the insert: matches the new row.
        List<OperationResult> after = get(client.transact(NB,
                Operation.insert("Logical_Switch").value("name", "nu_ls2").withUuidName("ls"),
                Operation.mutate("Logical_Switch", List.of(Mutation.insert("external_ids", Map.of("k", "v"))),
                        Condition.eq("_uuid", new NamedUuid("ls")))));
        assertThat(after.get(1).count()).isEqualTo(1);

        // In a condition before the insert: accepted, but matches nothing (the row does not exist yet).
        List<OperationResult> before = get(client.transact(NB,
                Operation.mutate("Logical_Switch", List.of(Mutation.insert("external_ids", Map.of("k", "v"))),
                        Condition.eq("_uuid", new NamedUuid("ls"))),
                Operation.insert("Logical_Switch").value("name", "nu_ls3").withUuidName("ls")));
        assertThat(before.get(0).count()).isEqualTo(0);

        // A named-uuid that no insert defines fails the transaction.
        assertThatThrownBy(() -> get(client.transact(NB, Operation.insert("Logical_Switch").value("name", "nu_ls4")
                .value("ports", Set.of(new NamedUuid("nowhere")))))).isInstanceOf(TransactionFailedException.class);
    }

    // ---- helpers

    /** The rows of the three owners of one namespace, with knobs the tests turn. */
    static final class Topology {
        final String ns;
        final ResourceKey red;
        final ResourceKey net1;
        final ResourceKey si1;
        String policyMatch;
        boolean withPolicy = true;
        boolean withDhcp = true;

        Topology(String ns) {
            this.ns = ns;
            red = ResourceKey.namespaced(ResourceKind.DPU_VPC, ns, "red");
            net1 = ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, ns, "net1");
            si1 = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, ns, "si1");
            policyMatch = "ip4.dst == $vpc_" + ns + "_subnets";
        }

        String id(ResourceKey owner, String role) {
            return NbNames.id(owner, role);
        }

        List<OwnerRows> all() {
            return List.of(redRows(), netRows(), si1Rows());
        }

        OwnerRows redRows() {
            String router = id(red, "router");
            List<DesiredRow> rows = new ArrayList<>();
            rows.add(DesiredRow.root("Logical_Router", router, Map.of("name", "vpc_" + ns + "_red")));
            rows.add(DesiredRow.child("Logical_Router_Port", id(red, "join-port"), Map.of("name", "lrp_" + ns + "_join",
                    "mac", "0a:00:00:00:01:01", "networks", Set.of("100.64.0.1/16")), new ParentLink("Logical_Router", router, "ports")));
            rows.add(DesiredRow.root("Address_Set", id(red, "subnets"), Map.of("name", "vpc_" + ns + "_subnets",
                    "addresses", Set.of("10.0.1.0/24"), "external_ids", Map.of("purpose", "subnets"))));
            if (withPolicy) {
                // An Integer priority and an empty set: normalised to what the cache holds.
                rows.add(DesiredRow.child("Logical_Router_Policy", id(red, "policy/intra-vpc"), Map.of("priority", 200,
                        "match", policyMatch, "action", "allow", "nexthops", Set.of()),
                        new ParentLink("Logical_Router", router, "policies")));
            }
            rows.add(DesiredRow.child("Logical_Router_Static_Route", id(red, "route/default"), Map.of("ip_prefix", "0.0.0.0/0",
                    "nexthop", "100.64.0.2"), new ParentLink("Logical_Router", router, "static_routes")));
            return new OwnerRows(red, rows);
        }

        OwnerRows netRows() {
            String sw = id(net1, "switch");
            List<DesiredRow> rows = new ArrayList<>();
            rows.add(DesiredRow.root("Logical_Switch", sw, Map.of("name", "net_" + ns + "_net1",
                    "other_config", Map.of("subnet", "10.0.1.0/24", "exclude_ips", "10.0.1.1"))));
            rows.add(DesiredRow.child("Logical_Switch_Port", id(net1, "switch/router"), Map.of("name", ns + "_net1_rtr",
                    "type", "router", "addresses", "router", "options", Map.of("router-port", "lrp_" + ns + "_net1")),
                    new ParentLink("Logical_Switch", sw, "ports")));
            rows.add(DesiredRow.child("Logical_Router_Port", id(net1, "router-port"), Map.of("name", "lrp_" + ns + "_net1",
                    "mac", "0a:00:00:00:02:01", "networks", Set.of("10.0.1.1/24")),
                    new ParentLink("Logical_Router", id(red, "router"), "ports")));
            if (withDhcp) {
                rows.add(DesiredRow.root("DHCP_Options", id(net1, "dhcp"), Map.of("cidr", "10.0.1.0/24",
                        "options", Map.of("router", "10.0.1.1", "lease_time", "3600"))));
            }
            return new OwnerRows(net1, rows);
        }

        OwnerRows si1Rows() {
            // A scalar for a set column (addresses) becomes a one-element set.
            Map<String, Object> lsp = new LinkedHashMap<>();
            lsp.put("name", ns + "_si1");
            lsp.put("addresses", "0a:00:00:00:00:01 dynamic");
            lsp.put("dhcpv4_options", new RowRef("DHCP_Options", id(net1, "dhcp")));
            return new OwnerRows(si1, List.of(DesiredRow.child("Logical_Switch_Port", id(si1, "port"), lsp,
                    new ParentLink("Logical_Switch", id(net1, "switch"), "ports"))));
        }
    }

    /**
     * Transacts a plan and waits until the cache shows it: inserted rows present, removed rows
     * gone, updated columns as written.
     */
    static void apply(Plan plan) throws Exception {
        if (plan.isEmpty()) {
            return;
        }
        List<OperationResult> results = get(client.transact(NB, plan.operations()));
        List<Runnable> checks = new ArrayList<>();
        for (int i = 0; i < plan.operations().size(); i++) {
            Operation op = plan.operations().get(i);
            if (op instanceof Operation.Insert insert) {
                UUID uuid = results.get(i).uuid();
                checks.add(() -> assertThat(nb.table(insert.table()).row(uuid)).isPresent());
            } else if (op instanceof Operation.Update update) {
                UUID uuid = (UUID) update.where().get(0).value();
                update.row().forEach((column, value) -> {
                    if (!(value instanceof Set<?> s && s.stream().anyMatch(NamedUuid.class::isInstance))) {
                        checks.add(() -> assertThat(nb.table(update.table()).row(uuid).orElseThrow().get(column)).isEqualTo(value));
                    }
                });
            }
        }
        plan.deletedUuids().forEach(uuid -> checks.add(() -> assertThat(NbTables.MANAGED.stream()
                .anyMatch(table -> nb.table(table).row(uuid).isPresent())).isFalse()));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> checks.forEach(Runnable::run));
    }

    static Row row(Topology t, ResourceKey owner, String table, String role) {
        List<Row> rows = nb.table(table).byExternalId(Ownership.ID, t.id(owner, role));
        assertThat(rows).as(table + " " + t.id(owner, role)).hasSize(1);
        return rows.get(0);
    }

    /** A row's columns but {@code _version}, which every write changes. */
    static Map<String, Object> content(Row row) {
        Map<String, Object> columns = new LinkedHashMap<>(row.columns());
        columns.remove("_version");
        return columns;
    }

    static List<Row> ownedRows(ResourceKey owner) {
        return NbTables.MANAGED.stream().flatMap(table -> nb.table(table)
                .byExternalId(Ownership.OWNER, Ownership.ownerValue(owner)).stream()).toList();
    }

    /** An owner's rows by "table id", to compare before and after. */
    static Map<String, Row> snapshot(ResourceKey owner) {
        Map<String, Row> rows = new LinkedHashMap<>();
        ownedRows(owner).forEach(r -> rows.put(r.table() + " " + r.getStringMap("external_ids").get(Ownership.ID), r));
        return rows;
    }

    static Map<UUID, Row> foreignRows() {
        Map<UUID, Row> rows = new LinkedHashMap<>();
        NbTables.MANAGED.forEach(table -> nb.table(table).rows().stream()
                .filter(r -> !r.getStringMap("external_ids").containsKey(Ownership.OWNER))
                .filter(r -> Arrays.asList("net_d_net1", "foreign_d_port", "foreign_d_router").contains(r.get("name")))
                .forEach(r -> rows.put(r.uuid(), r)));
        return rows;
    }

    static <T> T get(CompletionStage<T> stage) throws Exception {
        return io.dpuvpc.ovn.ovsdb.OvsdbOperationsIT.await(stage);
    }
}
