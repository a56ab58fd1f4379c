package io.dpuvpc.app;

import io.dpuvpc.actors.conditions.Condition;
import io.dpuvpc.actors.conditions.ConditionStatus;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.entity.ApplyReply;
import io.dpuvpc.actors.entity.DeleteReply;
import io.dpuvpc.actors.entity.DpuNodeEntity;
import io.dpuvpc.actors.entity.DpuServiceInterfaceEntity;
import io.dpuvpc.actors.entity.DpuVirtualNetworkEntity;
import io.dpuvpc.actors.entity.DpuVpcEntity;
import io.dpuvpc.actors.entity.IsolationClassEntity;
import io.dpuvpc.actors.entity.ServiceInterfaceEntity;
import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.actors.model.DpuServiceInterfaceSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.app.cluster.ShardedDirectory;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The resources of the reference's example 2 (one VPC, two networks, a VF interface on the DPU
 * nodes labelled for each network) applied to a running controller node through its entities,
 * exactly as the admin API and the Kubernetes bridge will; and the tree of their conditions, in
 * the layout of the reference's {@code dpfctl describe dpuvpcs --show-conditions=all}.
 */
final class DemoScenario {
    static final String NS = "default";
    static final String CLASS = "ovn.vpc.dpu.nvidia.com";
    static final String VPC = "testvpc";
    static final String LABEL = "vpc.dpu.nvidia.com/network";
    static final Duration ASK = Duration.ofSeconds(30);

    /** One network of the example and the DPU node its interfaces land on. */
    record Network(String name, String subnet, String node, String externalIp) {}

    static final List<Network> NETWORKS = List.of(
            new Network("testnet1", "192.178.0.0/16", "dpu-a", "172.16.0.11/24"),
            new Network("testnet2", "192.188.0.0/16", "dpu-b", "172.16.0.12/24"));

    private final ShardedDirectory directory;

    DemoScenario(ShardedDirectory directory) {
        this.directory = directory;
    }

    /** Applies everything; returns the number of resources applied. */
    int apply(String nbEndpoint) throws Exception {
        int applied = 0;
        accepted(directory.isolationClass(CLASS).ask(r -> new IsolationClassEntity.Apply(new IsolationClassSpec(
                IsolationClassSpec.PROVISIONER, Map.of(IsolationClassSpec.NB_ENDPOINT, nbEndpoint,
                IsolationClassSpec.NB_RECONNECT_TIME, "1")), r), ASK), "IsolationClass");
        applied++;
        for (Network net : NETWORKS) {
            // What a node agent reports (issue 6): labels, chassis, tunnel and external addresses.
            DpuNode node = new DpuNode(net.node(), Map.of(LABEL, net.name()), net.node(), null, net.externalIp(),
                    "172.16.0.1", true, null);
            accepted(directory.node(net.node()).ask(r -> new DpuNodeEntity.Report(node, r), ASK), "DPU node " + net.node());
            applied++;
        }
        accepted(directory.vpc(NS, VPC).ask(r -> new DpuVpcEntity.Apply(
                new DpuVpcSpec("foo", CLASS, true, LabelSelector.EVERYTHING), r), ASK), "DPUVPC");
        applied++;
        for (Network net : NETWORKS) {
            DpuVirtualNetworkSpec spec = DpuVirtualNetworkSpec.bridged(VPC, true,
                    new DpuVirtualNetworkSpec.Ipv4Ipam(true, net.subnet(), List.of()));
            accepted(directory.network(NS, net.name()).ask(r -> new DpuVirtualNetworkEntity.Apply(spec, r), ASK),
                    "DPUVirtualNetwork " + net.name());
            DpuServiceInterfaceSpec dsi = DpuServiceInterfaceSpec.of(LabelSelector.ofLabels(Map.of(LABEL, net.name())),
                    Map.of(), ServiceInterfaceSpec.vf(0, 2, net.name()));
            accepted(directory.dpuServiceInterface(NS, net.name() + "-vf2")
                    .ask(r -> new DpuServiceInterfaceEntity.Apply(dsi, r), ASK), "DPUServiceInterface " + net.name() + "-vf2");
            applied += 2;
        }
        return applied;
    }

    /** Whether the VPC, its networks and every ServiceInterface are reconciled in OVN. */
    boolean reconciled() throws Exception {
        if (!vpc().conditions().isTrue(ConditionTypes.TOPOLOGY_RECONCILED)) {
            return false;
        }
        for (Network net : NETWORKS) {
            if (!network(net.name()).conditions().isTrue(ConditionTypes.DPU_VIRTUAL_NETWORK_RECONCILED)) {
                return false;
            }
            List<DpuServiceInterfaceEntity.Child> children = dsi(net.name()).children();
            if (children.isEmpty()) {
                return false;
            }
            for (DpuServiceInterfaceEntity.Child child : children) {
                ServiceInterfaceEntity.Status si = serviceInterface(child.name());
                if (!si.conditions().isTrue(ConditionTypes.SERVICE_INTERFACE_RECONCILED) || si.ip() == null) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The tree of conditions, with each interface's MAC and address. */
    void describe(PrintWriter out) throws Exception {
        DpuVpcEntity.Status vpc = vpc();
        out.printf("     %-52s %s%n", "DPUVPC " + NS + "/" + VPC, summary(vpc.conditions()));
        conditions(out, "     │   ", vpc.conditions());
        for (int i = 0; i < NETWORKS.size(); i++) {
            Network net = NETWORKS.get(i);
            boolean last = i == NETWORKS.size() - 1;
            String branch = last ? "     └─" : "     ├─";
            String indent = last ? "       " : "     │ ";
            DpuVirtualNetworkEntity.Status status = network(net.name());
            out.printf("%s%-51s %s%n", branch, "DPUVirtualNetwork " + net.name() + " " + net.subnet(),
                    summary(status.conditions()));
            conditions(out, indent + "│   ", status.conditions());
            DpuServiceInterfaceEntity.Status set = dsi(net.name());
            out.printf("%s└─%-49s %s%n", indent, "DPUServiceInterface " + net.name() + "-vf2", summary(set.conditions()));
            for (DpuServiceInterfaceEntity.Child child : set.children()) {
                ServiceInterfaceEntity.Status si = serviceInterface(child.name());
                out.printf("%s    └─%-45s %s%n", indent, "ServiceInterface " + child.name() + " on " + child.node(),
                        summary(si.conditions()));
                out.printf("%s        lsp-mac-address %s, address %s, lsp-connected %s%n", indent, si.mac(), si.ip(),
                        si.portConnected());
                conditions(out, indent + "        ", si.conditions());
            }
        }
    }

    /** Deletes every resource applied, children first; returns how many were deleted. */
    int deleteAll() throws Exception {
        int deleted = 0;
        for (Network net : NETWORKS) {
            deleted(directory.dpuServiceInterface(NS, net.name() + "-vf2").ask(DpuServiceInterfaceEntity.Delete::new, ASK));
            deleted(directory.network(NS, net.name()).ask(DpuVirtualNetworkEntity.Delete::new, ASK));
            deleted += 2;
        }
        deleted(directory.vpc(NS, VPC).ask(DpuVpcEntity.Delete::new, ASK));
        return deleted + 1;
    }

    /** Interfaces the DPUServiceInterfaces still have (they delete them asynchronously). */
    int serviceInterfacesLeft() throws Exception {
        int left = 0;
        for (Network net : NETWORKS) {
            String child = DpuServiceInterfaceEntity.childName(net.name() + "-vf2", net.node());
            if (serviceInterface(child).exists()) {
                left++;
            }
        }
        return left;
    }

    private DpuVpcEntity.Status vpc() throws Exception {
        return get(directory.vpc(NS, VPC).ask(DpuVpcEntity.GetStatus::new, ASK));
    }

    private DpuVirtualNetworkEntity.Status network(String name) throws Exception {
        return get(directory.network(NS, name).ask(DpuVirtualNetworkEntity.GetStatus::new, ASK));
    }

    private DpuServiceInterfaceEntity.Status dsi(String network) throws Exception {
        return get(directory.dpuServiceInterface(NS, network + "-vf2").ask(DpuServiceInterfaceEntity.GetStatus::new, ASK));
    }

    private ServiceInterfaceEntity.Status serviceInterface(String name) throws Exception {
        return get(directory.serviceInterface(NS, name).ask(ServiceInterfaceEntity.GetStatus::new, ASK));
    }

    private static String summary(Conditions conditions) {
        return conditions.get(ConditionTypes.READY).map(c -> "Ready=" + (c.status() == ConditionStatus.TRUE ? "True" : "False")
                + " " + c.reason()).orElse("Ready=?");
    }

    private static void conditions(PrintWriter out, String indent, Conditions conditions) {
        List<Condition> others = new ArrayList<>(conditions.items());
        others.removeIf(c -> c.type().equals(ConditionTypes.READY));
        for (Condition c : others) {
            out.printf("%s%-30s %-5s %s%s%n", indent, c.type(), c.status() == ConditionStatus.TRUE ? "True" : "False",
                    c.reason(), c.message().isEmpty() ? "" : ": " + c.message());
        }
        conditions.get(ConditionTypes.READY).filter(c -> c.status() != ConditionStatus.TRUE).ifPresent(c ->
                out.printf("%s%-30s %-5s %s: %s%n", indent, "Ready", "False", c.reason(), c.message()));
    }

    private static void accepted(CompletionStage<ApplyReply> reply, String what) throws Exception {
        ApplyReply answer = get(reply);
        if (!(answer instanceof ApplyReply.Accepted)) {
            throw new IllegalStateException(what + " was not accepted: " + answer);
        }
    }

    private static void deleted(CompletionStage<DeleteReply> reply) throws Exception {
        get(reply);
    }

    static <T> T get(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
