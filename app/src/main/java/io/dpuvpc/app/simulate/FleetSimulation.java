package io.dpuvpc.app.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.dpuvpc.app.client.AdminClient;
import io.dpuvpc.app.cluster.NodeProcess;
import io.dpuvpc.app.cluster.ShardedDirectory;
import io.dpuvpc.ovn.lab.OvnCentral;
import io.dpuvpc.simulator.bench.CpuTimes;
import io.dpuvpc.simulator.bench.converge.ConvergeBenchmark;
import io.dpuvpc.simulator.fleet.FleetScenario;
import io.dpuvpc.simulator.fleet.NodeAgentFleet;
import io.dpuvpc.simulator.fleet.OvsdbActivity;
import io.dpuvpc.simulator.fleet.SimulatedFleet;
import io.dpuvpc.simulator.fleet.SimulatedOvnControllers;
import io.dpuvpc.simulator.report.LatencyRecorder;
import io.dpuvpc.simulator.report.NorthdStopwatch;
import io.dpuvpc.simulator.report.ProgressBar;
import io.dpuvpc.simulator.report.Sample;
import io.dpuvpc.simulator.report.SimulationReportWriter;
import io.dpuvpc.simulator.report.SimulationResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.JoinSeedNodes;

/**
 * One run of {@code vpc simulate}: a real OVN central (NB and SB ovsdb-server, ovn-northd), the
 * controllers ({@link ControllerCluster}: embedded Cassandra, {@code vpc controller} JVMs), and a
 * simulated fleet in this JVM: one member of the controllers' cluster with the role {@code dpu}
 * whose {@link SimulatedFleet} runs one agent per DPU (registering its chassis and binding its
 * ports in the real Southbound as ovn-controller would). The fleet is up (every DPU reported
 * ready) before the clock starts. Then, as a user would, through the first controller's admin
 * API: the IsolationClass, the VPCs, the networks, the ServiceInterfaces ({@link TenantPlan}).
 *
 * <p>Measured from the first VPC applied: when each ServiceInterface is first seen Ready (the
 * interface list polled as fast as it answers, at most once a second, from while the interfaces
 * are still being applied; the latency's resolution is that period, which the report states), every second the NB and SB activity
 * ({@link OvsdbActivity}) and each controller's heap, RSS, CPU and events persisted
 * ({@link ProcessProbe}). After convergence: optional churn (new ServiceInterfaces applied and
 * old ones deleted at a rate), then single changes on the idle system, each timed by polling its
 * one object every 2 ms. The report ({@link SimulationReportWriter}) goes to the output folder.
 */
public final class FleetSimulation {
    static final Duration OVN_INACTIVITY_PROBE = Duration.ofSeconds(60);
    static final String VPC_PATH = "/apis/vpc.dpu.nvidia.com/v1alpha1";
    static final String SVC_PATH = "/apis/svc.dpu.nvidia.com/v1alpha1";
    static final String YAML = "application/yaml";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(180);
    /** The figure with the Northbound's row count at the end (of the tables the bridge manages). */
    public static final String NB_ROWS = "NB rows at the end";
    /**
     * How often one apply request answered 503 is sent again before the run fails: waiting 1, 2,
     * ... 10 s between tries, about a minute in all, as a user's tool might ride out a controller
     * busy for a while (with 5 tries, a 100,000-interface run gave up after a 20-second stall).
     */
    private static final int APPLY_RETRIES = 10;
    /** Churned interfaces take VFs from here up, clear of the plan's (numbered per DPU from 0). */
    private static final int CHURN_FIRST_VF = 100_000;
    /** The probes' interfaces' VFs: above any the plan or the churn gives a DPU. */
    private static final int PROBE_FIRST_VF = 200_000;
    /**
     * "Idle" for a probe: ovn-northd quiet as {@link CpuTimes#QUIET_WINDOW} says, i.e. not
     * recomputing. At 10,000 interfaces each NB change costs it a recompute of about 3 s, so a
     * probe sent right after the previous one's Ready shares the machine with that recompute and
     * is no single change on an idle system.
     */
    private static final Duration QUIET_WINDOW = CpuTimes.QUIET_WINDOW;
    private static final double QUIET_SHARE = CpuTimes.QUIET_SHARE;
    private static final Duration QUIET_CAP = CpuTimes.QUIET_CAP;
    private static final String NORTHD = "ovn-northd";

    /** The run's result, and the files of its report. */
    public record Outcome(SimulationResult result, List<Path> files) {
        public boolean converged() {
            return result.converged();
        }
    }

    private final SimulationSettings settings;
    private final Path dir;
    private final PrintStream out;
    private final TenantPlan plan;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final Map<String, Double> figures = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<String> notes = new CopyOnWriteArrayList<>();
    // What the watch says is Ready, for the samples taken while the resources are applied too.
    private volatile ReadinessWatch readiness;
    private volatile RunCpu runCpu;
    private volatile long readyInterfaces;
    private volatile long readyNetworks;
    private volatile long readyVpcs;
    private volatile long readyNodes;
    private int failedPolls;
    private final java.util.concurrent.atomic.AtomicLong applyRetries = new java.util.concurrent.atomic.AtomicLong();
    private String lastPollFailure;

    private FleetSimulation(SimulationSettings settings, Path dir, PrintStream out) {
        this.settings = settings;
        this.dir = dir;
        this.out = out;
        this.plan = new TenantPlan(settings);
    }

    /** Runs the simulation in {@code workDir} (OVN, Cassandra, logs), progress to {@code out}. */
    public static Outcome run(SimulationSettings settings, Path workDir, PrintStream out) throws Exception {
        return new FleetSimulation(settings, workDir, out).run();
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }

    /**
     * A real OVN central whose NB and SB probe silent clients after 60 s, as operators configure
     * them at scale ({@code ovn-nbctl set-connection ... -- set connection . inactivity_probe=60000}).
     * With ovsdb-server's 5 s, a 100,000-interface run saw the controller's session dropped 30
     * times while it was busy with large updates or paused by a full GC, each drop a full resync.
     */
    static OvnCentral startOvnCentral(Path dir) {
        return OvnCentral.builder(dir.resolve("ovn")).northd(true).inactivityProbe(OVN_INACTIVITY_PROBE)
            .stopOnJvmExit(true).start();
    }

    private Outcome run() throws Exception {
        say(String.format(Locale.ROOT, "simulate: %d DPUs, %d VPCs x %d networks x %d interfaces = %d networks, %d "
                + "ServiceInterfaces; %d controller(s); heartbeat %d s; work folder %s", settings.dpus(), settings.vpcs(),
            settings.networksPerVpc(), settings.interfacesPerNetwork(), settings.networks(), settings.interfaces(),
            settings.controllers(), settings.heartbeat().toSeconds(), dir));
        say("load average: " + CpuTimes.loadAverage());
        try (OvnCentral ovn = startOvnCentral(dir);
             ControllerCluster cluster = ControllerCluster.start(dir, settings.controllers(), settings.controllerHeap(),
                 STEP_TIMEOUT, this::say)) {
            say("OVN central: NB " + ovn.nbTcpEndpoint() + ", SB " + ovn.sbTcpEndpoint() + ", ovn-northd; inactivity probe "
                + OVN_INACTIVITY_PROBE.toSeconds() + " s");
            AdminClient api = cluster.api();
            apply(api, List.of(TenantPlan.isolationClass(ovn.nbTcpEndpoint())));
            ActorSystem<Void> member = joinCluster(cluster.seed(), STEP_TIMEOUT);
            SimulatedOvnControllers ovnControllers = null;
            SimulatedFleet fleet = null;
            NodeAgentFleet realAgents = null;
            try {
                ovnControllers = SimulatedOvnControllers.connect(ovn.sbTcpEndpoint(), SimulatedOvnControllers.Settings.batched(),
                    STEP_TIMEOUT);
                long f0 = System.nanoTime();
                if (settings.agents() == FleetScenario.Agents.NODE_AGENTS_ON_EMULATED_OVS) {
                    realAgents = NodeAgentFleet.start(member, ShardedDirectory.proxy(member), ovnControllers, dir.resolve("ovs"),
                        ovn.sbTcpEndpoint(), settings.dpus(), settings.heartbeat(), plan::labels, STEP_TIMEOUT);
                } else {
                    fleet = SimulatedFleet.start(member, ShardedDirectory.proxy(member), ovnControllers, settings.dpus(),
                        settings.heartbeat(), plan::labels, 42L, STEP_TIMEOUT);
                }
                say(String.format(Locale.ROOT, "%d chassis registered in the Southbound and %s started in %.1f s; waiting for"
                    + " every agent's first report (heartbeat %d s)", settings.dpus(),
                    realAgents != null ? "their real node agents, each on an emulated OVS," : "their simulated agents",
                    (System.nanoTime() - f0) / 1e9, settings.heartbeat().toSeconds()));
                awaitNodes(api, f0);
                return measure(ovn, cluster, api, fleet);
            } finally {
                if (fleet != null) {
                    fleet.close();
                }
                if (realAgents != null) {
                    realAgents.close();
                }
                if (ovnControllers != null) {
                    ovnControllers.close();
                }
                member.terminate();
                member.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** This JVM as a {@code dpu} member of the controllers' cluster, once it is Up. */
    static ActorSystem<Void> joinCluster(String seed, Duration timeout) {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), ControllerCluster.CLUSTER_NAME,
            ConfigFactory.parseString(ControllerCluster.TOLERANT_FAILURE_DETECTOR)
                .withFallback(NodeProcess.memberConfig("127.0.0.1", 0)));
        Cluster.get(system).manager().tell(new JoinSeedNodes(List.of(AddressFromURIString.parse(seed))));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (Cluster.get(system).selfMember().status() != MemberStatus.up()) {
            if (System.nanoTime() > deadline) {
                system.terminate();
                throw new IllegalStateException("the simulated fleet could not join the controllers' cluster at " + seed);
            }
            ControllerCluster.sleep(100);
        }
        return system;
    }

    private void awaitNodes(AdminClient api, long f0) {
        ProgressBar bar = new ProgressBar(out, ProgressBar.interactiveTerminal());
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos() + settings.heartbeat().toNanos() * 2;
        while (true) {
            long ready = readyNodes;
            String detail = "DPUs reported ready";
            try {
                ready = readyNodes(api);
            } catch (RuntimeException e) {
                // A controller busy with a thousand first reports may answer a list late: ask again.
                detail = "(the node list failed: " + e.getMessage() + ")";
            }
            bar.update("nodes", ready, settings.dpus(), detail);
            if (ready >= settings.dpus()) {
                bar.finish(String.format(Locale.ROOT, "every DPU reported ready %.1f s after the fleet started",
                    (System.nanoTime() - f0) / 1e9));
                return;
            }
            if (System.nanoTime() > deadline) {
                bar.finish("");
                throw new IllegalStateException("only " + ready + " of " + settings.dpus() + " DPUs reported ready");
            }
            ControllerCluster.sleep(1000);
        }
    }

    private Outcome measure(OvnCentral ovn, ControllerCluster cluster, AdminClient api, SimulatedFleet fleet)
        throws Exception {
        try (OvsdbActivity nb = OvsdbActivity.start(ovn.nbTcpEndpoint(), "OVN_Northbound", Map.of(), STEP_TIMEOUT);
             OvsdbActivity sb = OvsdbActivity.start(ovn.sbTcpEndpoint(), "OVN_Southbound", OvsdbActivity.SOUTHBOUND_NARROW,
                 STEP_TIMEOUT)) {
            long t0 = System.nanoTime();
            LatencyRecorder latencies = new LatencyRecorder(t0);
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "simulate-sampler");
                t.setDaemon(true);
                return t;
            });
            sampler.scheduleAtFixedRate(() -> sample(t0, cluster, nb, sb), 0, 1, TimeUnit.SECONDS);
            try (ReadinessWatch readiness = ReadinessWatch.start(api, latencies, SVC_PATH, VPC_PATH)) {
                this.readiness = readiness;
                RunCpu runCpu = RunCpu.of(cluster, ovn);
                this.runCpu = runCpu;
                Map<String, Double> cpuAtFirstApply = runCpu.now();
                long a0 = System.nanoTime();
                apply(api, plan.vpcDocuments());
                say(String.format(Locale.ROOT, "  %d VPCs applied at %.1f s", settings.vpcs(), (System.nanoTime() - a0) / 1e9));
                apply(api, plan.networkDocuments());
                say(String.format(Locale.ROOT, "  %d networks applied at %.1f s", settings.networks(), (System.nanoTime() - a0) / 1e9));
                applyInterfaces(api, plan.interfaces(), latencies);
                figures.put("applies accepted (s)", (System.nanoTime() - a0) / 1e9);
                figures.put("apply requests retried after 503", (double) applyRetries.get());
                say(String.format(Locale.ROOT, "applied %d VPCs, %d networks, %d ServiceInterfaces through the admin API in %.1f s",
                    settings.vpcs(), settings.networks(), settings.interfaces(), (System.nanoTime() - a0) / 1e9));
                double converged = awaitConvergence(api, t0, latencies, cluster, readiness);
                cpuUntil(converged >= 0 ? "convergence" : "the timeout", RunCpu.since(cpuAtFirstApply, runCpu.now()),
                    (System.nanoTime() - a0) / 1e9);
                northdTimes(ovn, "until convergence");
                bridgeFigures(cluster, converged >= 0 ? "until convergence" : "until the timeout");
                notes.addAll(readiness.notes());
                figures.put("watches opened again", (double) readiness.reopened());
                if (converged >= 0) {
                    figures.put("converged (s)", converged);
                    afterConvergence("churn", () -> churn(api));
                    afterConvergence("reboots", () -> reboots(api, fleet));
                    afterConvergence("idle single changes", () -> probes(api, cluster));
                    afterConvergence("idle new interfaces", () -> interfaceProbes(api));
                    northdTimes(ovn, "after convergence");
                }
                sample(t0, cluster, nb, sb);
                figures.put(NB_ROWS, (double) ConvergeBenchmark.countRows(ovn.nbTcpEndpoint()));
                loadSpread(cluster);
                SimulationResult result = new SimulationResult(settings.parameters(), converged >= 0, converged,
                    latencies.summary(), latencies.sortedMillis(), List.copyOf(samples), new LinkedHashMap<>(figures),
                    List.copyOf(notes));
                List<Path> files = SimulationReportWriter.write(settings.out(), result);
                return new Outcome(result, files);
            } finally {
                sampler.shutdownNow();
            }
        }
    }

    /** Each process's CPU seconds from the first apply until {@code when}, as figures and one line. */
    private void cpuUntil(String when, Map<String, Double> used, double wallSeconds) {
        used.forEach((label, seconds) -> figures.put("CPU until " + when + " (s): " + label, seconds));
        say("CPU from the first apply until " + when + ": "
            + RunCpu.describe(used, wallSeconds, Runtime.getRuntime().availableProcessors()));
    }

    /** What the Northbound bridges did until {@code when}, from the controllers' /metrics, as figures and one line. */
    private void bridgeFigures(ControllerCluster cluster, String when) {
        List<String> problems = new ArrayList<>();
        BridgeFigures bridge = BridgeFigures.read(cluster.controllers().stream().map(ControllerCluster.Controller::api)
            .toList(), problems);
        problems.forEach(p -> notes.add("bridge figures: " + p));
        figures.putAll(bridge.figures(when));
        say("Northbound bridge " + when + ": " + bridge.describe());
    }

    /** The stages of northd's loop whose times a report gives: the whole loop, its NB-to-SB run, and the flows. */
    private static final List<String> NORTHD_STAGES = List.of("ovn-northd-loop", "ovnnb_db_run", "build_lflows");

    /**
     * ovn-northd's own timing since the last reading ({@code stopwatch/show}), as figures
     * {@code northd <when>: <stage> runs}, {@code ... max (ms)} and {@code ... mean (ms)}, then resets
     * it. Each {@code ovnnb_db_run} is one recompute of the Southbound from the whole Northbound.
     */
    private void northdTimes(OvnCentral ovn, String when) {
        try {
            Map<String, NorthdStopwatch.Stage> stages = NorthdStopwatch.parse(ovn.northdAppctl("stopwatch/show"));
            List<String> said = new ArrayList<>();
            for (String name : NORTHD_STAGES) {
                NorthdStopwatch.Stage stage = stages.get(name);
                if (stage != null) {
                    String prefix = "northd " + when + ": " + name;
                    figures.put(prefix + " runs", (double) stage.samples());
                    figures.put(prefix + " max (ms)", stage.maxMs());
                    figures.put(prefix + " mean (ms)", stage.averageMs());
                    said.add(String.format(Locale.ROOT, "%s %d runs, mean %.0f ms, max %.0f ms", name, stage.samples(),
                        stage.averageMs(), stage.maxMs()));
                }
            }
            say("ovn-northd " + when + ": " + String.join("; ", said));
            ovn.northdAppctl("stopwatch/reset");
        } catch (RuntimeException e) {
            notes.add("ovn-northd's stopwatch could not be read " + when + ": " + e.getMessage());
        }
    }

    // ---- applying

    /** Applies {@code documents} in batches, several batches in flight; any refusal fails the run with the API's answer. */
    private void apply(AdminClient api, List<String> documents) throws Exception {
        applyBatches(api, documents, null, null);
    }

    private void applyInterfaces(AdminClient api, List<TenantPlan.Interface> interfaces, LatencyRecorder latencies)
        throws Exception {
        applyBatches(api, interfaces.stream().map(TenantPlan::interfaceDocument).toList(),
            interfaces.stream().map(TenantPlan.Interface::key).toList(), latencies);
    }

    private void applyBatches(AdminClient api, List<String> documents, List<String> keys, LatencyRecorder latencies)
        throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(settings.appliesInFlight());
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int from = 0; from < documents.size(); from += settings.applyBatch()) {
                int to = Math.min(documents.size(), from + settings.applyBatch());
                List<String> batch = documents.subList(from, to);
                List<String> batchKeys = keys == null ? List.of() : keys.subList(from, to);
                sent.add(pool.submit(() -> {
                    long now = System.nanoTime();
                    batchKeys.forEach(k -> latencies.applied(k, now));
                    // A collection path of any kind takes documents of every kind, as kubectl apply -f does.
                    AdminClient.Response answer = post(api, batch);
                    // 503 says "try again" (an entity did not answer within the ask timeout), and a
                    // connection lost before an answer leaves the outcome unknown: a user's tool
                    // retries both, and applies are idempotent. Counted in the report.
                    for (int retry = 1; (answer == null || answer.code() == 503) && retry <= APPLY_RETRIES; retry++) {
                        applyRetries.incrementAndGet();
                        ControllerCluster.sleep(1000L * retry);
                        answer = post(api, batch);
                    }
                    if (answer == null) {
                        throw new IllegalStateException(String.format(Locale.ROOT, "applying %d documents (the first: %s):"
                            + " no answer in %d tries over %.1f s", batch.size(), batch.get(0).lines()
                            .filter(l -> l.strip().startsWith("name:")).findFirst().orElse("?").strip(), APPLY_RETRIES + 1,
                            (System.nanoTime() - now) / 1e9));
                    }
                    if (!answer.ok()) {
                        throw new IllegalStateException(String.format(Locale.ROOT, "applying %d documents (the first: %s)"
                            + " took %.1f s and failed: HTTP %d %s", batch.size(), batch.get(0).lines()
                            .filter(l -> l.strip().startsWith("name:")).findFirst().orElse("?").strip(),
                            (System.nanoTime() - now) / 1e9, answer.code(), answer.body().strip()));
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * One apply request; null when the connection was lost or refused before any answer (the
     * caller tries again, as for a 503).
     */
    private AdminClient.Response post(AdminClient api, List<String> batch) {
        String path = VPC_PATH + "/namespaces/" + TenantPlan.NAMESPACE + "/dpuvpcs";
        try {
            return api.send("POST", path, TenantPlan.body(batch), YAML, AdminClient.JSON);
        } catch (IllegalStateException e) {
            if (!AdminClient.noAnswer(e)) {
                throw e;
            }
            return null;
        }
    }

    // ---- watching

    static List<JsonNode> items(AdminClient api, String path) {
        JsonNode list = AdminClient.checked(api.send("GET", path, null, null, AdminClient.JSON)).json();
        List<JsonNode> items = new ArrayList<>();
        list.path("items").forEach(items::add);
        return items;
    }

    static boolean ready(JsonNode resource) {
        return readyFor(resource, 0);
    }

    /** {@code namespace/name} of a resource as the API renders it: the latencies' key. */
    static String key(JsonNode resource) {
        return resource.path("metadata").path("namespace").asText() + "/" + resource.path("metadata").path("name").asText();
    }

    private long readyNodes(AdminClient api) {
        long ready = items(api, "/nodes").stream().filter(n -> n.path("status").path("ready").asBoolean()).count();
        readyNodes = ready;
        return ready;
    }

    /** Seconds from t0 until the last ServiceInterface, network and VPC was seen Ready; -1 if not within the timeout. */
    private double awaitConvergence(AdminClient api, long t0, LatencyRecorder latencies, ControllerCluster cluster,
                                    ReadinessWatch readiness) {
        ProgressBar bar = new ProgressBar(out, ProgressBar.interactiveTerminal());
        long deadline = t0 + settings.timeout().toNanos();
        long nextNodes = 0;
        while (true) {
            long p0 = System.nanoTime();
            readyNetworks = readiness.readyNetworks();
            readyVpcs = readiness.readyVpcs();
            readyInterfaces = readiness.readyInterfaces();
            if (p0 >= nextNodes) {
                // Nodes have no watch: a list of every node, every 10 s, for the progress bar only.
                try {
                    readyNodes(api);
                } catch (RuntimeException e) {
                    failedPolls++;
                    lastPollFailure = e.getMessage();
                }
                nextNodes = p0 + 10_000_000_000L;
            }
            Sample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
            bar.update("Ready", readyInterfaces, settings.interfaces(), String.format(Locale.ROOT,
                "networks %d/%d  VPCs %d/%d%s", readyNetworks, settings.networks(), readyVpcs, settings.vpcs(),
                last == null ? "" : String.format(Locale.ROOT, "  heap %d MiB", last.heapBytes() >> 20)));
            boolean done = readyInterfaces >= settings.interfaces() && readyNetworks >= settings.networks()
                && readyVpcs >= settings.vpcs();
            if (done) {
                double seconds = (System.nanoTime() - t0) / 1e9;
                bar.finish(String.format(Locale.ROOT, "converged: %d ServiceInterfaces, %d networks, %d VPCs Ready %.1f s"
                    + " after the first apply", settings.interfaces(), settings.networks(), settings.vpcs(), seconds));
                noteFailedPolls();
                return seconds;
            }
            List<String> dead = cluster.dead();
            if (!dead.isEmpty() || System.nanoTime() > deadline) {
                String why = !dead.isEmpty() ? "controller(s) " + dead + " died" : "timeout " + settings.timeout().toSeconds() + " s";
                bar.finish("NOT converged (" + why + "): " + readyInterfaces + "/" + settings.interfaces() + " ServiceInterfaces, "
                    + readyNetworks + "/" + settings.networks() + " networks, " + readyVpcs + "/" + settings.vpcs() + " VPCs Ready");
                notes.add("NOT converged (" + why + "): " + readyInterfaces + " of " + settings.interfaces()
                    + " ServiceInterfaces Ready; not Ready, e.g.: " + latencies.notReady().stream().sorted().limit(5).toList());
                latencies.notReady().stream().sorted().limit(5).forEach(key -> {
                    String why1 = whyNotReady(api, key);
                    say("  " + key + ": " + why1);
                    notes.add(key + ": " + why1);
                });
                noteFailedPolls();
                return -1;
            }
            ControllerCluster.sleep(Math.max(1, 1000 - (System.nanoTime() - p0) / 1_000_000));
        }
    }

    /** The Ready condition of one ServiceInterface ({@code namespace/name}) as the API shows it, for the report. */
    private static String whyNotReady(AdminClient api, String key) {
        String[] nn = key.split("/", 2);
        try {
            JsonNode si = api.find(SVC_PATH + "/namespaces/" + nn[0] + "/serviceinterfaces/" + nn[1]).orElse(null);
            if (si == null) {
                return "not found";
            }
            for (JsonNode c : si.path("status").path("conditions")) {
                if (c.path("type").asText().equals("Ready")) {
                    return "Ready " + c.path("status").asText() + " " + c.path("reason").asText() + ": " + c.path("message").asText()
                        + " (node " + si.path("spec").path("node").asText() + ")";
                }
            }
            return "no Ready condition (node " + si.path("spec").path("node").asText() + ")";
        } catch (RuntimeException e) {
            return "not read: " + e.getMessage();
        }
    }

    private void noteFailedPolls() {
        if (failedPolls > 0) {
            notes.add(failedPolls + " of the node lists failed (the admin API answered late or not at all), the last: "
                + lastPollFailure);
        }
    }

    // ---- after convergence

    /** Runs one of the steps after convergence; a failure is noted in the report instead of losing it. */
    private void afterConvergence(String step, Runnable run) {
        try {
            run.run();
        } catch (RuntimeException e) {
            say(step + " failed: " + e.getMessage());
            notes.add(step + " failed: " + e.getMessage());
        }
    }

    /**
     * Churn: new ServiceInterfaces ({@code sim-churn-<n>}, on the DPUs in turn, in network 0 of the
     * DPU's VPC) applied at {@code churnPerSecond} for the churn duration, each deleted again once
     * about ten seconds' worth are live; every created one timed from its apply until seen Ready
     * (the interface list polled about once a second), the stragglers waited for up to a minute.
     */
    private void churn(AdminClient api) {
        if (settings.churnPerSecond() <= 0 || settings.churn().isZero()) {
            return;
        }
        long c0 = System.nanoTime();
        LatencyRecorder churned = new LatencyRecorder(c0);
        java.util.ArrayDeque<String> live = new java.util.ArrayDeque<>();
        long period = (long) (1e9 / settings.churnPerSecond());
        long end = c0 + settings.churn().toNanos();
        long nextPoll = c0 + 1_000_000_000L;
        int deleted = 0;
        int n = 0;
        String collection = SVC_PATH + "/namespaces/" + TenantPlan.NAMESPACE + "/serviceinterfaces/";
        while (System.nanoTime() < end) {
            int dpu = n % settings.dpus();
            TenantPlan.Interface i = new TenantPlan.Interface("sim-churn-" + n, TenantPlan.node(dpu), CHURN_FIRST_VF + n,
                TenantPlan.network(dpu % settings.vpcs(), 0));
            churned.applied(i.key(), System.nanoTime());
            AdminClient.checked(api.send("PUT", collection + i.name(), TenantPlan.interfaceDocument(i), YAML, AdminClient.JSON));
            live.add(i.name());
            if (live.size() > Math.max(1, settings.churnPerSecond() * 10)) {
                AdminClient.checked(api.delete(collection + live.poll()));
                deleted++;
            }
            n++;
            // Until the next create, the list every second goes on: at less than one create a
            // second, polling only between creates timed each interface to the next create.
            long nextCreate = Math.min(c0 + n * period, end);
            do {
                if (System.nanoTime() >= nextPoll) {
                    markReady(api, churned);
                    nextPoll = System.nanoTime() + 1_000_000_000L;
                }
                long wait = Math.min(nextCreate, nextPoll) - System.nanoTime();
                if (wait > 0) {
                    ControllerCluster.sleep(Math.max(1, wait / 1_000_000));
                }
            } while (System.nanoTime() < nextCreate);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (churned.readyCount() < churned.appliedCount() && System.nanoTime() < deadline) {
            markReady(api, churned);
            ControllerCluster.sleep(1000);
        }
        for (String name : live) {
            api.delete(collection + name);
        }
        var summary = churned.summary();
        figures.put("churn: created", (double) n);
        figures.put("churn: deleted", (double) deleted + live.size());
        figures.put("churn: Ready", (double) summary.count());
        figures.put("churn apply->Ready p50 (ms)", summary.p50Ms());
        figures.put("churn apply->Ready p99 (ms)", summary.p99Ms());
        figures.put("churn apply->Ready max (ms)", summary.maxMs());
        say(String.format(Locale.ROOT, "churn: %d ServiceInterfaces created over %.0f s (%.1f/s), %d deleted; %d seen Ready:"
                + " p50 %.0f ms, p99 %.0f ms, max %.0f ms (seen by a list every second)", n,
            settings.churn().toSeconds() * 1.0, settings.churnPerSecond(), deleted + live.size(), summary.count(),
            summary.p50Ms(), summary.p99Ms(), summary.maxMs()));
        if (summary.count() < n) {
            notes.add("churn: " + (n - summary.count()) + " of " + n + " created ServiceInterfaces were not seen Ready within"
                + " a minute, e.g. " + churned.notReady().stream().sorted().limit(5).toList());
        }
    }

    /**
     * Fault: {@code reboots} DPUs (spread over the fleet) reboot at once: each one's ports are
     * unbound and its Chassis and Encap deleted in the real Southbound, then it registers again and
     * binds its ports again (as ovn-controller does after a reboot). Timed until every
     * ServiceInterface is seen Ready again; the lowest count seen on the way is reported.
     */
    private void reboots(AdminClient api, SimulatedFleet fleet) {
        if (settings.reboots() == 0) {
            return;
        }
        List<String> nodes = fleet.nodes();
        int step = Math.max(1, nodes.size() / settings.reboots());
        List<String> rebooted = new ArrayList<>();
        for (int i = 0; i < nodes.size() && rebooted.size() < settings.reboots(); i += step) {
            rebooted.add(nodes.get(i));
        }
        long r0 = System.nanoTime();
        List<java.util.concurrent.CompletableFuture<Void>> done = rebooted.stream()
            .map(dpu -> fleet.reboot(dpu).toCompletableFuture()).toList();
        java.util.concurrent.CompletableFuture.allOf(done.toArray(java.util.concurrent.CompletableFuture[]::new))
            .orTimeout(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        double registered = (System.nanoTime() - r0) / 1e9;
        long lowest = settings.interfaces();
        long deadline = r0 + settings.timeout().toNanos();
        // A reboot this quick may never show: wait up to two heartbeats for the first sign of it
        // (fewer Ready), then until every one is Ready again; say which it was.
        long noticeBy = r0 + 2 * settings.heartbeat().toNanos();
        boolean noticed = false;
        long ready = 0;
        while (System.nanoTime() < deadline) {
            try {
                ready = items(api, SVC_PATH + "/serviceinterfaces").stream().filter(FleetSimulation::ready).count();
            } catch (RuntimeException e) {
                ControllerCluster.sleep(1000);
                continue;
            }
            lowest = Math.min(lowest, ready);
            noticed |= ready < settings.interfaces();
            if (ready >= settings.interfaces() && (noticed || System.nanoTime() > noticeBy)) {
                break;
            }
            ControllerCluster.sleep(200);
        }
        double seconds = (System.nanoTime() - r0) / 1e9;
        figures.put("reboot: DPUs", (double) rebooted.size());
        figures.put("reboot: registered again (s)", registered);
        figures.put("reboot: every ServiceInterface Ready again (s)", ready >= settings.interfaces() ? seconds : -1);
        figures.put("reboot: fewest Ready seen", (double) lowest);
        figures.put("reboot: seen in the API", noticed ? 1.0 : 0.0);
        say(String.format(Locale.ROOT, "reboot of %d DPUs at once: registered again in %.1f s; %s; fewest ServiceInterfaces"
                + " Ready seen on the way %d of %d%s", rebooted.size(), registered, ready >= settings.interfaces()
                ? String.format(Locale.ROOT, "every ServiceInterface Ready %.1f s after the reboot", seconds)
                : "NOT every ServiceInterface Ready again within the timeout (" + ready + ")", lowest, settings.interfaces(),
            noticed ? "" : " (the API never showed the reboot: the ports were bound again before a poll saw them go)"));
        if (ready < settings.interfaces()) {
            notes.add("after rebooting " + rebooted + ", only " + ready + " of " + settings.interfaces()
                + " ServiceInterfaces were Ready again within the timeout");
        }
    }

    private void markReady(AdminClient api, LatencyRecorder recorder) {
        long now = System.nanoTime();
        for (JsonNode si : items(api, SVC_PATH + "/serviceinterfaces")) {
            if (ready(si)) {
                recorder.ready(key(si), now);
            }
        }
    }

    /**
     * Single changes, each flipping one VPC's {@code interNetworkAccess} (its one mutable field: the
     * routers' policies between its networks change in the Northbound) with a PUT, then polling
     * that VPC every 2 ms until its Ready condition is True for the new generation, which the VPC
     * says only once the bridge has seen its rows in the Northbound. Two series: each change once
     * ovn-northd is quiet (the idle system the issue's goal is about), then back to back (each
     * right after the previous one's Ready, while northd still recomputes it).
     */
    private void probes(AdminClient api, ControllerCluster cluster) {
        if (settings.probes() == 0) {
            return;
        }
        QuietWaits waits = new QuietWaits();
        List<String> problems = new ArrayList<>();
        List<AdminClient> controllers = cluster.controllers().stream().map(ControllerCluster.Controller::api).toList();
        BridgeFigures before = BridgeFigures.read(controllers, problems);
        LatencyRecorder idle = singleChanges(api, 0, waits);
        BridgeFigures during = BridgeFigures.read(controllers, problems).since(before);
        recordProbes("idle single change", "idle single changes (a VPC's interNetworkAccess flipped, PUT until Ready for"
            + " the new generation, polled every 2 ms; each once " + waits.describe() + ")", idle);
        problems.forEach(p -> notes.add("bridge figures: " + p));
        figures.putAll(during.figures("during the idle single changes"));
        say("Northbound bridge during the idle single changes: " + during.describe());
        LatencyRecorder backToBack = singleChanges(api, settings.probes(), null);
        recordProbes("back-to-back single change", "back-to-back single changes (the same, each right after the"
            + " previous one's Ready)", backToBack);
    }

    /** {@code settings.probes()} single changes numbered from {@code first}; each after northd is quiet if {@code waits}. */
    private LatencyRecorder singleChanges(AdminClient api, int first, QuietWaits waits) {
        LatencyRecorder probe = new LatencyRecorder(System.nanoTime());
        for (int p = first; p < first + settings.probes(); p++) {
            int v = p % settings.vpcs();
            // Every VPC starts with access on; its first probe turns it off, the next on again.
            boolean access = (p / settings.vpcs()) % 2 == 1;
            String path = VPC_PATH + "/namespaces/" + TenantPlan.NAMESPACE + "/dpuvpcs/" + TenantPlan.vpc(v);
            String key = TenantPlan.vpc(v) + "#" + p;
            if (waits != null) {
                waits.await(key);
            }
            long s = System.nanoTime();
            probe.applied(key, s);
            JsonNode applied = AdminClient.checked(api.send("PUT", path, TenantPlan.vpcDocument(v, access), YAML,
                AdminClient.JSON)).json();
            long generation = applied.path("metadata").path("generation").asLong();
            long deadline = s + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode now = AdminClient.checked(api.send("GET", path, null, null, AdminClient.JSON)).json();
                if (readyFor(now, generation)) {
                    probe.ready(key, System.nanoTime());
                    break;
                }
                ControllerCluster.sleep(2);
            }
        }
        return probe;
    }

    /** The waits for a quiet ovn-northd before probes: how long in all, and which probes went without. */
    private final class QuietWaits {
        private double seconds;
        private final List<String> notQuiet = new ArrayList<>();

        void await(String probe) {
            double waited = runCpu == null ? Double.NaN : runCpu.awaitQuiet(NORTHD, QUIET_WINDOW, QUIET_SHARE, QUIET_CAP);
            if (Double.isNaN(waited)) {
                notQuiet.add(probe);
            } else {
                seconds += waited;
            }
        }

        String describe() {
            String said = String.format(Locale.ROOT, "%s had used under %.0f%% of a core for %d ms, %.1f s of waiting in all",
                NORTHD, QUIET_SHARE * 100, QUIET_WINDOW.toMillis(), seconds);
            if (!notQuiet.isEmpty()) {
                notes.add(notQuiet.size() + " probes went without a quiet " + NORTHD + " (not quiet within " + QUIET_CAP.toSeconds()
                    + " s, or not readable), e.g. " + notQuiet.subList(0, Math.min(5, notQuiet.size())));
                said += "; " + notQuiet.size() + " without";
            }
            return said;
        }
    }

    /** Puts the probes' latencies among the figures as {@code name: count}, {@code name p50 (ms)}, ... and says them. */
    private LatencyRecorder.Latencies recordProbes(String name, String description, LatencyRecorder probe) {
        var summary = probe.summary();
        figures.put(name + ": count", (double) summary.count());
        figures.put(name + " p50 (ms)", summary.p50Ms());
        figures.put(name + " p99 (ms)", summary.p99Ms());
        figures.put(name + " max (ms)", summary.maxMs());
        say(String.format(Locale.ROOT, "%s: %d of %d, p50 %.1f ms, p99 %.1f ms, max %.1f ms (%s)", description,
            summary.count(), settings.probes(), summary.p50Ms(), summary.p99Ms(), summary.maxMs(), probe.slowest()));
        return summary;
    }

    /**
     * New ServiceInterfaces on the idle system, one at a time, each once ovn-northd is quiet (also
     * after the previous probe's delete): each ({@code sim-probe-<p>}, on the DPUs in turn, in
     * network 0 of the DPU's VPC) is PUT, polled every 2 ms until Ready, then deleted. Its Ready
     * needs the whole path: the logical switch port written, its address given by ovn-northd, the
     * egress policy written, the agent told to plug it, the Southbound binding, and northd marking
     * the port up, which the bridge then sees.
     */
    private void interfaceProbes(AdminClient api) {
        if (settings.probes() == 0) {
            return;
        }
        LatencyRecorder probe = new LatencyRecorder(System.nanoTime());
        QuietWaits waits = new QuietWaits();
        String collection = SVC_PATH + "/namespaces/" + TenantPlan.NAMESPACE + "/serviceinterfaces/";
        for (int p = 0; p < settings.probes(); p++) {
            int dpu = (p * 7919) % settings.dpus(); // spread over the fleet, not only its first DPUs
            TenantPlan.Interface i = new TenantPlan.Interface("sim-probe-" + p, TenantPlan.node(dpu), PROBE_FIRST_VF + p,
                TenantPlan.network(dpu % settings.vpcs(), 0));
            String path = collection + i.name();
            // After the previous probe's delete, which northd recomputes too.
            waits.await(i.name());
            long s = System.nanoTime();
            probe.applied(i.key(), s);
            AdminClient.checked(api.send("PUT", path, TenantPlan.interfaceDocument(i), YAML, AdminClient.JSON));
            long deadline = s + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                if (ready(AdminClient.checked(api.send("GET", path, null, null, AdminClient.JSON)).json())) {
                    probe.ready(i.key(), System.nanoTime());
                    break;
                }
                ControllerCluster.sleep(2);
            }
            AdminClient.checked(api.delete(path));
            // Gone from the watch's Ready set before the next probe or the last sample: a sample
            // taken at once would count the deleted probe as Ready (seen: 9 of 8 in CI).
            long gone = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (readiness != null && readiness.interfaceReady(i.key()) && System.nanoTime() < gone) {
                ControllerCluster.sleep(10);
            }
        }
        var summary = recordProbes("idle new interface", "idle new interfaces (a ServiceInterface PUT, polled every 2 ms"
            + " until Ready, then deleted; each once " + waits.describe() + ")", probe);
        if (summary.count() < settings.probes()) {
            notes.add("idle new interfaces: " + (settings.probes() - summary.count()) + " of " + settings.probes()
                + " were not Ready within a minute, e.g. " + probe.notReady().stream().sorted().limit(5).toList());
        }
    }

    static boolean readyFor(JsonNode resource, long generation) {
        for (JsonNode c : resource.path("status").path("conditions")) {
            if (c.path("type").asText().equals("Ready")) {
                return c.path("status").asText().equals("True") && c.path("observedGeneration").asLong() >= generation;
            }
        }
        return false;
    }

    // ---- sampling

    private void sample(long t0, ControllerCluster cluster, OvsdbActivity nb, OvsdbActivity sb) {
        ReadinessWatch watched = readiness;
        if (watched != null) {
            readyInterfaces = watched.readyInterfaces();
            readyNetworks = watched.readyNetworks();
            readyVpcs = watched.readyVpcs();
        }
        long heap = 0;
        long heapAfterGc = 0;
        long rss = 0;
        long events = 0;
        double cpu = 0;
        for (ControllerCluster.Controller c : cluster.controllers()) {
            ProcessProbe.Reading r = c.probe().read();
            heap = add(heap, r.heapUsedBytes());
            heapAfterGc = add(heapAfterGc, r.heapAfterGcBytes());
            rss = add(rss, r.rssBytes());
            events = add(events, r.eventsPersisted());
            cpu = cpu < 0 || r.cpuSeconds() < 0 ? -1 : cpu + r.cpuSeconds();
        }
        samples.add(new Sample((System.nanoTime() - t0) / 1e9, readyInterfaces, settings.interfaces(), readyNetworks,
            settings.networks(), readyVpcs, settings.vpcs(), readyNodes, settings.dpus(), nb.transactions(), nb.rows(),
            sb.transactions(), sb.rows(), heap, heapAfterGc, rss, events, cpu));
    }

    private static long add(long sum, long value) {
        return sum < 0 || value < 0 ? -1 : sum + value;
    }

    /**
     * How the entities spread over the controllers, as notes: per controller, its entities and
     * shards of each kind (the API's /cluster, which asks every shard region), then its CPU, heap,
     * RSS and events persisted.
     */
    private void loadSpread(ControllerCluster cluster) {
        try {
            JsonNode sharding = cluster.api().find("/cluster").map(c -> c.path("sharding")).orElse(null);
            for (ControllerCluster.Controller c : cluster.controllers()) {
                StringBuilder line = new StringBuilder(c.name() + " hosts");
                String address = c.seed();
                if (sharding != null) {
                    sharding.fields().forEachRemaining(kind -> {
                        JsonNode member = kind.getValue().path(address);
                        if (!member.isMissingNode()) {
                            line.append(String.format(Locale.ROOT, " %s %d (%d shards);", kind.getKey(),
                                member.path("entities").asLong(), member.path("shards").asLong()));
                        }
                    });
                }
                notes.add(line.toString());
            }
        } catch (RuntimeException e) {
            notes.add("how the entities spread was not read: " + e.getMessage());
        }
        for (ControllerCluster.Controller c : cluster.controllers()) {
            ProcessProbe.Reading r = c.probe().read();
            notes.add(String.format(Locale.ROOT, "%s (pid %d): CPU %.1f s, heap %d MiB (%d MiB after its last GC), RSS %d MiB, %d events persisted",
                c.name(), c.pid(), r.cpuSeconds(), r.heapUsedBytes() >> 20, r.heapAfterGcBytes() >> 20, r.rssBytes() >> 20,
                r.eventsPersisted()));
        }
    }
}
