package io.dpuvpc.ovn.ovsdb.typed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dpuvpc.ovn.lab.ExternalCommand;
import io.dpuvpc.ovn.lab.OvnCentral;
import io.dpuvpc.ovn.ovsdb.DatabaseCache;
import io.dpuvpc.ovn.ovsdb.OvsdbClient;
import io.dpuvpc.ovn.ovsdb.OvsdbClientOptions;
import io.dpuvpc.ovn.ovsdb.typed.nb.Acl;
import io.dpuvpc.ovn.ovsdb.typed.nb.AddressSet;
import io.dpuvpc.ovn.ovsdb.typed.nb.DhcpOptions;
import io.dpuvpc.ovn.ovsdb.typed.nb.GatewayChassis;
import io.dpuvpc.ovn.ovsdb.typed.nb.HaChassis;
import io.dpuvpc.ovn.ovsdb.typed.nb.HaChassisGroup;
import io.dpuvpc.ovn.ovsdb.typed.nb.LogicalRouter;
import io.dpuvpc.ovn.ovsdb.typed.nb.LogicalRouterPolicy;
import io.dpuvpc.ovn.ovsdb.typed.nb.LogicalRouterPort;
import io.dpuvpc.ovn.ovsdb.typed.nb.LogicalRouterStaticRoute;
import io.dpuvpc.ovn.ovsdb.typed.nb.LogicalSwitch;
import io.dpuvpc.ovn.ovsdb.typed.nb.LogicalSwitchPort;
import io.dpuvpc.ovn.ovsdb.typed.nb.Nat;
import io.dpuvpc.ovn.ovsdb.typed.nb.Northbound;
import io.dpuvpc.ovn.ovsdb.typed.nb.PortGroup;
import io.dpuvpc.ovn.ovsdb.typed.sb.Chassis;
import io.dpuvpc.ovn.ovsdb.typed.sb.ChassisPrivate;
import io.dpuvpc.ovn.ovsdb.typed.sb.Encap;
import io.dpuvpc.ovn.ovsdb.typed.sb.PortBinding;
import io.dpuvpc.ovn.ovsdb.typed.sb.Southbound;
import io.dpuvpc.ovn.ovsdb.typed.vswitch.Bridge;
import io.dpuvpc.ovn.ovsdb.typed.vswitch.Interface;
import io.dpuvpc.ovn.ovsdb.typed.vswitch.OpenVswitch;
import io.dpuvpc.ovn.ovsdb.typed.vswitch.OpenVswitchConfig;
import io.dpuvpc.ovn.ovsdb.typed.vswitch.Port;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every view against real servers: NB and SB of a real OVN central (with ovn-northd) and a real
 * Open_vSwitch ovsdb-server. Each database's views are checked against the schema the server
 * sends, rows are written with the OVN/OVS command-line tools, and the records read back through
 * a monitor of exactly the views' columns must equal what was written.
 */
class TypedViewsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static OvnCentral ovn;
    static OvsdbClient nb;
    static OvsdbClient sb;

    @BeforeAll
    static void start() {
        ovn = OvnCentral.builder(dir.resolve("ovn")).stopOnJvmExit(true).start();
        nb = join(OvsdbClient.connect(OvsdbClientOptions.builder(ovn.nbTcpEndpoint()).build()));
        sb = join(OvsdbClient.connect(OvsdbClientOptions.builder(ovn.sbTcpEndpoint()).build()));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {nb, sb, ovn}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                System.err.println("TypedViewsIT: could not close " + closeable + ": " + e);
            }
        }
    }

    @Test
    void everyNorthboundAndSouthboundViewFitsTheServersSchema() {
        Northbound.VIEWS.verifyAll(nb.schema(Northbound.DATABASE));
        Southbound.VIEWS.verifyAll(sb.schema(Southbound.DATABASE));
        for (TableView<?> view : Northbound.VIEWS.views()) {
            view.verify(join(nb.getSchema(Northbound.DATABASE)));
        }
    }

    @Test
    void northboundRowsReadBackAsWritten() {
        ovn.nbctl("ls-add", "sw0", "--", "set", "Logical_Switch", "sw0", "external_ids:vpc=vpc1",
            "other_config:subnet=10.0.0.0/24");
        ovn.nbctl("lsp-add", "sw0", "sw0-p1", "--", "lsp-set-addresses", "sw0-p1", "00:00:00:00:00:01 10.0.0.11",
            "--", "lsp-set-port-security", "sw0-p1", "00:00:00:00:00:01 10.0.0.11", "--", "lsp-set-enabled", "sw0-p1", "enabled",
            "--", "set", "Logical_Switch_Port", "sw0-p1", "external_ids:vpc=vpc1");
        ovn.nbctl("lsp-add", "sw0", "sw0-p1-c10", "sw0-p1", "10");
        ovn.nbctl("dhcp-options-create", "10.0.0.0/24", "vpc=vpc1");
        UUID dhcp = nbFind("DHCP_Options", "cidr=\"10.0.0.0/24\"");
        ovn.nbctl("dhcp-options-set-options", dhcp.toString(), "lease_time=3600", "router=10.0.0.1", "server_id=10.0.0.1",
            "server_mac=c0:ff:ee:00:00:01");
        ovn.nbctl("lsp-set-dhcpv4-options", "sw0-p1", dhcp.toString());

        ovn.nbctl("lr-add", "lr0", "--", "set", "Logical_Router", "lr0", "external_ids:vpc=vpc1");
        ovn.nbctl("lrp-add", "lr0", "lrp0", "00:00:00:00:ff:01", "10.0.0.1/24");
        ovn.nbctl("lrp-add", "lr0", "lrp-ext", "00:00:00:00:ff:02", "172.16.0.1/24");
        ovn.nbctl("lsp-add", "sw0", "sw0-lr0", "--", "lsp-set-type", "sw0-lr0", "router", "--", "lsp-set-addresses", "sw0-lr0",
            "router", "--", "lsp-set-options", "sw0-lr0", "router-port=lrp0");
        ovn.nbctl("--policy=src-ip", "--route-table=rt1", "lr-route-add", "lr0", "10.1.0.0/16", "172.16.0.254", "lrp-ext");
        ovn.nbctl("lr-route-add", "lr0", "0.0.0.0/0", "172.16.0.1");
        ovn.nbctl("lr-policy-add", "lr0", "100", "ip4.src == 10.0.0.0/24", "reroute", "172.16.0.253", "pkt_mark=5");
        ovn.nbctl("lr-nat-add", "lr0", "dnat_and_snat", "172.16.0.10", "10.0.0.11", "sw0-p1", "00:00:00:00:01:10");
        ovn.nbctl("lr-nat-add", "lr0", "snat", "172.16.0.1", "10.0.0.0/24");
        ovn.nbctl("lrp-set-gateway-chassis", "lrp-ext", "ch1", "10");

        ovn.nbctl("create", "Address_Set", "name=as1", "addresses=[\"10.0.0.11\",\"10.0.0.12\"]", "external_ids:vpc=vpc1");
        ovn.nbctl("pg-add", "pg1", "sw0-p1", "--", "set", "Port_Group", "pg1", "external_ids:vpc=vpc1");
        ovn.nbctl("--name=allow-ssh", "--severity=info", "--log", "--label=1234", "acl-add", "pg1", "to-lport", "1000",
            "outport == @pg1 && tcp.dst == 22", "allow-related");
        ovn.nbctl("acl-add", "sw0", "from-lport", "900", "ip4", "allow");
        ovn.nbctl("ha-chassis-group-add", "hag1", "--", "set", "HA_Chassis_Group", "hag1", "external_ids:vpc=vpc1");
        ovn.nbctl("ha-chassis-group-add-chassis", "hag1", "ch2", "20");
        ovn.awaitNorthdSync(TIMEOUT);

        DatabaseCache cache = join(nb.monitor(Northbound.VIEWS.monitorRequest())).cache();

        UUID p1 = nbFind("Logical_Switch_Port", "name=sw0-p1");
        UUID child = nbFind("Logical_Switch_Port", "name=sw0-p1-c10");
        UUID routerPort = nbFind("Logical_Switch_Port", "name=sw0-lr0");
        UUID acl1 = nbFind("ACL", "priority=1000");
        UUID acl2 = nbFind("ACL", "priority=900");
        LogicalSwitch sw0 = new LogicalSwitch(nbFind("Logical_Switch", "name=sw0"), "sw0", Set.of(p1, child, routerPort),
            Set.of(acl2), Map.of("subnet", "10.0.0.0/24"), Map.of("vpc", "vpc1"));
        assertThat(LogicalSwitch.TABLE.byName(cache, "sw0")).containsExactly(sw0);
        assertThat(LogicalSwitch.TABLE.byExternalId(cache, "vpc", "vpc1")).containsExactly(sw0);

        LogicalSwitchPort port = new LogicalSwitchPort(p1, "sw0-p1", "", Set.of("00:00:00:00:00:01 10.0.0.11"),
            Set.of("00:00:00:00:00:01 10.0.0.11"), Optional.empty(), Optional.of(true), Optional.of(false), Optional.empty(),
            Optional.empty(), Optional.of(dhcp), Optional.empty(), Optional.empty(), Map.of(), Map.of("vpc", "vpc1"));
        assertThat(LogicalSwitchPort.TABLE.find(cache, p1)).contains(port);
        assertThat(LogicalSwitchPort.TABLE.byName(cache, "sw0-p1-c10")).containsExactly(new LogicalSwitchPort(child,
            "sw0-p1-c10", "", Set.of(), Set.of(), Optional.empty(), Optional.empty(), Optional.of(false), Optional.of("sw0-p1"),
            Optional.of(10L), Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), Map.of()));
        assertThat(LogicalSwitchPort.TABLE.byName(cache, "sw0-lr0")).containsExactly(new LogicalSwitchPort(routerPort,
            "sw0-lr0", "router", Set.of("router"), Set.of(), Optional.empty(), Optional.empty(), Optional.of(true),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Map.of("router-port", "lrp0"), Map.of()));
        assertThat(DhcpOptions.TABLE.find(cache, dhcp)).contains(new DhcpOptions(dhcp, "10.0.0.0/24", Map.of("lease_time", "3600",
            "router", "10.0.0.1", "server_id", "10.0.0.1", "server_mac", "c0:ff:ee:00:00:01"), Map.of("vpc", "vpc1")));

        UUID lrp0 = nbFind("Logical_Router_Port", "name=lrp0");
        UUID lrpExt = nbFind("Logical_Router_Port", "name=lrp-ext");
        UUID gatewayChassis = nbFind("Gateway_Chassis", "name=lrp-ext-ch1");
        UUID sourceRoute = nbFind("Logical_Router_Static_Route", "ip_prefix=\"10.1.0.0/16\"");
        UUID defaultRoute = nbFind("Logical_Router_Static_Route", "ip_prefix=\"0.0.0.0/0\"");
        UUID policy = nbFind("Logical_Router_Policy", "priority=100");
        UUID floatingIp = nbFind("NAT", "type=dnat_and_snat");
        UUID snat = nbFind("NAT", "type=snat");
        assertThat(LogicalRouter.TABLE.byName(cache, "lr0")).containsExactly(new LogicalRouter(nbFind("Logical_Router",
            "name=lr0"), "lr0", Set.of(lrp0, lrpExt), Set.of(sourceRoute, defaultRoute), Set.of(policy), Set.of(floatingIp, snat),
            Optional.empty(), Map.of(), Map.of("vpc", "vpc1")));
        assertThat(LogicalRouterPort.TABLE.find(cache, lrpExt)).contains(new LogicalRouterPort(lrpExt, "lrp-ext",
            "00:00:00:00:ff:02", Set.of("172.16.0.1/24"), Optional.empty(), Optional.empty(), Set.of(gatewayChassis),
            Optional.empty(), Map.of(), Map.of()));
        assertThat(LogicalRouterStaticRoute.TABLE.all(cache)).containsExactlyInAnyOrder(
            new LogicalRouterStaticRoute(sourceRoute, "10.1.0.0/16", "172.16.0.254", Optional.of("src-ip"), Optional.of("lrp-ext"),
                "rt1", Map.of(), Map.of()),
            new LogicalRouterStaticRoute(defaultRoute, "0.0.0.0/0", "172.16.0.1", Optional.empty(), Optional.empty(), "",
                Map.of(), Map.of()));
        assertThat(LogicalRouterPolicy.TABLE.all(cache)).containsExactly(new LogicalRouterPolicy(policy, 100,
            "ip4.src == 10.0.0.0/24", "reroute", Optional.empty(), Set.of("172.16.0.253"), Map.of("pkt_mark", "5"), Map.of()));
        assertThat(Nat.TABLE.all(cache)).containsExactlyInAnyOrder(
            new Nat(floatingIp, "dnat_and_snat", "172.16.0.10", "10.0.0.11", Optional.of("00:00:00:00:01:10"),
                Optional.of("sw0-p1"), "", Optional.empty(), Map.of("stateless", "false"), Map.of()),
            new Nat(snat, "snat", "172.16.0.1", "10.0.0.0/24", Optional.empty(), Optional.empty(), "", Optional.empty(),
                Map.of("stateless", "false"), Map.of()));
        assertThat(GatewayChassis.TABLE.byName(cache, "lrp-ext-ch1")).containsExactly(new GatewayChassis(gatewayChassis,
            "lrp-ext-ch1", "ch1", 10, Map.of(), Map.of()));

        assertThat(AddressSet.TABLE.byName(cache, "as1")).containsExactly(new AddressSet(nbFind("Address_Set", "name=as1"),
            "as1", Set.of("10.0.0.11", "10.0.0.12"), Map.of("vpc", "vpc1")));
        assertThat(PortGroup.TABLE.byName(cache, "pg1")).containsExactly(new PortGroup(nbFind("Port_Group", "name=pg1"), "pg1",
            Set.of(p1), Set.of(acl1), Map.of("vpc", "vpc1")));
        assertThat(Acl.TABLE.all(cache)).containsExactlyInAnyOrder(
            new Acl(acl1, Optional.of("allow-ssh"), 1000, "to-lport", "outport == @pg1 && tcp.dst == 22", "allow-related", true,
                Optional.of("info"), Optional.empty(), 1234, Map.of(), Map.of()),
            new Acl(acl2, Optional.empty(), 900, "from-lport", "ip4", "allow", false, Optional.empty(), Optional.empty(), 0,
                Map.of(), Map.of()));
        UUID haChassis = nbFind("HA_Chassis", "chassis_name=ch2");
        assertThat(HaChassisGroup.TABLE.byName(cache, "hag1")).containsExactly(new HaChassisGroup(nbFind("HA_Chassis_Group",
            "name=hag1"), "hag1", Set.of(haChassis), Map.of("vpc", "vpc1")));
        assertThat(HaChassis.TABLE.all(cache)).containsExactly(new HaChassis(haChassis, "ch2", 20, Map.of()));

        // The cache follows changes, and the views read the new rows.
        ovn.nbctl("lsp-set-addresses", "sw0-p1", "00:00:00:00:00:01 10.0.0.21");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(LogicalSwitchPort.TABLE.find(cache, p1).orElseThrow().addresses())
            .containsExactly("00:00:00:00:00:01 10.0.0.21"));
    }

    @Test
    void southboundRowsReadBackAsWritten() {
        ovn.sbctl("chassis-add", "dpu-1", "geneve", "192.0.2.1");
        ovn.sbctl("set", "Chassis", "dpu-1", "hostname=dpu-1.example", "transport_zones=tz1", "other_config:datapath-type=netdev",
            "external_ids:rack=r7");
        UUID chassis = sbFind("Chassis", "name=dpu-1");
        UUID chassisPrivate = UUID.fromString(ovn.sbctl("create", "Chassis_Private", "name=dpu-1", "chassis=" + chassis,
            "nb_cfg=3", "nb_cfg_timestamp=1700000000000", "external_ids:agent=dpu-node").strip());
        ovn.nbctl("ls-add", "sb-sw");
        ovn.nbctl("lsp-add", "sb-sw", "sb-p1", "--", "lsp-set-addresses", "sb-p1", "00:00:00:00:00:aa 10.9.0.5",
            "--", "lsp-set-options", "sb-p1", "requested-chassis=dpu-1");
        ovn.awaitNorthdSync(TIMEOUT);
        ovn.sbctl("lsp-bind", "sb-p1", "dpu-1");

        DatabaseCache cache = join(sb.monitor(Southbound.VIEWS.monitorRequest())).cache();

        UUID encap = sbFind("Encap", "chassis_name=dpu-1");
        assertThat(Chassis.TABLE.byName(cache, "dpu-1")).containsExactly(new Chassis(chassis, "dpu-1", "dpu-1.example",
            Set.of(encap), Set.of("tz1"), 0, Map.of("datapath-type", "netdev"), Map.of("rack", "r7")));
        assertThat(Chassis.TABLE.byExternalId(cache, "rack", "r7")).extracting(Chassis::uuid).containsExactly(chassis);
        assertThat(ChassisPrivate.TABLE.byName(cache, "dpu-1")).containsExactly(new ChassisPrivate(chassisPrivate, "dpu-1",
            Optional.of(chassis), 3, 1700000000000L, Map.of("agent", "dpu-node")));
        assertThat(Encap.TABLE.find(cache, encap)).contains(new Encap(encap, "geneve", "192.0.2.1", "dpu-1", Map.of("csum", "true")));

        UUID binding = sbFind("Port_Binding", "logical_port=sb-p1");
        UUID datapath = UUID.fromString(ovn.sbctl("get", "Port_Binding", binding.toString(), "datapath").strip());
        long tunnelKey = Long.parseLong(ovn.sbctl("get", "Port_Binding", binding.toString(), "tunnel_key").strip());
        // ovn-northd marks the port up once a chassis has claimed it, a moment after the claim.
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(PortBinding.TABLE.find(cache, binding)).contains(new PortBinding(
            binding, "sb-p1", "", datapath, tunnelKey, Set.of("00:00:00:00:00:aa 10.9.0.5"), Optional.of(chassis),
            Optional.of(chassis), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(true),
            Map.of("requested-chassis", "dpu-1"), Map.of())));
    }

    @Test
    void openVswitchRowsReadBackAsWritten(@TempDir Path ovs) throws Exception {
        Path pidfile = ovs.resolve("x.pid");
        String remote = "unix:" + ovs.resolve("db.sock");
        run("ovsdb-tool", "create", ovs.resolve("conf.db").toString(), "/usr/share/openvswitch/vswitch.ovsschema");
        run("ovsdb-server", ovs.resolve("conf.db").toString(), "--remote=p" + remote, "--detach", "--pidfile=" + pidfile,
            "--no-chdir", "--log-file=" + ovs.resolve("x.log"), "--unixctl=" + ovs.resolve("x.ctl"));
        try {
            List<String> vsctl = List.of("ovs-vsctl", "--db=" + remote, "--no-wait", "--timeout=30");
            run(vsctl, "init");
            run(vsctl, "set", "Open_vSwitch", ".", "external_ids:system-id=dpu-1", "external_ids:ovn-encap-type=geneve",
                "external_ids:ovn-encap-ip=192.0.2.1", "other_config:hw-offload=true");
            run(vsctl, "add-br", "br-int", "--", "set", "Bridge", "br-int", "fail_mode=secure", "datapath_type=netdev",
                "protocols=OpenFlow13", "external_ids:owner=dpuvpc");
            run(vsctl, "add-port", "br-int", "vf0", "tag=10", "--", "set", "Interface", "vf0", "external_ids:iface-id=sw0-p1",
                "mtu_request=1400", "ofport_request=7");
            run(vsctl, "add-port", "br-int", "uplink", "trunks=10,20", "vlan_mode=trunk", "other_config:lacp-time=fast");

            try (OvsdbClient client = join(OvsdbClient.connect(OvsdbClientOptions.builder(remote).build()))) {
                OpenVswitch.VIEWS.verifyAll(client.schema(OpenVswitch.DATABASE));
                DatabaseCache cache = join(client.monitor(OpenVswitch.VIEWS.monitorRequest())).cache();

                UUID root = UUID.fromString(run(vsctl, "get", "Open_vSwitch", ".", "_uuid"));
                UUID bridge = UUID.fromString(run(vsctl, "get", "Bridge", "br-int", "_uuid"));
                long nextCfg = Long.parseLong(run(vsctl, "get", "Open_vSwitch", ".", "next_cfg"));
                assertThat(OpenVswitchConfig.TABLE.all(cache)).containsExactly(new OpenVswitchConfig(root, Set.of(bridge), nextCfg, 0,
                    Optional.empty(), Optional.empty(), Set.of(), Map.of("hw-offload", "true"),
                    Map.of("system-id", "dpu-1", "ovn-encap-type", "geneve", "ovn-encap-ip", "192.0.2.1")));

                UUID bridgePort = UUID.fromString(run(vsctl, "get", "Port", "br-int", "_uuid"));
                UUID vf0Port = UUID.fromString(run(vsctl, "get", "Port", "vf0", "_uuid"));
                UUID uplinkPort = UUID.fromString(run(vsctl, "get", "Port", "uplink", "_uuid"));
                assertThat(Bridge.TABLE.byName(cache, "br-int")).containsExactly(new Bridge(bridge, "br-int",
                    Set.of(bridgePort, vf0Port, uplinkPort), "netdev", Optional.empty(), Optional.of("secure"), Set.of("OpenFlow13"),
                    Map.of(), Map.of("owner", "dpuvpc")));

                UUID vf0 = UUID.fromString(run(vsctl, "get", "Interface", "vf0", "_uuid"));
                UUID uplink = UUID.fromString(run(vsctl, "get", "Interface", "uplink", "_uuid"));
                assertThat(Port.TABLE.all(cache)).containsExactlyInAnyOrder(
                    new Port(bridgePort, "br-int", Set.of(UUID.fromString(run(vsctl, "get", "Interface", "br-int", "_uuid"))),
                        Optional.empty(), Set.of(), Optional.empty(), Map.of(), Map.of()),
                    new Port(vf0Port, "vf0", Set.of(vf0), Optional.of(10L), Set.of(), Optional.empty(), Map.of(), Map.of()),
                    new Port(uplinkPort, "uplink", Set.of(uplink), Optional.empty(), Set.of(10L, 20L), Optional.of("trunk"),
                        Map.of("lacp-time", "fast"), Map.of()));
                assertThat(Interface.TABLE.byExternalId(cache, "iface-id", "sw0-p1")).containsExactly(new Interface(vf0, "vf0", "",
                    Optional.empty(), Optional.of(7L), Optional.empty(), Optional.empty(), Optional.of(1400L), Optional.empty(),
                    Optional.empty(), Optional.empty(), Map.of(), Map.of(), Map.of("iface-id", "sw0-p1")));
                assertThat(Interface.TABLE.byName(cache, "br-int")).extracting(Interface::type).containsExactly("internal");
            }
        } finally {
            stopByPidfile(pidfile);
        }
    }

    private static UUID nbFind(String table, String condition) {
        return UUID.fromString(ovn.nbctl("--bare", "--columns=_uuid", "find", table, condition).strip());
    }

    private static UUID sbFind(String table, String condition) {
        return UUID.fromString(ovn.sbctl("--bare", "--columns=_uuid", "find", table, condition).strip());
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** Runs a tool, failing the test on a non-zero exit; its stdout, stripped. */
    private static String run(String... command) {
        return ExternalCommand.run(TIMEOUT, List.of(command)).orThrow().stdout().strip();
    }

    private static String run(List<String> tool, String... args) {
        List<String> command = new ArrayList<>(tool);
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    /** The daemon detached from us: it is found by its pidfile only, and stopped by that pid. */
    private static void stopByPidfile(Path pidfile) throws Exception {
        if (!Files.exists(pidfile)) {
            return;
        }
        long pid = Long.parseLong(Files.readString(pidfile).strip());
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isPresent()) {
            process.get().destroy();
            try {
                process.get().onExit().get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                process.get().destroyForcibly();
                process.get().onExit().get(5, TimeUnit.SECONDS);
            }
        }
    }
}
