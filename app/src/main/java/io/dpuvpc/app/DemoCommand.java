package io.dpuvpc.app;

import com.typesafe.config.ConfigFactory;
import io.dpuvpc.app.cluster.ControllerNode;
import io.dpuvpc.ovn.lab.OvnCentral;
import io.dpuvpc.ovn.lab.WorkFolders;
import io.dpuvpc.ovn.northbound.NbTables;
import io.dpuvpc.ovn.northbound.Ownership;
import io.dpuvpc.persistence.cassandra.EmbeddedCassandra;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vpc demo}: the product's main job on embedded defaults. It starts a real OVN central
 * (NB, SB, ovn-northd) and an embedded Cassandra on free loopback ports, then a controller node
 * (a Pekko cluster of one, entities sharded and event-sourced in Cassandra), applies the
 * reference's example 2 through the entities (one VPC, two networks, a VF interface on each
 * network's DPU node), and waits until the Northbound bridge has the topology in OVN and every
 * resource reports it observed there. It shows the conditions, {@code ovn-nbctl show}, a drift
 * repaired by itself, and finally deletes everything and counts the rows left (none). No DPU
 * agent runs yet (issue 6), so interfaces stay Ready False (AwaitingPort): nothing binds them.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run OVN, Cassandra and a controller node on loopback; apply the reference's example 2; "
                + "show it converge in OVN, repair drift, and clean up.")
final class DemoCommand implements Callable<Integer> {
    static final Duration CONVERGE_TIMEOUT = Duration.ofSeconds(60);

    @Spec
    private CommandSpec spec;

    @Option(names = "--keep", description = "Leave OVN and Cassandra running at the end and print how to reach them.")
    private boolean keep;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("vpc-demo-");
        long t0 = System.nanoTime();
        OvnCentral ovn = OvnCentral.builder(dir.resolve("ovn")).stopOnJvmExit(!keep).start();
        EmbeddedCassandra cassandra = null;
        try {
            out.printf("1. OVN central up in %d ms: NB %s, SB %s, ovn-northd (files in %s)%n", ms(t0), ovn.nbTcpEndpoint(),
                    ovn.sbTcpEndpoint(), dir.resolve("ovn"));
            out.flush();
            out.printf("   starting an embedded Cassandra %s (a child JVM: 13 s on an idle 2-core machine, up to 30 s under load)...%n", EmbeddedCassandra.VERSION);
            out.flush();
            long t1 = System.nanoTime();
            cassandra = EmbeddedCassandra.builder(dir.resolve("cassandra")).stopOnJvmExit(!keep).build().start();
            out.printf("2. Cassandra %s up in %d ms on %s%n", EmbeddedCassandra.VERSION, ms(t1), cassandra.contactPoint());
            out.flush();

            out.printf("   starting a controller node (it creates the journal's keyspaces and tables first)...%n");
            out.flush();
            long t2 = System.nanoTime();
            try (ControllerNode node = ControllerNode.start(ControllerNode.Settings.loopback("demo", 0,
                    ConfigFactory.parseString(cassandra.driverConfig())), Clock.systemUTC())) {
                awaitTrue(() -> Cluster.get(node.system()).selfMember().status() == MemberStatus.up(), Duration.ofSeconds(30),
                        "the controller node did not join its cluster");
                out.printf("3. Controller node up in %d ms: Pekko cluster of one, journal and snapshots in Cassandra%n", ms(t2));
                out.flush();

                DemoScenario demo = new DemoScenario(node.directory());
                long t3 = System.nanoTime();
                int applied = demo.apply(ovn.nbTcpEndpoint());
                out.printf("4. Applied %d resources (IsolationClass, 2 DPU nodes, DPUVPC default/testvpc, 2 networks, "
                        + "2 DPUServiceInterfaces)%n", applied);
                out.flush();
                awaitTrue(() -> reconciled(demo), CONVERGE_TIMEOUT, "the resources did not converge");
                out.printf("5. Converged in %d ms: every row seen in the NB monitor, every address assigned by "
                        + "ovn-northd's IPAM%n", ms(t3));
                demo.describe(out);
                out.printf("   (no DPU agent runs in this demo, so no chassis binds the ports: Ready stays False)%n");
                out.printf("6. Rows of ours in Northbound: %d; ovn-nbctl show:%n", ownedRows(ovn));
                ovn.nbctl("show").lines().forEach(line -> out.println("     " + line));
                out.flush();

                long t4 = System.nanoTime();
                ovn.nbctl("ls-del", "net_default_testnet1");
                awaitTrue(() -> ovn.nbctl("--bare", "--columns=name", "list", "Logical_Switch").contains("net_default_testnet1")
                        && ovn.nbctl("--bare", "--columns=name", "list", "Logical_Switch_Port").contains("default_testnet1-vf2-dpu-a"),
                        Duration.ofSeconds(10), "the deleted switch was not restored");
                out.printf("7. Drift: `ovn-nbctl ls-del net_default_testnet1` (its ports went with it) was repaired in %d ms"
                        + " by the bridge, unasked%n", ms(t4));

                long t5 = System.nanoTime();
                int deleted = demo.deleteAll();
                awaitTrue(() -> ownedRows(ovn) == 0 && demo.serviceInterfacesLeft() == 0, Duration.ofSeconds(30),
                        "rows of ours were left in Northbound after the delete");
                out.printf("8. Deleted %d resources: 0 rows of ours left in Northbound after %d ms%n", deleted, ms(t5));
            }
        } finally {
            if (keep) {
                out.printf("OVN and Cassandra left running. Try: ovn-nbctl --db=%s show%n", ovn.nbTcpEndpoint());
            } else {
                if (cassandra != null) {
                    cassandra.close();
                }
                ovn.close();
                out.printf(WorkFolders.deleteTree(dir) ? "Stopped OVN and Cassandra and removed their folder. Total %d ms.%n"
                        : "Stopped OVN and Cassandra (their folder " + dir + " could not be removed). Total %d ms.%n", ms(t0));
            }
            out.flush();
        }
        return 0;
    }

    private static boolean reconciled(DemoScenario demo) {
        try {
            return demo.reconciled();
        } catch (Exception e) {
            return false;
        }
    }

    /** Rows carrying our ownership key, over every table the bridge manages. */
    static int ownedRows(OvnCentral ovn) {
        int rows = 0;
        for (String table : NbTables.MANAGED) {
            rows += (int) ovn.nbctl("--bare", "--columns=external_ids", "list", table).lines()
                    .filter(line -> line.contains(Ownership.OWNER + "=")).count();
        }
        return rows;
    }

    @FunctionalInterface
    interface Check {
        boolean test() throws Exception;
    }

    private static void awaitTrue(Check condition, Duration timeout, String failure) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(failure + " within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    private static long ms(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }
}
