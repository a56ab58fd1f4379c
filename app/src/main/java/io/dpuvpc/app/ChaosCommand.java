package io.dpuvpc.app;

import io.dpuvpc.app.simulate.ChaosRun;
import io.dpuvpc.app.simulate.SimulationSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vpc chaos}: real faults under a simulated fleet ({@link ChaosRun}), each audited for
 * lost intent, duplicate and orphan Northbound rows, and timed until everything is Ready again.
 * Prints the table and writes it to {@code --out}/chaos.md. Exits 1 when any fault lost,
 * duplicated or left something, or did not recover.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = {"Real faults under a simulated fleet (real OVN central, controller JVMs, Cassandra): SIGKILL of a",
                "random controller at random moments of a ServiceInterface burst (a new process started in its place),",
                "Cassandra stopped under writes, the Northbound ovsdb-server restarted and wiped. After each: what was",
                "acknowledged is listed and Ready, no Northbound row is duplicated or orphaned; prints fault, count, lost,",
                "duplicates, orphans and time to recover. Exit 1 if any fault lost or left anything."})
final class ChaosCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--dpus", paramLabel = "N", defaultValue = "100", description = "Simulated DPUs (default: ${DEFAULT-VALUE}).")
    private int dpus;

    @Option(names = "--vpcs", paramLabel = "M", defaultValue = "10", description = "VPCs (default: ${DEFAULT-VALUE}).")
    private int vpcs;

    @Option(names = "--networks-per-vpc", paramLabel = "K", defaultValue = "2", description = "Networks per VPC (default: ${DEFAULT-VALUE}).")
    private int networksPerVpc;

    @Option(names = "--interfaces-per-network", paramLabel = "J", defaultValue = "50",
            description = "ServiceInterfaces per network: the burst (default: ${DEFAULT-VALUE}).")
    private int interfacesPerNetwork;

    @Option(names = "--controllers", paramLabel = "C", defaultValue = "3",
            description = "Controller JVMs, one Pekko cluster; at least 3 with --kills (default: ${DEFAULT-VALUE}).")
    private int controllers;

    @Option(names = "--controller-heap", paramLabel = "SIZE", defaultValue = "1g", description = "Each controller's -Xmx (default: ${DEFAULT-VALUE}).")
    private String controllerHeap;

    @Option(names = "--kills", paramLabel = "N", defaultValue = "10",
            description = "SIGKILLs of a random controller during the burst (default: ${DEFAULT-VALUE}).")
    private int kills;

    @Option(names = "--cassandra-outage", paramLabel = "SECONDS", defaultValue = "30",
            description = "Cassandra stopped this long under writes; 0: not at all (default: ${DEFAULT-VALUE}).")
    private long cassandraOutage;

    @Option(names = "--no-northbound", negatable = false,
            description = "Do not restart or wipe the Northbound ovsdb-server.")
    private boolean noNorthbound;

    @Option(names = "--applies-in-flight", paramLabel = "N", defaultValue = "16",
            description = "Apply requests at once, one ServiceInterface each (default: ${DEFAULT-VALUE}).")
    private int appliesInFlight;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "Each fault's recovery must come within this (default: ${DEFAULT-VALUE}).")
    private long timeout;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Chooses the victims and the moments; the same seed, the same choices (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "The report's folder (default: .vpc/chaos/<time>).")
    private Path out;

    @Option(names = "--keep", description = "Keep the work folder (OVN databases, Cassandra, logs) afterwards.")
    private boolean keep;

    @Override
    public Integer call() throws Exception {
        Path report = out != null ? out : SimulateCommand.timestamped("chaos");
        ChaosRun.Settings settings;
        try {
            SimulationSettings fleet = new SimulationSettings(dpus, vpcs, networksPerVpc, interfacesPerNetwork, 0, Duration.ZERO,
                    controllers, report.toAbsolutePath(), Duration.ofSeconds(10), Duration.ofSeconds(timeout), controllerHeap, 0,
                    1, appliesInFlight, 0);
            settings = new ChaosRun.Settings(fleet, kills, Duration.ofSeconds(cassandraOutage), !noNorthbound, seed);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path work = Files.createTempDirectory("vpc-chaos-");
        boolean clean = false;
        try {
            clean = ChaosRun.run(settings, work, System.out).clean();
            return clean ? 0 : 1;
        } finally {
            if (keep || !clean) {
                System.out.println("work folder kept: " + work + " (OVN databases and logs, Cassandra, controller logs)");
            } else {
                io.dpuvpc.ovn.lab.WorkFolders.deleteTree(work);
            }
        }
    }
}
