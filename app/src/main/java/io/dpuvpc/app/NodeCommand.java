package io.dpuvpc.app;

import io.dpuvpc.app.cluster.ControllerNode;
import io.dpuvpc.app.cluster.NodeProcess;
import io.dpuvpc.node.NodeAgentSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
  * {@code vpc node}: the node agent of one DPU as its own process, a member of the controllers'
  * cluster (role {@code dpu}, hosting no entity). It runs until stopped (SIGTERM or Ctrl-C leave the
  * cluster gracefully; the datapath keeps its ports). When the cluster downs it (the controllers
  * were unreachable past the split brain resolver's {@code stable-after}), it joins again rather
  * than exit: a DPU outlives any controller restart.
  */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Run the node agent of one DPU: configures its OVS for OVN, plugs the ports the controllers want "
                + "and reports the node, as a member (role dpu) of the controllers' Pekko cluster.")
final class NodeCommand implements Callable<Integer> {
    /** How long to wait before joining again after the cluster downed this member. */
    static final Duration REJOIN_DELAY = Duration.ofSeconds(2);

    @Spec
    private CommandSpec spec;

    @Option(names = "--name", required = true, description = "The DPU node's name: its DpuNode and its OVN system-id.")
    private String name;

    @Option(names = "--label", paramLabel = "KEY=VALUE",
            description = "A label reported for node selectors (repeatable), e.g. vpc.dpu.nvidia.com/tenant=red.")
    private List<String> labels = List.of();

    @Option(names = "--vtep-ip", required = true, paramLabel = "IP", description = "The tunnel (geneve) address: ovn-encap-ip.")
    private String vtepIp;

    @Option(names = "--external-ip", paramLabel = "IP/PREFIX",
            description = "The node's external gateway address with its prefix, e.g. 172.16.1.1/16 (needed for egress).")
    private String externalIp;

    @Option(names = "--external-gw", paramLabel = "IP", description = "The external next hop, inside --external-ip's network.")
    private String externalGateway;

    @Option(names = "--ovs-db", paramLabel = "REMOTE", defaultValue = NodeAgentSettings.DEFAULT_OVSDB_REMOTE,
            description = "The local Open_vSwitch database (default: ${DEFAULT-VALUE}).")
    private String ovsDb;

    @Option(names = "--cni-dhcp-socket", paramLabel = "PATH", defaultValue = NodeAgentSettings.DEFAULT_CNI_DHCP_SOCKET,
            description = "Where the agent serves the CNI DHCP daemon (the dhcp plugin of containernetworking-plugins) for"
                    + " DPU service pods; none disables it (default: ${DEFAULT-VALUE}).")
    private String cniDhcpSocket;

    @Option(names = "--sb", required = true, paramLabel = "ENDPOINT",
            description = "The OVN Southbound remote(s) for ovn-controller, e.g. tcp:10.0.0.1:6642 (comma-separated for a cluster).")
    private String sb;

    @Option(names = "--datapath", defaultValue = "system",
            description = "system (kernel datapath, hardware offload on: a BlueField) or netdev (userspace: the lab). Default: ${DEFAULT-VALUE}.")
    private String datapath;

    @Option(names = "--uplink", defaultValue = "p0", description = "The uplink port of the external bridge (default: ${DEFAULT-VALUE}).")
    private String uplink;

    @Option(names = "--mtu", defaultValue = "" + NodeAgentSettings.DEFAULT_MTU,
            description = "MTU of the uplink and of plugged ports (default: ${DEFAULT-VALUE}).")
    private int mtu;

    @Option(names = "--heartbeat", defaultValue = "10", paramLabel = "SECONDS",
            description = "How often the agent reports and asks for its ports (default: ${DEFAULT-VALUE}).")
    private long heartbeatSeconds;

    @Option(names = "--seed", paramLabel = "ADDRESS", split = ",", defaultValue = "pekko://" + ControllerNode.DEFAULT_CLUSTER_NAME
            + "@127.0.0.1:25520", description = "Controllers to join (default: ${DEFAULT-VALUE}).")
    private List<String> seeds;

    @Option(names = "--cluster-host", defaultValue = "127.0.0.1",
            description = "The address the controllers reach this process at (default: ${DEFAULT-VALUE}).")
    private String clusterHost;

    @Option(names = "--cluster-port", defaultValue = "0", description = "This process's cluster port (default: 0, any free port).")
    private int clusterPort;

    @Option(names = "--cluster-name", defaultValue = ControllerNode.DEFAULT_CLUSTER_NAME,
            description = "The controllers' cluster name (default: ${DEFAULT-VALUE}).")
    private String clusterName;

    private volatile boolean stopping;
    private volatile NodeProcess current;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        NodeProcess.Settings settings = settings();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping = true;
            NodeProcess process = current;
            if (process != null) {
                process.close();
            }
        }, "node-shutdown"));
        while (!stopping) {
            current = NodeProcess.start(settings);
            out.println("node " + name + ": agent running at " + current.address() + ", joining " + String.join(",", seeds)
                    + "; OVS " + ovsDb + ", Southbound " + sb);
            out.flush();
            current.awaitTermination();
            if (!stopping) {
                out.println("node " + name + ": left the cluster (controllers unreachable?); joining again in "
                        + REJOIN_DELAY.toSeconds() + " s");
                out.flush();
                sleep(REJOIN_DELAY);
            }
        }
        return 0;
    }

    NodeProcess.Settings settings() {
        NodeAgentSettings.Datapath path = switch (datapath) {
            case "system" -> NodeAgentSettings.Datapath.SYSTEM;
            case "netdev" -> NodeAgentSettings.Datapath.NETDEV;
            default -> throw new ParameterException(spec.commandLine(), "--datapath must be system or netdev, not " + datapath);
        };
        if ((externalIp == null) != (externalGateway == null)) {
            throw new ParameterException(spec.commandLine(), "--external-ip and --external-gw go together (egress needs both)");
        }
        try {
            NodeAgentSettings agent = NodeAgentSettings.builder(name, vtepIp, sb)
                    .labels(labels(labels))
                    .externalGateway(externalIp, externalGateway)
                    .datapath(path)
                    .externalBridge("br-ex", uplink)
                    .mtu(mtu)
                    .heartbeat(Duration.ofSeconds(heartbeatSeconds))
                    .ovsdbRemote(ovsDb)
                    .cniDhcpSocket(cniDhcpSocket)
                    .build();
            return new NodeProcess.Settings(clusterName, clusterHost, clusterPort, seeds, agent);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e, null, "");
        }
    }

    /** {@code key=value} pairs, in order; a malformed one is a usage error naming it. */
    Map<String, String> labels(List<String> pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(spec.commandLine(), "--label " + pair + ": expected KEY=VALUE");
            }
            map.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return map;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
