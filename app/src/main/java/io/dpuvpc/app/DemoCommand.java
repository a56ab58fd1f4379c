package io.dpuvpc.app;

import io.dpuvpc.ovn.lab.OvnCentral;
import io.dpuvpc.ovn.lab.WorkFolders;
import io.dpuvpc.ovn.ovsdb.Monitor;
import io.dpuvpc.ovn.ovsdb.MonitorRequest;
import io.dpuvpc.ovn.ovsdb.NamedUuid;
import io.dpuvpc.ovn.ovsdb.Operation;
import io.dpuvpc.ovn.ovsdb.OvsdbClient;
import io.dpuvpc.ovn.ovsdb.OvsdbClientOptions;
import io.dpuvpc.ovn.ovsdb.Row;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vpc demo}: the product's main job on embedded defaults, as far as it goes today. It
 * starts a real OVN central (NB, SB, ovn-northd) on free loopback ports, and through our OVSDB
 * client writes the Northbound rows of the reference's example 2 (one VPC, two networks with
 * DHCP, two VF interfaces each) in one transaction, every row owned in {@code external_ids};
 * then watches, through monitors, ovn-northd turn them into Southbound datapaths and assign the
 * interfaces' addresses from each network's subnet. This grows into the full demo (entities,
 * node agents, a real datapath) with the later issues.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a real OVN central and build a VPC's Northbound topology through our OVSDB client.")
final class DemoCommand implements Callable<Integer> {
    static final String NB = "OVN_Northbound";
    static final String SB = "OVN_Southbound";
    static final String OWNER = "vpc.dpu.nvidia.com/owner";

    /** One network of the example: name, subnet (/16), its gateway (the first address). */
    record Network(String name, String subnet, String gateway, String prefix) {
    }

    static final List<Network> NETWORKS = List.of(
            new Network("testnet1", "192.178.0.0/16", "192.178.0.1", "16"),
            new Network("testnet2", "192.188.0.0/16", "192.188.0.1", "16"));

    @Spec
    private CommandSpec spec;

    @Option(names = "--keep", description = "Leave OVN running at the end and print how to reach it.")
    private boolean keep;

    @Option(names = "--interfaces", defaultValue = "2", description = "Interfaces per network (default ${DEFAULT-VALUE}).")
    private int interfaces;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("vpc-demo-");
        long t0 = System.nanoTime();
        OvnCentral ovn = OvnCentral.builder(dir).stopOnJvmExit(!keep).start();
        try {
            out.printf("1. OVN central up in %d ms: NB %s, SB %s, ovn-northd (files in %s)%n", ms(t0), ovn.nbTcpEndpoint(),
                    ovn.sbTcpEndpoint(), dir);
            out.flush();
            try (OvsdbClient nb = connect(ovn.nbTcpEndpoint(), NB); OvsdbClient sb = connect(ovn.sbTcpEndpoint(), SB)) {
                out.printf("2. Connected to NB (schema %s) and SB (schema %s), monitors via %s%n",
                        nb.schema(NB).version(), sb.schema(SB).version(), nb.monitorMethod().wireName());
                Monitor nbMonitor = get(nb.monitor(MonitorRequest.allOf(NB, "Logical_Router", "Logical_Switch", "Logical_Switch_Port",
                        "DHCP_Options")));
                Monitor sbMonitor = get(sb.monitor(MonitorRequest.allOf(SB, "Datapath_Binding", "Port_Binding")));

                long t1 = System.nanoTime();
                List<Operation> operations = topology();
                var results = get(nb.transact(NB, operations));
                out.printf("3. Wrote VPC default/testvpc: %d rows in ONE transaction in %d ms%n", results.size(), ms(t1));

                long t2 = System.nanoTime();
                int ports = NETWORKS.size() * interfaces;
                awaitTrue(() -> nbMonitor.cache().table("Logical_Switch_Port").find(p -> !p.getSet("dynamic_addresses").isEmpty())
                        .size() == ports && sbMonitor.cache().table("Datapath_Binding").size() == 1 + NETWORKS.size(), Duration.ofSeconds(20));
                out.printf("4. ovn-northd translated it in %d ms: %d SB datapaths, %d SB port bindings; IPAM assigned:%n", ms(t2),
                        sbMonitor.cache().table("Datapath_Binding").size(), sbMonitor.cache().table("Port_Binding").size());
                for (Row port : sorted(nbMonitor.cache().table("Logical_Switch_Port").withExternalId(OWNER))) {
                    if (!port.getSet("dynamic_addresses").isEmpty()) {
                        out.printf("     %-32s %s%n", port.getString("name"), port.getSet("dynamic_addresses").iterator().next());
                    }
                }
                out.printf("5. Rows owned by VPC default/testvpc, found in the monitored cache by external_ids: router %d, switches %d, "
                                + "ports %d, DHCP options %d%n",
                        nbMonitor.cache().table("Logical_Router").byExternalId(OWNER, "DPUVPC/default/testvpc").size(),
                        nbMonitor.cache().table("Logical_Switch").byExternalId(OWNER, "DPUVPC/default/testvpc").size(),
                        nbMonitor.cache().table("Logical_Switch_Port").withExternalId(OWNER).size(),
                        nbMonitor.cache().table("DHCP_Options").withExternalId(OWNER).size());
                out.println("6. ovn-nbctl show:");
                ovn.nbctl("show").lines().forEach(line -> out.println("     " + line));
            }
        } finally {
            if (keep) {
                out.printf("OVN left running. Try: ovn-nbctl --db=%s show%nStop it with: kill $(cat %s/*.pid)%n", ovn.nbTcpEndpoint(), dir);
            } else {
                ovn.close();
                out.printf(WorkFolders.deleteTree(dir) ? "Stopped OVN and removed its folder. Total %d ms.%n"
                        : "Stopped OVN (its folder " + dir + " could not be removed). Total %d ms.%n", ms(t0));
            }
            out.flush();
        }
        return 0;
    }

    /**
     * The Northbound rows of example 2 as the reference lays them out per VPC and network: a VPC
     * router with a port on each network's first address, a switch per network with its subnet
     * and the gateway excluded from IPAM, DHCP options (router and server_id on the gateway),
     * and a logical switch port per interface with a "MAC dynamic" address.
     */
    List<Operation> topology() {
        List<Operation> ops = new ArrayList<>();
        String vpcOwner = "DPUVPC/default/testvpc";
        List<NamedUuid> routerPorts = new ArrayList<>();
        int n = 0;
        for (Network net : NETWORKS) {
            n++;
            String netOwner = "DPUVirtualNetwork/default/" + net.name();
            String routerMac = String.format("0a:00:00:00:%02x:01", n);
            var rp = Operation.insert("Logical_Router_Port").values(Map.of("name", "rp-" + net.name(), "mac", routerMac,
                    "networks", Set.of(net.gateway() + "/" + net.prefix()), "external_ids", Map.of(OWNER, netOwner))).withUuidName("rp" + n);
            routerPorts.add(rp.ref());
            var dhcp = Operation.insert("DHCP_Options").values(Map.of("cidr", net.subnet(),
                    "options", Map.of("router", net.gateway(), "server_id", net.gateway(), "server_mac", routerMac,
                            "lease_time", "3600", "mtu", "1442"),
                    "external_ids", Map.of(OWNER, netOwner))).withUuidName("dhcp" + n);
            List<NamedUuid> switchPorts = new ArrayList<>();
            var toRouter = Operation.insert("Logical_Switch_Port").values(Map.of("name", "sp-" + net.name() + "-router", "type", "router",
                    "addresses", Set.of("router"), "options", Map.of("router-port", "rp-" + net.name()),
                    "external_ids", Map.of(OWNER, netOwner))).withUuidName("sr" + n);
            switchPorts.add(toRouter.ref());
            ops.add(rp);
            ops.add(dhcp);
            ops.add(toRouter);
            for (int i = 0; i < interfaces; i++) {
                String mac = String.format("0a:00:00:%02x:%02x:%02x", n, i / 256, i % 256 + 2);
                var lsp = Operation.insert("Logical_Switch_Port").values(Map.of("name", net.name() + "-vf" + (i + 2),
                        "addresses", Set.of(mac + " dynamic"), "dhcpv4_options", dhcp.ref(),
                        "external_ids", Map.of(OWNER, "ServiceInterface/default/" + net.name() + "-vf" + (i + 2)))).withUuidName("p" + n + "_" + i);
                switchPorts.add(lsp.ref());
                ops.add(lsp);
            }
            ops.add(Operation.insert("Logical_Switch").values(Map.of("name", "vpc-testvpc-" + net.name(),
                    "ports", Set.copyOf(switchPorts),
                    "other_config", Map.of("subnet", net.subnet(), "exclude_ips", net.gateway()),
                    "external_ids", Map.of(OWNER, vpcOwner, "vpc.dpu.nvidia.com/network", netOwner))));
        }
        ops.add(Operation.insert("Logical_Router").values(Map.of("name", "vpc-testvpc", "ports", Set.copyOf(routerPorts),
                "external_ids", Map.of(OWNER, vpcOwner))));
        return ops;
    }

    private static OvsdbClient connect(String endpoint, String database) throws Exception {
        return get(OvsdbClient.connect(OvsdbClientOptions.builder(endpoint).databases(database).build()));
    }

    private static <T> T get(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ovn-northd did not translate the topology within " + timeout.toSeconds()
                        + " s: see its log in the demo folder");
            }
            Thread.sleep(10);
        }
    }

    private static List<Row> sorted(List<Row> rows) {
        return rows.stream().sorted(java.util.Comparator.comparing(r -> r.getString("name"))).toList();
    }

    private static long ms(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }
}
