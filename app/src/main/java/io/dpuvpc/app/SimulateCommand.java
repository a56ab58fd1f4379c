package io.dpuvpc.app;

import io.dpuvpc.app.simulate.FleetSimulation;
import io.dpuvpc.app.simulate.SimulationSettings;
import io.dpuvpc.simulator.fleet.FleetScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vpc simulate}: a large fleet of simulated DPUs against a real OVN central, real
 * controllers and an embedded Cassandra, driven through the admin API ({@link FleetSimulation});
 * a report in {@code --out}. Exits 1 when the fleet did not converge.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Simulated DPUs (chassis and port bindings in a real Southbound, agents in the controllers'",
                "cluster) against a real OVN central, real controllers and Cassandra; VPCs, networks and",
                "ServiceInterfaces applied through the admin API; measures convergence, apply->Ready latency,",
                "NB/SB transactions, heap, RSS and events; writes CSV and HTML to --out. Exit 1 if not converged."})
final class SimulateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--dpus", paramLabel = "N", defaultValue = "100", description = "Simulated DPUs (default: ${DEFAULT-VALUE}).")
    private int dpus;

    @Option(names = "--vpcs", paramLabel = "M", defaultValue = "10", description = "VPCs, each with its share of the DPUs (default: ${DEFAULT-VALUE}).")
    private int vpcs;

    @Option(names = "--networks-per-vpc", paramLabel = "K", defaultValue = "2", description = "Networks per VPC (default: ${DEFAULT-VALUE}).")
    private int networksPerVpc;

    @Option(names = "--interfaces-per-network", paramLabel = "J", defaultValue = "5",
            description = "ServiceInterfaces per network, over the VPC's DPUs in turn (default: ${DEFAULT-VALUE}).")
    private int interfacesPerNetwork;

    @Option(names = "--churn", paramLabel = "RATE", defaultValue = "0",
            description = "After convergence, ServiceInterfaces created and deleted per second (default: ${DEFAULT-VALUE}).")
    private double churn;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0", description = "How long the churn lasts (default: ${DEFAULT-VALUE}).")
    private long duration;

    @Option(names = "--controllers", paramLabel = "C", defaultValue = "1",
            description = "Controller JVMs on loopback, one Pekko cluster (default: ${DEFAULT-VALUE}).")
    private int controllers;

    @Option(names = "--controller-heap", paramLabel = "SIZE", defaultValue = "1g", description = "Each controller's -Xmx (default: ${DEFAULT-VALUE}).")
    private String controllerHeap;

    @Option(names = "--heartbeat", paramLabel = "SECONDS", defaultValue = "10", description = "The agents' heartbeat (default: ${DEFAULT-VALUE}).")
    private long heartbeat;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "Convergence must come within this, from the first apply (default: ${DEFAULT-VALUE}).")
    private long timeout;

    @Option(names = "--reboots", paramLabel = "N", defaultValue = "0",
            description = "After convergence, N DPUs reboot at once (chassis deleted and registered again, ports bound again);"
                    + " timed until every ServiceInterface is Ready again (default: ${DEFAULT-VALUE}).")
    private int reboots;

    @Option(names = "--probes", paramLabel = "N", defaultValue = "20",
            description = "Single changes timed after convergence, N of each kind on the idle system (each once"
                    + " ovn-northd is quiet): a VPC's interNetworkAccess flipped, and a new ServiceInterface; then N"
                    + " VPC flips back to back (default: ${DEFAULT-VALUE}).")
    private int probes;

    @Option(names = "--apply-batch", paramLabel = "N", defaultValue = "10", description = "Documents per apply request (default: ${DEFAULT-VALUE}).")
    private int applyBatch;

    @Option(names = "--applies-in-flight", paramLabel = "N", defaultValue = "32",
            description = "Apply requests at once; a request's documents are applied in order (default: ${DEFAULT-VALUE}).")
    private int appliesInFlight;

    @Option(names = "--agents", paramLabel = "simulated|real", defaultValue = "simulated",
            description = "simulated: agents that speak the node agent's protocol, no OVS; real: the real node agent of each"
                    + " DPU on its own emulated OVS database (docs/EMULATED_OVS.md) (default: ${DEFAULT-VALUE}).")
    private String agents;

    @Option(names = "--out", paramLabel = "DIR", description = "The report's folder (default: .vpc/simulate/<time>).")
    private Path out;

    @Option(names = "--keep", description = "Keep the work folder (OVN databases, Cassandra, logs) afterwards.")
    private boolean keep;

    private static FleetScenario.Agents agents(String name) {
        return switch (name) {
            case "simulated" -> FleetScenario.Agents.SIMULATED;
            case "real" -> FleetScenario.Agents.NODE_AGENTS_ON_EMULATED_OVS;
            default -> throw new IllegalArgumentException("--agents must be simulated or real, not " + name);
        };
    }

    /** {@code .vpc/<what>/<yyyyMMdd-HHmmss>} in the project: a report folder per run. */
    static Path timestamped(String what) {
        return ProjectPaths.projectRoot().resolve(".vpc").resolve(what)
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    @Override
    public Integer call() throws Exception {
        Path report = out != null ? out : timestamped("simulate");
        SimulationSettings settings;
        try {
            settings = new SimulationSettings(dpus, vpcs, networksPerVpc, interfacesPerNetwork, churn, Duration.ofSeconds(duration),
                    controllers, report.toAbsolutePath(), Duration.ofSeconds(heartbeat), Duration.ofSeconds(timeout),
                    controllerHeap, probes, applyBatch, appliesInFlight, reboots, agents(agents));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path work = Files.createTempDirectory("vpc-simulate-");
        boolean converged = false;
        try {
            FleetSimulation.Outcome outcome = FleetSimulation.run(settings, work, System.out);
            converged = outcome.converged();
            System.out.println("report: " + String.join(", ", outcome.files().stream().map(Path::toString).toList()));
            return converged ? 0 : 1;
        } finally {
            if (keep || !converged) {
                System.out.println("work folder kept: " + work + " (OVN databases and logs, Cassandra, controller logs)");
            } else {
                io.dpuvpc.ovn.lab.WorkFolders.deleteTree(work);
            }
        }
    }
}
