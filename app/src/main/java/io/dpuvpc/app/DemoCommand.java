package io.dpuvpc.app;

import io.dpuvpc.app.lab.ConnectivityMatrix;
import io.dpuvpc.ovn.lab.WorkFolders;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vpc demo}: the product's main job on embedded defaults ({@link TwoTenantDemo}): the
 * reference's example 3, two tenants with the same subnet on four lab DPUs, applied with
 * {@code vpc apply}, converged to Ready with a progress display, shown as the describe tree, and
 * proven by a connectivity matrix measured from the host namespaces. With {@code --exit} it stops
 * everything and exits 0 only when the matrix is as expected; without it the controller stays up
 * for {@code vpc} client commands until Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run example 3 (two tenants, one subnet) on four lab DPUs with a real OVN, Cassandra, controller "
                + "and node agents; show it Ready and measure who reaches whom from the hosts.")
final class DemoCommand implements Callable<Integer> {
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);

    @Spec
    private CommandSpec spec;

    @Option(names = "--exit", description = "Stop everything after the matrix; exit 0 only when it is as expected.")
    private boolean exit;

    @Option(names = "--api-port", defaultValue = "8080",
            description = "The admin API's port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 = any free port).")
    private int apiPort;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("vpc-demo-");
        long t0 = System.nanoTime();
        TwoTenantDemo demo = new TwoTenantDemo(dir, out, apiPort);
        CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C while the controller stays up: everything stops and the folder goes, as with --exit.
        Thread hook = new Thread(() -> {
            demo.close();
            WorkFolders.deleteTree(dir);
            stopped.countDown();
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean asExpected = false;
        try {
            demo.startOvn();
            say(out, "1. OVN central up in %d ms: NB %s, SB %s, ovn-northd", ms(t0), demo.ovn().nbTcpEndpoint(),
                    demo.ovn().sbTcpEndpoint());
            long t = System.nanoTime();
            demo.startController();
            say(out, "2. Controller up in %d ms (embedded Cassandra, entities, Northbound bridge), admin API %s", ms(t),
                    demo.server());
            t = System.nanoTime();
            demo.startFleet();
            say(out, "3. Four lab DPUs up in %d ms: ovs-vswitchd (userspace datapath) and ovn-controller in namespaces,"
                    + " an underlay (MTU 9000), the external network `ext`, host VFs", ms(t));
            t = System.nanoTime();
            demo.startAgents();
            for (String line : demo.awaitNodes(STEP_TIMEOUT)) {
                say(out, "   %s", line);
            }
            say(out, "4. A node agent per DPU joined the controller's cluster (role dpu) and reported ready in %d ms",
                    ms(t));
            say(out, "5. Applying the reference's example 3: tenants red (DPUs a, b) and blue (c, d), both 192.178.0.0/16");
            if (demo.apply(ProjectPaths.examples()) != 0) {
                throw new IllegalStateException("vpc apply failed (see above)");
            }
            t = System.nanoTime();
            demo.leaseHosts(STEP_TIMEOUT);
            say(out, "6. Hosts configured their VF with the MAC the API reports and leased by DHCP (%d ms)", ms(t));
            long ready = demo.awaitReady(STEP_TIMEOUT);
            say(out, "7. Everything Ready %d ms later:", ready);
            demo.vpc("describe", "dpuvpcs", "--server", demo.server());
            t = System.nanoTime();
            ConnectivityMatrix matrix = demo.measure();
            say(out, "8. Connectivity measured from the hosts in %d ms (ping; egress: ping ext, and the source ext's"
                    + " echo service saw):", ms(t));
            matrix.render().lines().forEach(line -> out.println("   " + line));
            asExpected = matrix.asExpected();
            say(out, asExpected ? "   As expected: each tenant reaches only itself, and leaves through its DPU's address."
                    : "   NOT as expected: see the cells marked NO! or YES! above.");
            if (!exit) {
                say(out, "%nThe controller stays up. Try:%n  %s get dpuvpcs -A --server %s%n  %s describe dpuvpcs --server %s"
                        + "%n  ip netns exec vd-h-a-vf2 ping 192.178.0.1%nCtrl-C stops everything.",
                        ProjectPaths.launcher(), demo.server(), ProjectPaths.launcher(), demo.server());
                stopped.await();
            }
        } finally {
            if (exit || !asExpected) {
                demo.close();
                boolean removed = WorkFolders.deleteTree(dir);
                say(out, "Stopped everything%s. Total %d ms.", removed ? " and removed " + dir : "", ms(t0));
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
        return asExpected ? 0 : 1;
    }

    private static void say(PrintWriter out, String format, Object... args) {
        out.printf(format + "%n", args);
        out.flush();
    }

    private static long ms(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }
}
