package io.dpuvpc.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.dpuvpc.actors.entity.FleetClaimsBenchmark;
import io.dpuvpc.app.simulate.ScaleBenchmark;
import io.dpuvpc.app.simulate.SimulationSettings;
import io.dpuvpc.ovn.lab.WorkFolders;
import io.dpuvpc.ovn.ovsdb.JsonFramingBenchmark;
import io.dpuvpc.simulator.bench.FleetBindBenchmark;
import io.dpuvpc.simulator.bench.OvsdbBenchmarkReport;
import io.dpuvpc.simulator.bench.OvsdbWriteBenchmark;
import io.dpuvpc.simulator.bench.OvsdbWriteBenchmark.Settings;
import io.dpuvpc.simulator.bench.converge.ConvergeBenchmark;
import io.dpuvpc.simulator.bench.converge.ConvergeReport;
import io.dpuvpc.simulator.bench.persistence.PersistenceBenchmark;
import io.dpuvpc.simulator.bench.persistence.PersistenceBenchmarkReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vpc bench ovsdb}: the OVSDB write benchmark ({@link OvsdbWriteBenchmark}) against an NB
 * ovsdb-server it starts itself in a temp folder. {@code vpc bench persistence}: the event-sourcing
 * benchmark ({@link PersistenceBenchmark}), an embedded Cassandra it starts itself against Pekko's
 * in-memory journal. {@code vpc bench converge}: the Northbound bridge bringing a fleet's topology
 * into a real OVN central ({@link ConvergeBenchmark}), through the entities and through the bridge
 * alone, against the reference's way and the raw
 * write limit. {@code vpc bench scale}: {@code vpc simulate} at fleet scale beside the same
 * baselines ({@link ScaleBenchmark}). {@code vpc bench framing}: splitting the OVSDB byte stream
 * ({@link JsonFramingBenchmark}). The table goes to stdout, progress to stderr, and with {@code --json} the same
 * figures to a file.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks that start their own servers and print figures.")
public final class BenchCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Progress lines to stderr, each as it comes. */
    private java.util.function.Consumer<String> progress() {
        PrintWriter err = spec.commandLine().getErr();
        return line -> {
            err.println(line);
            err.flush();
        };
    }

    @Command(name = "claims", mixinStandardHelpOptions = true,
            description = {"The fleet entity's claims and matches while a fleet comes up: W DPUServiceInterfaces watch",
                    "a rack each, N DPU nodes report their labels, then M DPUVPCs register, each selecting its own nodes;",
                    "kept between changes beside computed from scratch (the baseline, timed on each phase's last events)."})
    int claims(@Option(names = "--dpus", paramLabel = "N", defaultValue = "10000",
                       description = "DPU nodes (default: ${DEFAULT-VALUE}).") int dpus,
               @Option(names = "--vpcs", paramLabel = "M", defaultValue = "1000",
                       description = "DPUVPCs (default: ${DEFAULT-VALUE}).") int vpcs,
               @Option(names = "--dsis", paramLabel = "W", defaultValue = "10",
                       description = "DPUServiceInterfaces watching the nodes of a rack each (default: ${DEFAULT-VALUE}).")
               int dsis,
               @Option(names = "--baseline-events", paramLabel = "K", defaultValue = "10",
                       description = "Node reports and VPC registrations timed from scratch, at most both "
                               + "(default: ${DEFAULT-VALUE}).")
               int baselineEvents) {
        if (dpus < 1 || vpcs < 1 || dsis < 0 || baselineEvents < 1 || baselineEvents > Math.min(dpus, vpcs)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--dpus and --vpcs must be at least 1, --dsis at least 0, and --baseline-events between 1 and both");
        }
        var phases = FleetClaimsBenchmark.run(dpus, vpcs, dsis, baselineEvents, progress());
        PrintWriter out = spec.commandLine().getOut();
        out.print(FleetClaimsBenchmark.table(dpus, vpcs, dsis, phases));
        out.flush();
        return 0;
    }

    @Command(name = "framing", mixinStandardHelpOptions = true,
            description = {"Splitting an OVSDB byte stream into its JSON texts: our JsonFrameDecoder beside Netty's",
                    "JsonObjectDecoder (the baseline) on the same bytes, a monitor reply of R logical switch ports and",
                    "N one-row update notifications, in 64 KiB reads; the median of the timed rounds."})
    int framing(@Option(names = "--rows", paramLabel = "R", defaultValue = "10000",
                        description = "Rows in the monitor reply (default: ${DEFAULT-VALUE}).") int rows,
                @Option(names = "--notifications", paramLabel = "N", defaultValue = "20000",
                        description = "One-row update notifications (default: ${DEFAULT-VALUE}).") int notifications,
                @Option(names = "--warmup", paramLabel = "W", defaultValue = "20",
                        description = "Untimed rounds of each decoder first (default: ${DEFAULT-VALUE}).") int warmup,
                @Option(names = "--rounds", paramLabel = "K", defaultValue = "21",
                        description = "Timed rounds of each decoder (default: ${DEFAULT-VALUE}).") int rounds) {
        if (rows < 1 || notifications < 1 || warmup < 0 || rounds < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--rows, --notifications and --rounds must be at least 1, --warmup at least 0");
        }
        var figures = JsonFramingBenchmark.run(rows, notifications, warmup, rounds, progress());
        PrintWriter out = spec.commandLine().getOut();
        out.print(JsonFramingBenchmark.table(figures));
        out.flush();
        return 0;
    }

    @Command(name = "fleet", mixinStandardHelpOptions = true,
            description = {"A simulated fleet coming up on a real OVN central: N DPUs register their chassis in the",
                    "Southbound and bind M logical ports as ovn-controller does, until ovn-northd has set every port up",
                    "in the Northbound; batched (the simulator's way) beside one transaction per row."})
    int fleet(@Option(names = "--dpus", paramLabel = "N", defaultValue = "1000",
                      description = "Simulated DPUs (default: ${DEFAULT-VALUE}).") int dpus,
              @Option(names = "--ports", paramLabel = "N", defaultValue = "10000",
                      description = "Logical ports bound, round-robin over the DPUs (default: ${DEFAULT-VALUE}).") int ports)
            throws IOException {
        if (dpus < 1 || ports < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--dpus and --ports must be at least 1");
        }
        PrintWriter err = spec.commandLine().getErr();
        var results = FleetBindBenchmark.compare(dpus, ports, line -> {
            err.println(line);
            err.flush();
        });
        PrintWriter out = spec.commandLine().getOut();
        out.println();
        out.print(FleetBindBenchmark.table(results));
        out.flush();
        return 0;
    }

    @Command(name = "ovsdb", mixinStandardHelpOptions = true,
            description = {"Create N logical switches with one port each in a fresh NB ovsdb-server, five ways:",
                    "(1) our client, one object per transaction, pipelined; (2) our client, batched;",
                    "(3) raw JSON-RPC over a socket (the physical limit); (4) one ovn-nbctl process per object;",
                    "(5) ovn-nbctl daemon mode. Prints transactions/s and rows/s; every row's rows are counted."})
    int ovsdb(@Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.") Path json,
              @Option(names = "--objects", paramLabel = "N", defaultValue = "" + Settings.DEFAULT_OBJECTS,
                      description = "Objects for rows (1)-(3) (default: ${DEFAULT-VALUE}).") int objects,
              @Option(names = "--nbctl-objects", paramLabel = "N", defaultValue = "" + Settings.DEFAULT_NBCTL_OBJECTS,
                      description = "Objects for the ovn-nbctl rows (4) and (5); 0 leaves them out (default: ${DEFAULT-VALUE}).")
              int nbctlObjects,
              @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "" + Settings.DEFAULT_MAX_IN_FLIGHT,
                      description = "The client's maxInFlight in (1) and (2) (default: ${DEFAULT-VALUE}).") int maxInFlight,
              @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + Settings.DEFAULT_BATCH_SIZE,
                      description = "Objects per transaction in (2) (default: ${DEFAULT-VALUE}).") int batchSize,
              @Option(names = "--repeat", paramLabel = "N", defaultValue = "" + Settings.DEFAULT_REPEATS,
                      description = "Runs of each of (1)-(3), interleaved; the median is reported (default: ${DEFAULT-VALUE}).")
              int repeats,
              @Option(names = "--warmup-objects", paramLabel = "N", defaultValue = "" + Settings.DEFAULT_WARMUP_OBJECTS,
                      description = "Objects per untimed warm-up round through (1)-(3); rounds go on until the JIT is "
                              + "nearly quiet, at most 8 (default: ${DEFAULT-VALUE}; 0: no warm-up).") int warmup)
            throws IOException {
        // withObjects last: it caps the warm-up at the timed size.
        Settings settings = Settings.defaults().withWarmupObjects(warmup).withNbctlObjects(nbctlObjects)
                .withMaxInFlight(maxInFlight).withBatchSize(batchSize).withRepeats(repeats).withObjects(objects);
        PrintWriter err = spec.commandLine().getErr();
        OvsdbBenchmarkReport report = OvsdbWriteBenchmark.run(settings, line -> {
            err.println(line);
            err.flush();
        });
        PrintWriter out = spec.commandLine().getOut();
        out.println();
        out.print(report.table());
        if (json != null) {
            report.writeJson(json);
            out.println("JSON: " + json.toAbsolutePath());
        }
        out.flush();
        return 0;
    }

    @Command(name = "persistence", mixinStandardHelpOptions = true,
            description = {"Event sourcing of N DpuVpcEntity actors on (A) a real Cassandra 5.0.9 that it starts",
                    "itself (pekko-persistence-cassandra, default settings) against (B) Pekko's in-memory journal,",
                    "in one run: events/s persisted (Apply, then K AttachNetwork per entity), recovery of all N",
                    "(for Cassandra in a new actor system), heap per idle entity, and A/B. Every reply and every",
                    "recovered state is checked."})
    int persistence(@Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.") Path json,
                    @Option(names = "--entities", paramLabel = "N",
                            defaultValue = "" + PersistenceBenchmark.Settings.DEFAULT_ENTITIES,
                            description = "VPC entities (default: ${DEFAULT-VALUE}).") int entities,
                    @Option(names = "--networks", paramLabel = "K",
                            defaultValue = "" + PersistenceBenchmark.Settings.DEFAULT_NETWORKS_PER_ENTITY,
                            description = "AttachNetwork commands (events) per entity in round 2, at most 250 "
                                    + "(default: ${DEFAULT-VALUE}).") int networks,
                    @Option(names = "--max-in-flight", paramLabel = "N",
                            defaultValue = "" + PersistenceBenchmark.Settings.DEFAULT_MAX_IN_FLIGHT,
                            description = "Asks outstanding at once (default: ${DEFAULT-VALUE}).") int maxInFlight,
                    @Option(names = "--warmup-entities", paramLabel = "N",
                            defaultValue = "" + PersistenceBenchmark.Settings.DEFAULT_WARMUP_ENTITIES,
                            description = "Entities of the untimed in-memory warm-up cycle before (A) "
                                    + "(default: ${DEFAULT-VALUE}; 0: none).") int warmup)
            throws IOException {
        PersistenceBenchmark.Settings settings = PersistenceBenchmark.Settings.defaults().withEntities(entities)
                .withNetworksPerEntity(networks).withMaxInFlight(maxInFlight).withWarmupEntities(warmup)
                // Resolving Cassandra's classpath costs seconds: once per checkout, not per run.
                .withCassandraClasspathCache(ProjectPaths.projectRoot().resolve(".vpc").resolve("cassandra.classpath"));
        PrintWriter err = spec.commandLine().getErr();
        PersistenceBenchmarkReport report = PersistenceBenchmark.run(settings, line -> {
            err.println(line);
            err.flush();
        });
        PrintWriter out = spec.commandLine().getOut();
        out.println();
        out.print(report.table());
        if (json != null) {
            report.writeJson(json);
            out.println("JSON: " + json.toAbsolutePath());
        }
        out.flush();
        return 0;
    }

    @Command(name = "converge", mixinStandardHelpOptions = true,
            description = {"How long until a fleet's topology is in a real OVN (NB, SB, northd),",
                    "four ways, each on a fresh central:",
                    "(0) ours end to end: the fleet applied to the real entities (in-memory",
                    "    journal, their Northbound router and bridge), until every VPC,",
                    "    network and interface reports itself reconciled in its conditions;",
                    "(1) ours, bridge only: every VPC, network and interface intent at once to one",
                    "    NorthboundBridge, until every owner is RECONCILED (with northd's IPAM);",
                    "(2) the reference's way: one transaction per owner, a new connection and",
                    "    a full NB monitor per reconcile, on a sample, extrapolated;",
                    "(3) the raw JSON-RPC write limit.",
                    "Prints seconds, rows, transactions, rows/s and the ratios."})
    int converge(@Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.") Path json,
                 @Option(names = "--vpcs", paramLabel = "N", defaultValue = "" + ConvergeBenchmark.Settings.DEFAULT_VPCS,
                         description = "VPCs (default: ${DEFAULT-VALUE}).") int vpcs,
                 @Option(names = "--networks-per-vpc", paramLabel = "N",
                         defaultValue = "" + ConvergeBenchmark.Settings.DEFAULT_NETWORKS_PER_VPC,
                         description = "Networks per VPC (default: ${DEFAULT-VALUE}).") int networks,
                 @Option(names = "--interfaces-per-network", paramLabel = "N",
                         defaultValue = "" + ConvergeBenchmark.Settings.DEFAULT_INTERFACES_PER_NETWORK,
                         description = "Interfaces per network, at most 250 (default: ${DEFAULT-VALUE}).") int interfaces,
                 @Option(names = "--nodes-per-vpc", paramLabel = "N", defaultValue = "0",
                         description = "DPU nodes (gateways) per VPC, each a gateway router; the interfaces go over them in "
                                 + "turn (default: 0, one node in odd VPCs and two in even ones).") int nodesPerVpc,
                 @Option(names = "--reference-vpcs", paramLabel = "N",
                         defaultValue = "" + ConvergeBenchmark.Settings.DEFAULT_REFERENCE_VPCS,
                         description = "VPCs (with their networks and interfaces) in the reference's sample "
                                 + "(default: ${DEFAULT-VALUE}).") int referenceVpcs,
                 @Option(names = "--reference-budget", paramLabel = "SECONDS",
                         defaultValue = "" + ConvergeBenchmark.Settings.DEFAULT_REFERENCE_BUDGET_SECONDS,
                         description = "The reference's sample stops after this long (default: ${DEFAULT-VALUE}).")
                 int referenceBudget,
                 @Option(names = "--raw-objects", paramLabel = "N", defaultValue = "" + ConvergeBenchmark.Settings.DEFAULT_RAW_OBJECTS,
                         description = "Objects (switch + port) per raw run; 3 runs, the median counts (default: ${DEFAULT-VALUE}).")
                 int rawObjects,
                 @Option(names = "--warmup-vpcs", paramLabel = "N", defaultValue = "" + ConvergeBenchmark.Settings.DEFAULT_WARMUP_VPCS,
                         description = "VPCs of an untimed run of (0) and of (1) first, each on a central of its own "
                                 + "(default: ${DEFAULT-VALUE}; 0: none).") int warmupVpcs,
                 @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "" + ConvergeBenchmark.Settings.DEFAULT_TIMEOUT_SECONDS,
                         description = "Fail if (0) or (1) has not converged after this long (default: ${DEFAULT-VALUE}).")
                 int timeout,
                 @Option(names = "--batch-delay-ms", paramLabel = "MS",
                         description = "Bridge setting batchDelay (default: the bridge's).") Long batchDelayMs,
                 @Option(names = "--max-owners-per-transaction", paramLabel = "N",
                         description = "Bridge setting maxOwnersPerTransaction (default: the bridge's).") Integer maxOwners,
                 @Option(names = "--max-transactions-in-flight", paramLabel = "N",
                         description = "Bridge setting maxTransactionsInFlight (default: the bridge's).") Integer maxInFlight)
            throws IOException {
        ConvergeBenchmark.Settings settings = ConvergeBenchmark.Settings.defaults().withSize(vpcs, networks, interfaces)
                .withNodesPerVpc(nodesPerVpc).withReference(referenceVpcs, Duration.ofSeconds(referenceBudget)).withRaw(rawObjects, 3)
                .withWarmupVpcs(warmupVpcs).withTimeout(Duration.ofSeconds(timeout))
                .withBridge(batchDelayMs == null ? null : Duration.ofMillis(batchDelayMs), maxOwners, maxInFlight);
        PrintWriter err = spec.commandLine().getErr();
        ConvergeReport report = ConvergeBenchmark.run(settings, line -> {
            err.println(line);
            err.flush();
        });
        PrintWriter out = spec.commandLine().getOut();
        out.println();
        out.print(report.table());
        if (json != null) {
            report.writeJson(json);
            out.println("JSON: " + json.toAbsolutePath());
        }
        out.flush();
        return 0;
    }

    @Command(name = "scale", mixinStandardHelpOptions = true,
            description = {"The whole product at fleet scale beside its baselines, in Northbound rows/s:",
                    "(0) ours: vpc simulate (simulated DPUs, controllers with Cassandra, resources through the",
                    "    admin API, real OVN) until every ServiceInterface, network and VPC is Ready;",
                    "(2) the reference's way on a sample of the same topology, extrapolated;",
                    "(3) the raw NB write limit. Prints the ratios; exit 1 if (0) did not converge."})
    int scale(@Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.") Path json,
              @Option(names = "--dpus", paramLabel = "N", defaultValue = "1000", description = "Simulated DPUs (default: ${DEFAULT-VALUE}).")
              int dpus,
              @Option(names = "--vpcs", paramLabel = "N", defaultValue = "100", description = "VPCs (default: ${DEFAULT-VALUE}).") int vpcs,
              @Option(names = "--networks-per-vpc", paramLabel = "N", defaultValue = "10",
                      description = "Networks per VPC (default: ${DEFAULT-VALUE}).") int networks,
              @Option(names = "--interfaces-per-network", paramLabel = "N", defaultValue = "10",
                      description = "ServiceInterfaces per network (default: ${DEFAULT-VALUE}).") int interfaces,
              @Option(names = "--controllers", paramLabel = "C", defaultValue = "1",
                      description = "Controller JVMs (default: ${DEFAULT-VALUE}).") int controllers,
              @Option(names = "--controller-heap", paramLabel = "SIZE", defaultValue = "1g",
                      description = "Each controller's -Xmx (default: ${DEFAULT-VALUE}).") String heap,
              @Option(names = "--applies-in-flight", paramLabel = "N", defaultValue = "16",
                      description = "Apply requests at once, one document each (default: ${DEFAULT-VALUE}).") int inFlight,
              @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "1200",
                      description = "(0) must converge within this (default: ${DEFAULT-VALUE}).") int timeout,
              @Option(names = "--reference-vpcs", paramLabel = "N", defaultValue = "" + ConvergeBenchmark.Settings.DEFAULT_REFERENCE_VPCS,
                      description = "VPCs in the reference's sample (default: ${DEFAULT-VALUE}).") int referenceVpcs,
              @Option(names = "--reference-budget", paramLabel = "SECONDS",
                      defaultValue = "" + ConvergeBenchmark.Settings.DEFAULT_REFERENCE_BUDGET_SECONDS,
                      description = "The reference's sample stops after this long (default: ${DEFAULT-VALUE}).") int referenceBudget,
              @Option(names = "--raw-objects", paramLabel = "N", defaultValue = "" + ConvergeBenchmark.Settings.DEFAULT_RAW_OBJECTS,
                      description = "Objects per raw run; 3 runs, the median counts (default: ${DEFAULT-VALUE}).") int rawObjects,
              @Option(names = "--out", paramLabel = "DIR", description = "The simulation's report (default: .vpc/bench-scale/<time>).")
              Path out) throws Exception {
        SimulationSettings settings;
        try {
            settings = new SimulationSettings(dpus, vpcs, networks, interfaces, 0, Duration.ZERO, controllers,
                    (out != null ? out : SimulateCommand.timestamped("bench-scale")).toAbsolutePath(), Duration.ofSeconds(10),
                    Duration.ofSeconds(timeout), heap, 20, 1, inFlight, 0);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        ConvergeBenchmark.Settings baselines = ConvergeBenchmark.Settings.defaults().withSize(vpcs, networks, interfaces)
                .withReference(referenceVpcs, Duration.ofSeconds(referenceBudget)).withRaw(rawObjects, 3);
        Path work = Files.createTempDirectory("vpc-bench-scale-");
        ScaleBenchmark.Result result;
        try {
            result = ScaleBenchmark.run(settings, baselines, work, System.err);
        } finally {
            WorkFolders.deleteTree(work);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.println();
        o.print(ScaleBenchmark.table(result));
        o.println("report: " + settings.out());
        if (json != null) {
            ScaleBenchmark.writeJson(json, result);
            o.println("JSON: " + json.toAbsolutePath());
        }
        o.flush();
        return result.converged() ? 0 : 1;
    }
}
