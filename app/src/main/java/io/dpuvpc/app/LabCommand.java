package io.dpuvpc.app;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.dpuvpc.ovn.lab.OvnCentral;
import io.dpuvpc.ovn.lab.OvnCentral.DaemonStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vpc lab up|down|status}: a local OVN central (NB and SB ovsdb-server, ovn-northd) on
 * 127.0.0.1 for trying things by hand, kept in a work folder between commands. {@code down} and
 * {@code status} find the running lab from that folder's pidfiles ({@link OvnCentral#attach}).
 */
@Command(name = "lab",
        mixinStandardHelpOptions = true,
        description = "Run a local OVN central (NB, SB, ovn-northd) on 127.0.0.1.")
public final class LabCommand implements Runnable {
    /** Exit code of {@code status} when the lab is not (fully) running, as LSB init scripts do. */
    static final int NOT_RUNNING = 3;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = "Start the lab (or say that it is already running) and print its endpoints.")
    int up(@Option(names = "--work", paramLabel = "DIR",
                   description = "Work folder (default: $VPC_WORK, else <project>/.vpc/lab).") Path work,
           @Option(names = "--nb-port", defaultValue = "6641", description = "NB TCP port (default: ${DEFAULT-VALUE}; 0 = any free port).") int nbPort,
           @Option(names = "--sb-port", defaultValue = "6642", description = "SB TCP port (default: ${DEFAULT-VALUE}; 0 = any free port).") int sbPort,
           @Option(names = "--no-northd", description = "Do not run ovn-northd (SB stays empty).") boolean noNorthd,
           @Option(names = "--fresh", description = "Start from empty databases.") boolean fresh,
           @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
                   description = "Give up starting after this long (default: ${DEFAULT-VALUE}).") long timeoutSeconds,
           @Option(names = "--dpus", paramLabel = "NAME,...", split = ",",
                   description = "Also run these lab DPUs (ovs-vswitchd and ovn-controller in namespaces), a controller "
                           + "(embedded Cassandra, admin API) and one node agent per DPU.") List<String> dpus,
           @Option(names = "--label", paramLabel = "DPU:KEY=VALUE",
                   description = "A label a DPU's agent reports (repeatable), e.g. a:vpc.dpu.nvidia.com/tenant=red.")
           List<String> labels,
           @Option(names = "--vfs", defaultValue = "3", description = "Host VFs per DPU (default: ${DEFAULT-VALUE}).") int vfs,
           @Option(names = "--prefix", defaultValue = LabFleetRunner.PREFIX,
                   description = "With --dpus: the network namespaces' prefix, 0 to 4 of [a-z0-9] (default: ${DEFAULT-VALUE});"
                           + " two labs on one machine need different ones.") String prefix,
           @Option(names = "--api-port", defaultValue = "8080",
                   description = "With --dpus: the admin API's port (default: ${DEFAULT-VALUE}).") int apiPort,
           @Option(names = "--cluster-port", defaultValue = "25520",
                   description = "With --dpus: the controller's cluster port (default: ${DEFAULT-VALUE}).") int clusterPort,
           @Option(names = "--kubeconfig", paramLabel = "FILE",
                   description = "With --dpus: the controller also watches this Kubernetes cluster (bin/vpc k8s up).")
           Path kubeconfig)
            throws InterruptedException {
        if (kubeconfig != null && !java.nio.file.Files.isReadable(kubeconfig)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--kubeconfig " + kubeconfig
                    + ": no such readable file (bin/vpc k8s up writes .vpc/k8s/kubeconfig)");
        }
        PrintWriter out = out();
        Path dir = workDir(work);
        if (OvnCentral.exists(dir)) {
            OvnCentral running = OvnCentral.attach(dir);
            List<DaemonStatus> status = running.status();
            if (status.stream().allMatch(DaemonStatus::alive)) {
                out.println("OVN lab is already running in " + dir);
                if (fresh) {
                    out.println("(--fresh ignored: run `" + ProjectPaths.launcher() + " lab down` first)");
                }
                printEndpoints(out, running);
                if (dpus != null && !dpus.isEmpty()) {
                    upFleet(out, dir, running, prefix, dpus, labels, vfs, apiPort, clusterPort, kubeconfig);
                }
                return 0;
            }
            List<DaemonStatus> leftovers = running.stop();
            for (DaemonStatus stopped : leftovers) {
                out.println("Stopped leftover " + stopped.name() + " (pid " + stopped.pid().getAsLong() + ")");
            }
        }
        OvnCentral lab = OvnCentral.builder(dir)
                .nbPort(nbPort).sbPort(sbPort)
                .northd(!noNorthd)
                .fresh(fresh)
                .timeout(Duration.ofSeconds(timeoutSeconds))
                .start();
        out.println("OVN lab is up in " + dir + (noNorthd ? " (without ovn-northd)" : ""));
        printEndpoints(out, lab);
        if (dpus != null && !dpus.isEmpty()) {
            upFleet(out, dir, lab, prefix, dpus, labels, vfs, apiPort, clusterPort, kubeconfig);
        }
        return 0;
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the processes that `lab up` started (by pid); keep databases and logs.")
    int down(@Option(names = "--work", paramLabel = "DIR",
                     description = "Work folder (default: $VPC_WORK, else <project>/.vpc/lab).") Path work) {
        PrintWriter out = out();
        Path dir = workDir(work);
        for (String line : new LabFleetRunner(dir, out).down()) {
            out.println("Stopped " + line);
        }
        if (!OvnCentral.exists(dir)) {
            out.println("No OVN lab in " + dir + "; nothing to stop.");
            return 0;
        }
        List<DaemonStatus> stopped = OvnCentral.attach(dir).stop();
        if (stopped.isEmpty()) {
            out.println("OVN lab in " + dir + " was not running; nothing to stop.");
            return 0;
        }
        awaitReaped(stopped, Duration.ofSeconds(3));
        for (DaemonStatus daemon : stopped) {
            out.println("Stopped " + daemon.name() + " (pid " + daemon.pid().getAsLong() + ")");
        }
        out.println("Databases and logs stay in " + dir + "; `" + ProjectPaths.launcher()
                + " lab up` starts again on them, `--fresh` from empty.");
        return 0;
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show each lab process, alive or not, with pid and endpoints; exit 3 if not running.")
    int status(@Option(names = "--work", paramLabel = "DIR",
                       description = "Work folder (default: $VPC_WORK, else <project>/.vpc/lab).") Path work) {
        PrintWriter out = out();
        Path dir = workDir(work);
        if (!OvnCentral.exists(dir)) {
            out.println("No OVN lab in " + dir + " (start one with `" + ProjectPaths.launcher() + " lab up`).");
            return NOT_RUNNING;
        }
        List<DaemonStatus> status = OvnCentral.attach(dir).status();
        boolean allAlive = status.stream().allMatch(DaemonStatus::alive);
        boolean noneAlive = status.stream().noneMatch(DaemonStatus::alive);
        out.println("OVN lab in " + dir + ": " + (allAlive ? "running" : noneAlive ? "stopped" : "PARTLY running"));
        for (DaemonStatus daemon : status) {
            String pid = daemon.pid().isPresent() ? Long.toString(daemon.pid().getAsLong()) : "-";
            out.printf("  %-16s %-8s pid %-8s %s%n", daemon.name(), daemon.alive() ? "alive" : "DOWN", pid,
                    String.join("  ", daemon.endpoints()));
        }
        for (String line : new LabFleetRunner(dir, out).status()) {
            out.println("  " + line);
        }
        if (!allAlive) {
            out.println("Run `" + ProjectPaths.launcher() + " lab up` to start it"
                    + (noneAlive ? "." : " (it stops what is left first)."));
        }
        return allAlive ? 0 : NOT_RUNNING;
    }

    private void upFleet(PrintWriter out, Path dir, OvnCentral ovn, String prefix, List<String> dpus,
                         List<String> labelOptions, int vfs,
                         int apiPort, int clusterPort, Path kubeconfig) throws InterruptedException {
        java.util.Map<String, java.util.Map<String, String>> labels;
        try {
            labels = LabFleetRunner.labels(dpus, labelOptions == null ? List.of() : labelOptions);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        out.println();
        new LabFleetRunner(dir, out).up(ovn, prefix, dpus, labels, vfs, apiPort, clusterPort, kubeconfig == null ? List.of()
                : List.of("--kubeconfig", kubeconfig.toAbsolutePath().toString()));
        String l = ProjectPaths.launcher();
        out.println();
        out.println("Try:");
        if (kubeconfig != null) {
            out.println("  export KUBECONFIG=" + kubeconfig.toAbsolutePath() + "   # the controller watches this cluster too");
            out.println("  kubectl apply -f examples/01-single-vpc-single-network.yaml   # after examples/00 with the NB above");
            out.println("  kubectl wait --for=condition=Ready dpuvpc/testvpc dvn/testnet1 dsi/testnet1-vf2; kubectl get dpuvpcs,dvn,dsi,si");
        }
        out.println("  " + l + " apply -f examples/01-single-vpc-single-network.yaml   # after examples/00 with the NB above");
        out.println("  " + l + " get serviceinterfaces -A;  " + l + " describe dpuvpcs");
        out.println("  ip netns exec HOST ip link set eth0 address <the interface's MAC>; ip netns exec HOST dhclient -1 eth0");
        out.println("Stop everything: " + l + " lab down");
    }

    private void printEndpoints(PrintWriter out, OvnCentral lab) {
        List<DaemonStatus> status = lab.status();
        out.printf("  NB  %-22s %s   (ovsdb-server pid %s)%n", lab.nbTcpEndpoint(), lab.nbUnixEndpoint(), pid(status.get(0)));
        out.printf("  SB  %-22s %s   (ovsdb-server pid %s)%n", lab.sbTcpEndpoint(), lab.sbUnixEndpoint(), pid(status.get(1)));
        if (lab.hasNorthd()) {
            out.printf("  ovn-northd pid %s%n", pid(status.get(2)));
        }
        out.println();
        out.println("Use it:");
        out.println("  ovn-nbctl --db=" + lab.nbTcpEndpoint() + " show");
        out.println("  ovn-sbctl --db=" + lab.sbTcpEndpoint() + " show");
        out.println("  export OVN_NB_DB=" + lab.nbTcpEndpoint() + " OVN_SB_DB=" + lab.sbTcpEndpoint()
                + "   # then plain ovn-nbctl / ovn-sbctl");
        out.println("Logs: " + lab.nbLog() + ", " + lab.sbLog() + (lab.hasNorthd() ? ", " + lab.northdLog() : ""));
        out.println("Stop: " + ProjectPaths.launcher() + " lab down    Status: " + ProjectPaths.launcher() + " lab status");
    }

    /**
     * The daemons have exited, but their parent is pid 1 (they detached), and until it reaps them
     * they show in {@code ps}/{@code pgrep} as {@code <defunct>}. Waiting a moment (some inits
     * reap only every second) keeps a {@code pgrep} right after {@code down} honest; an init that
     * never reaps only costs this wait.
     */
    private static void awaitReaped(List<DaemonStatus> stopped, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        for (DaemonStatus daemon : stopped) {
            Path proc = Path.of("/proc", Long.toString(daemon.pid().getAsLong()));
            while (Files.exists(proc) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static String pid(DaemonStatus status) {
        return status.pid().isPresent() ? Long.toString(status.pid().getAsLong()) : "-";
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private static Path workDir(Path work) {
        return work != null ? work.toAbsolutePath().normalize() : ProjectPaths.defaultLabDir();
    }
}
