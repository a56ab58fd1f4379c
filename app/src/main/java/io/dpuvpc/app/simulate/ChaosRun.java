package io.dpuvpc.app.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.app.client.AdminClient;
import io.dpuvpc.app.client.ResourceTable;
import io.dpuvpc.app.cluster.ShardedDirectory;
import io.dpuvpc.ovn.lab.OvnCentral;
import io.dpuvpc.simulator.fleet.SimulatedFleet;
import io.dpuvpc.simulator.fleet.SimulatedOvnControllers;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * {@code vpc chaos}: real faults under a simulated fleet, each followed by an audit. A real OVN
 * central, {@code controllers} controller JVMs on an embedded Cassandra and a simulated fleet (as
 * {@link FleetSimulation} runs them), then, in order:
 * <ol>
 *   <li><b>SIGKILL of a controller during a burst</b>, {@code kills} times: the ServiceInterfaces
 *       are applied through whichever controller is alive (as a client behind a load balancer
 *       would), and at a random moment in each {@code 1/kills} of the burst a random controller's
 *       process is killed with SIGKILL and a new one started in its place;
 *   <li><b>Cassandra stopped</b> for {@code cassandraOutage} while new ServiceInterfaces are written:
 *       every answer is recorded, the refused ones applied again once Cassandra is back;
 *   <li><b>the Northbound ovsdb-server restarted</b> with its data, then <b>wiped</b> (restarted
 *       empty).
 * </ol>
 * After each: every acknowledged resource must be listed by the API with its spec, and Ready; the
 * Northbound is read with a {@code select} of its own: no owner with two rows of one id
 * (duplicates), no rows of an owner the API does not list (orphans), every acknowledged
 * ServiceInterface with its port (else lost). The time to recover is from the end of the fault
 * until everything acknowledged is Ready again.
 */
public final class ChaosRun {
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(180);
    /** How often a wait for everything Ready says what it still waits for. */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    /** The interfaces written during the Cassandra outage take VFs from here up, clear of the plan's. */
    private static final int OUTAGE_FIRST_VF = 300_000;
    /** The interface applied after each Northbound fault, to show that changes take effect again. */
    private static final int NB_PROBE_FIRST_VF = 400_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Settings(SimulationSettings fleet, int kills, Duration cassandraOutage, boolean northbound, long seed) {
        public Settings {
            if (kills < 0) {
                throw new IllegalArgumentException("--kills must be 0 or more, not " + kills);
            }
            if (kills > 0 && fleet.controllers() < 3) {
                throw new IllegalArgumentException("--kills needs --controllers 3 or more: with fewer, the survivors are not"
                    + " a majority and down themselves (keep-majority), which is a full outage, not a crash of one member");
            }
            if (cassandraOutage.isNegative()) {
                throw new IllegalArgumentException("--cassandra-outage must be 0 or more seconds");
            }
        }
    }

    /** One fault's line of the table. */
    public record Row(String fault, int count, long acknowledged, long lost, long duplicates, long orphans,
                      double recoverSeconds, String notes) {
        public boolean clean() {
            return lost == 0 && duplicates == 0 && orphans == 0 && recoverSeconds >= 0;
        }
    }

    public record Outcome(List<Row> rows, Path report) {
        public boolean clean() {
            return rows.stream().allMatch(Row::clean);
        }
    }

    private final Settings settings;
    private final Path dir;
    private final PrintStream out;
    private final TenantPlan plan;
    private final Random random;
    private ControllerCluster cluster;
    /** ServiceInterface key ({@code namespace/name}) → the document acknowledged for it. */
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final AtomicLong inDoubt = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();
    private final AtomicInteger turn = new AtomicInteger();
    /** Controllers that exited without being killed here and were started again, not yet in a row's notes. */
    private final List<ControllerCluster.Exit> exitsSinceLastRow = new ArrayList<>();

    private ChaosRun(Settings settings, Path dir, PrintStream out) {
        this.settings = settings;
        this.dir = dir;
        this.out = out;
        this.plan = new TenantPlan(settings.fleet());
        this.random = new Random(settings.seed());
    }

    public static Outcome run(Settings settings, Path workDir, PrintStream out) throws Exception {
        return new ChaosRun(settings, workDir, out).run();
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }

    private Outcome run() throws Exception {
        SimulationSettings fleetSettings = settings.fleet();
        say(String.format(Locale.ROOT, "chaos: %d DPUs, %d VPCs, %d networks, %d ServiceInterfaces; %d controllers; %d kills;"
                + " Cassandra stopped %d s; Northbound restarted and wiped: %s; seed %d; work folder %s", fleetSettings.dpus(),
            fleetSettings.vpcs(), fleetSettings.networks(), fleetSettings.interfaces(), fleetSettings.controllers(),
            settings.kills(), settings.cassandraOutage().toSeconds(), settings.northbound() ? "yes" : "no", settings.seed(), dir));
        List<Row> rows = new ArrayList<>();
        try (OvnCentral ovn = FleetSimulation.startOvnCentral(dir);
             ControllerCluster controllers = ControllerCluster.start(dir, fleetSettings.controllers(),
                 fleetSettings.controllerHeap(), STEP_TIMEOUT, this::say)) {
            this.cluster = controllers;
            applyUntilAcknowledged(List.of(TenantPlan.isolationClass(ovn.nbTcpEndpoint())));
            ActorSystem<Void> member = FleetSimulation.joinCluster(controllers.seed(), STEP_TIMEOUT);
            SimulatedOvnControllers ovnControllers = null;
            SimulatedFleet fleet = null;
            try {
                ovnControllers = SimulatedOvnControllers.connect(ovn.sbTcpEndpoint(), SimulatedOvnControllers.Settings.batched(),
                    STEP_TIMEOUT);
                fleet = SimulatedFleet.start(member, ShardedDirectory.proxy(member), ovnControllers, fleetSettings.dpus(),
                    fleetSettings.heartbeat(), plan::labels, settings.seed(), STEP_TIMEOUT);
                awaitNodes();
                for (String vpc : plan.vpcDocuments()) {
                    applyUntilAcknowledged(List.of(vpc));
                }
                for (String network : plan.networkDocuments()) {
                    applyUntilAcknowledged(List.of(network));
                }
                say(String.format(Locale.ROOT, "%d VPCs and %d networks applied", fleetSettings.vpcs(), fleetSettings.networks()));
                rows.add(killsDuringTheBurst(ovn));
                if (!settings.cassandraOutage().isZero()) {
                    superviseControllers();
                    rows.add(cassandraOutage(ovn));
                }
                if (settings.northbound()) {
                    superviseControllers();
                    rows.add(northboundRestarted(ovn, false));
                    superviseControllers();
                    rows.add(northboundRestarted(ovn, true));
                }
            } finally {
                if (fleet != null) {
                    fleet.close();
                }
                if (ovnControllers != null) {
                    ovnControllers.close();
                }
                member.terminate();
                member.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
        String table = table(rows);
        say("");
        say(table);
        Files.createDirectories(fleetSettings.out());
        Path report = fleetSettings.out().resolve("chaos.md");
        Files.writeString(report, "# vpc chaos\n\n" + fleetSettings.parameters() + ", kills " + settings.kills()
            + ", Cassandra outage " + settings.cassandraOutage().toSeconds() + " s, seed " + settings.seed() + "\n\n" + table);
        say("report: " + report);
        return new Outcome(List.copyOf(rows), report);
    }

    // ---- faults

    private Row killsDuringTheBurst(OvnCentral ovn) throws Exception {
        List<TenantPlan.Interface> interfaces = plan.interfaces();
        int total = interfaces.size();
        int kills = settings.kills();
        // Kill k happens at a random point of the k-th of kills parts of the burst; the burst does
        // not go past that part until the new process is up, so every kill lands inside it.
        List<Integer> killAt = new ArrayList<>();
        for (int k = 0; k < kills; k++) {
            int from = (int) ((long) total * k / kills);
            int to = (int) ((long) total * (k + 1) / kills);
            killAt.add(from + (to > from ? random.nextInt(to - from) : 0));
        }
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger killsDone = new AtomicInteger();
        List<Double> replacements = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(settings.fleet().appliesInFlight() + 1);
        long lastFaultEnd;
        try {
            Future<?> killer = pool.submit(() -> {
                for (int k = 0; k < kills; k++) {
                    while (sent.get() < killAt.get(k)) {
                        ControllerCluster.sleep(5);
                    }
                    List<Integer> alive = cluster.alive();
                    int victim = alive.get(random.nextInt(alive.size()));
                    long t = System.nanoTime();
                    cluster.kill(victim);
                    say(String.format(Locale.ROOT, "  kill %d of %d: SIGKILL to %s at interface %d of %d", k + 1, kills,
                        cluster.controllers().get(victim).name(), sent.get(), total));
                    cluster.replace(victim, STEP_TIMEOUT);
                    replacements.add((System.nanoTime() - t) / 1e9);
                    killsDone.incrementAndGet();
                }
                return null;
            });
            List<Future<?>> applies = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                int part = (int) ((long) i * kills / total);
                while (kills > 0 && killsDone.get() < part) {
                    ControllerCluster.sleep(5);
                    if (killer.isDone()) {
                        killer.get(); // a failed kill or restart ends the run with its cause
                    }
                }
                TenantPlan.Interface si = interfaces.get(i);
                sent.incrementAndGet();
                applies.add(pool.submit(() -> {
                    applyUntilAcknowledged(List.of(TenantPlan.interfaceDocument(si)));
                    acknowledged.put(si.key(), TenantPlan.interfaceDocument(si));
                    return null;
                }));
                while (applies.stream().filter(f -> !f.isDone()).count() >= settings.fleet().appliesInFlight()) {
                    ControllerCluster.sleep(1);
                }
            }
            for (Future<?> f : applies) {
                f.get(STEP_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
            }
            killer.get(STEP_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
            lastFaultEnd = System.nanoTime();
        } finally {
            pool.shutdownNow();
        }
        say(String.format(Locale.ROOT, "  %d ServiceInterfaces acknowledged; %d requests lost with their connection and %d"
            + " answered 503, each sent again", acknowledged.size(), inDoubt.get(), unavailable.get()));
        double mean = replacements.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        return audit(ovn, "controller SIGKILL during the burst", kills, lastFaultEnd, String.format(Locale.ROOT,
            "kill to new process ready: mean %.1f s; %d requests lost with their connection, %d answered 503, sent again",
            mean, inDoubt.get(), unavailable.get()));
    }

    private Row cassandraOutage(OvnCentral ovn) throws Exception {
        Duration outage = settings.cassandraOutage();
        Map<Integer, AtomicInteger> codes = new TreeMap<>();
        List<String> messages = new ArrayList<>();
        List<TenantPlan.Interface> refused = new ArrayList<>();
        say("  stopping Cassandra for " + outage.toSeconds() + " s while ServiceInterfaces are written");
        cluster.cassandra().stop();
        long stopped = System.nanoTime();
        // Started again beside the writes: its own start takes seconds, and writes go on meanwhile.
        AtomicLong upAt = new AtomicLong();
        // Cassandra takes seconds to start and may serve before start() returns: an answer in that
        // window is not "while down" (the 2026-11-29 15:38 run counted 2 such as acknowledged while down).
        AtomicLong startingAt = new AtomicLong();
        ExecutorService starter = Executors.newSingleThreadExecutor();
        Future<?> start = starter.submit(() -> {
            ControllerCluster.sleep(outage.toMillis());
            startingAt.set(System.nanoTime());
            cluster.cassandra().start();
            upAt.set(System.nanoTime());
            say(String.format(Locale.ROOT, "  Cassandra up again %.1f s after it stopped", (System.nanoTime() - stopped) / 1e9));
            return null;
        });
        int n = 0;
        long acceptedWhileDown = 0;
        long firstAccepted = -1;
        try {
            while (firstAccepted < 0) {
                if (start.isDone()) {
                    start.get(); // a failed start ends the run with its cause
                }
                int dpu = n % settings.fleet().dpus();
                TenantPlan.Interface si = new TenantPlan.Interface("chaos-outage-" + n, TenantPlan.node(dpu),
                    OUTAGE_FIRST_VF + n, TenantPlan.network(dpu % settings.fleet().vpcs(), 0));
                n++;
                String document = TenantPlan.interfaceDocument(si);
                boolean down = startingAt.get() == 0;
                AdminClient.Response answer = sendOnce(List.of(document));
                int code = answer == null ? 0 : answer.code();
                codes.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
                if (answer != null && answer.ok()) {
                    acknowledged.put(si.key(), document);
                    if (down && startingAt.get() == 0) {
                        acceptedWhileDown++;
                    } else if (upAt.get() != 0) {
                        firstAccepted = System.nanoTime();
                    }
                } else {
                    refused.add(si);
                    String message = answer == null ? null : messageOf(answer);
                    if (message != null && messages.size() < 3 && !messages.contains(message)) {
                        messages.add(message);
                    }
                }
                if (upAt.get() != 0 && System.nanoTime() - upAt.get() > STEP_TIMEOUT.toNanos()) {
                    throw new IllegalStateException("no write accepted within " + STEP_TIMEOUT.toSeconds()
                        + " s of Cassandra's start; answers: " + codes + " " + messages);
                }
                ControllerCluster.sleep(200);
            }
        } finally {
            starter.shutdownNow();
        }
        double acceptedAfter = (firstAccepted - upAt.get()) / 1e9;
        say(String.format(Locale.ROOT, "  %d writes while Cassandra was down and until one was accepted again (code: count,"
            + " 0 = no answer): %s; first accepted %.1f s after Cassandra was up; messages: %s", n, codes, acceptedAfter,
            messages));
        for (TenantPlan.Interface si : refused) {
            applyUntilAcknowledged(List.of(TenantPlan.interfaceDocument(si)));
            acknowledged.put(si.key(), TenantPlan.interfaceDocument(si));
        }
        return audit(ovn, "Cassandra stopped " + outage.toSeconds() + " s under writes", 1, upAt.get(), String.format(
            Locale.ROOT, "%d writes from the stop until one was accepted: %s (code: count, 0 = no answer), %d of them"
                + " acknowledged while Cassandra was down; first accepted %.1f s after Cassandra was up; the %d refused"
                + " applied again; message: %s", n, codes, acceptedWhileDown, acceptedAfter, refused.size(),
            messages.isEmpty() ? "-" : messages.get(0)));
    }

    private Row northboundRestarted(OvnCentral ovn, boolean wiped) throws Exception {
        NbAudit before = NbAudit.read(ovn.nbTcpEndpoint());
        if (wiped) {
            ovn.wipeNb();
        } else {
            ovn.restartNb();
        }
        long end = System.nanoTime();
        say(String.format(Locale.ROOT, "  Northbound ovsdb-server %s (%d rows of ours before)", wiped ? "wiped" : "restarted",
            before.total()));
        // A change made right after the fault must take effect: a new ServiceInterface, Ready
        // when its port is in the new database, bound and up (the audit waits for it).
        int dpu = wiped ? 1 % settings.fleet().dpus() : 0;
        TenantPlan.Interface probe = new TenantPlan.Interface("chaos-nb-" + (wiped ? "wiped" : "restarted"),
            TenantPlan.node(dpu), NB_PROBE_FIRST_VF + (wiped ? 1 : 0), TenantPlan.network(dpu % settings.fleet().vpcs(), 0));
        applyUntilAcknowledged(List.of(TenantPlan.interfaceDocument(probe)));
        acknowledged.put(probe.key(), TenantPlan.interfaceDocument(probe));
        long deadline = end + STEP_TIMEOUT.toNanos();
        long rows = -1;
        while (System.nanoTime() < deadline) {
            rows = NbAudit.read(ovn.nbTcpEndpoint()).total();
            if (rows >= before.total()) {
                break;
            }
            ControllerCluster.sleep(200);
        }
        double rowsBack = (System.nanoTime() - end) / 1e9;
        return audit(ovn, wiped ? "Northbound wiped (restarted empty)" : "Northbound restarted (data kept)", 1, end,
            String.format(Locale.ROOT, "%d rows of ours before, %d %s %.1f s after; a ServiceInterface applied right"
                + " after the fault is Ready with the rest", before.total(), rows, wiped ? "back" : "read", rowsBack));
    }

    // ---- audit

    /**
     * Waits until everything acknowledged is Ready (the time from {@code faultEnd} is the time to
     * recover), then checks the API's lists and the Northbound.
     */
    private Row audit(OvnCentral ovn, String fault, int count, long faultEnd, String notes) {
        double recovered = awaitReady(faultEnd);
        NbAudit nb = settledRows(ovn);
        Map<String, JsonNode> listed = new TreeMap<>();
        for (JsonNode si : list(FleetSimulation.SVC_PATH + "/serviceinterfaces")) {
            listed.put(FleetSimulation.key(si), si);
        }
        Set<String> live = new HashSet<>();
        listed.keySet().forEach(k -> live.add(owner(ResourceKind.SERVICE_INTERFACE, k)));
        list(FleetSimulation.VPC_PATH + "/dpuvpcs").forEach(v -> live.add(owner(ResourceKind.DPU_VPC, FleetSimulation.key(v))));
        list(FleetSimulation.VPC_PATH + "/dpuvirtualnetworks").forEach(
            v -> live.add(owner(ResourceKind.DPU_VIRTUAL_NETWORK, FleetSimulation.key(v))));
        list(FleetSimulation.VPC_PATH + "/isolationclasses").forEach(
            c -> live.add(ResourceKey.clusterScoped(ResourceKind.ISOLATION_CLASS, c.path("metadata").path("name").asText())
                .toString()));
        List<String> lost = new ArrayList<>();
        acknowledged.keySet().forEach(key -> {
            if (!listed.containsKey(key)) {
                lost.add(key + " (not listed)");
            } else if (!nb.rowsByOwner().containsKey(owner(ResourceKind.SERVICE_INTERFACE, key))) {
                lost.add(key + " (no Northbound row)");
            }
        });
        Set<String> orphans = nb.orphans(live);
        String detail = notes;
        if (!exitsSinceLastRow.isEmpty()) {
            detail += "; " + exitsSinceLastRow.size() + " controller(s) exited on their own and were started again, as a"
                + " supervisor would: " + exitsSinceLastRow.stream().map(ControllerCluster.Exit::name).toList();
            exitsSinceLastRow.clear();
        }
        if (!lost.isEmpty()) {
            detail += "; lost, e.g. " + lost.subList(0, Math.min(3, lost.size()));
        }
        if (!nb.duplicates().isEmpty()) {
            detail += "; duplicates, e.g. " + nb.duplicates().keySet().stream().limit(3).toList();
        }
        if (!orphans.isEmpty()) {
            detail += "; orphans, e.g. " + orphans.stream().limit(3).toList();
        }
        Row row = new Row(fault, count, acknowledged.size(), lost.size(), nb.duplicateRows(), orphans.size(), recovered, detail);
        say(String.format(Locale.ROOT, "%s: %d acknowledged, %d lost, %d duplicate rows, %d orphan owners, %s; %s", fault,
            row.acknowledged(), row.lost(), row.duplicates(), row.orphans(),
            recovered < 0 ? "NOT all Ready" : String.format(Locale.ROOT, "all Ready %.1f s after the fault", recovered), detail));
        return row;
    }

    /** The Northbound's rows once two reads 500 ms apart agree (egress policies follow the addresses). */
    private static NbAudit settledRows(OvnCentral ovn) {
        NbAudit nb = NbAudit.read(ovn.nbTcpEndpoint());
        for (int i = 0; i < 20; i++) {
            ControllerCluster.sleep(500);
            NbAudit again = NbAudit.read(ovn.nbTcpEndpoint());
            if (again.rows().equals(nb.rows())) {
                return again;
            }
            nb = again;
        }
        return nb;
    }

    /** Why a ServiceInterface is not Ready: not listed, or its Ready condition's reason and message (shortened). */
    static String whyNotReady(JsonNode si) {
        if (si == null) {
            return "not listed";
        }
        return ResourceTable.condition(si, "Ready").map(c -> {
            String message = c.path("message").asText();
            return c.path("reason").asText() + (message.isEmpty() ? ""
                : " (" + (message.length() > 120 ? message.substring(0, 120) + "..." : message) + ")");
        }).orElse("no Ready condition yet");
    }

    private static String owner(ResourceKind kind, String namespaceSlashName) {
        String[] nn = namespaceSlashName.split("/", 2);
        return ResourceKey.namespaced(kind, nn[0], nn[1]).toString();
    }

    /** Seconds from {@code since} until every acknowledged ServiceInterface, every network and VPC is Ready; -1: not within the timeout. */
    private double awaitReady(long since) {
        long start = System.nanoTime();
        long deadline = start + settings.fleet().timeout().toNanos();
        long nextProgress = start + PROGRESS_EVERY.toNanos();
        String waiting = "";
        while (System.nanoTime() < deadline) {
            superviseControllers();
            try {
                Map<String, JsonNode> listed = new HashMap<>();
                for (JsonNode si : list(FleetSimulation.SVC_PATH + "/serviceinterfaces")) {
                    listed.put(FleetSimulation.key(si), si);
                }
                long networks = list(FleetSimulation.VPC_PATH + "/dpuvirtualnetworks").stream().filter(FleetSimulation::ready)
                    .count();
                long vpcs = list(FleetSimulation.VPC_PATH + "/dpuvpcs").stream().filter(FleetSimulation::ready).count();
                List<String> notReady = acknowledged.keySet().stream()
                    .filter(k -> !listed.containsKey(k) || !FleetSimulation.ready(listed.get(k))).sorted().toList();
                if (notReady.isEmpty() && networks >= settings.fleet().networks() && vpcs >= settings.fleet().vpcs()) {
                    return (System.nanoTime() - since) / 1e9;
                }
                waiting = notReady.size() + " ServiceInterfaces (e.g. " + notReady.stream().limit(3)
                    .map(k -> k + ": " + whyNotReady(listed.get(k))).toList() + "), "
                    + (settings.fleet().networks() - networks) + " networks, " + (settings.fleet().vpcs() - vpcs) + " VPCs";
            } catch (RuntimeException e) {
                waiting = "a list failed: " + e.getMessage();
            }
            if (System.nanoTime() >= nextProgress) {
                // A recovery that takes long says what it waits for while it does, not only at the timeout.
                say(String.format(Locale.ROOT, "  still waiting after %.0f s: %s", (System.nanoTime() - start) / 1e9, waiting));
                nextProgress += PROGRESS_EVERY.toNanos();
            }
            ControllerCluster.sleep(1000);
        }
        say("  not Ready within " + settings.fleet().timeout().toSeconds() + " s: " + waiting);
        return -1;
    }

    /**
     * Starts again any controller that exited without being killed here, as Kubernetes would: a
     * member downed by the cluster (say, after a pause it could not explain) exits so that its
     * supervisor starts a fresh one. Each is reported with the end of its log, and counted in the
     * next row's notes: it is a finding, not part of the fault being measured.
     */
    private void superviseControllers() {
        for (ControllerCluster.Exit exit : cluster.restartExited(STEP_TIMEOUT)) {
            exitsSinceLastRow.add(exit);
            say("  " + exit.name() + " exited on its own and was started again, as its supervisor would; the end of its log:\n"
                + exit.lastWords().strip().indent(4).stripTrailing());
        }
    }

    private void awaitNodes() {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (true) {
            long ready = 0;
            try {
                ready = list("/nodes").stream().filter(n -> n.path("status").path("ready").asBoolean()).count();
            } catch (RuntimeException e) {
                // busy with the first reports: ask again
            }
            if (ready >= settings.fleet().dpus()) {
                say(ready + " DPUs reported ready");
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + ready + " of " + settings.fleet().dpus() + " DPUs reported ready");
            }
            ControllerCluster.sleep(1000);
        }
    }

    // ---- the API, through whichever controller is alive

    private AdminClient liveApi() {
        List<Integer> alive = cluster.alive();
        if (alive.isEmpty()) {
            throw new IllegalStateException("no controller is alive");
        }
        return cluster.controllers().get(alive.get(Math.floorMod(turn.getAndIncrement(), alive.size()))).api();
    }

    private List<JsonNode> list(String path) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return FleetSimulation.items(liveApi(), path);
            } catch (RuntimeException e) {
                last = e;
                ControllerCluster.sleep(500);
            }
        }
        throw last;
    }

    /** One apply request; null when the connection was lost before any answer (the request's fate is unknown). */
    private AdminClient.Response sendOnce(List<String> documents) {
        String path = FleetSimulation.VPC_PATH + "/namespaces/" + TenantPlan.NAMESPACE + "/dpuvpcs";
        try {
            return liveApi().send("POST", path, TenantPlan.body(documents), FleetSimulation.YAML, AdminClient.JSON);
        } catch (IllegalStateException e) {
            if (AdminClient.noAnswer(e)) {
                return null;
            }
            throw e;
        }
    }

    /** The {@code message} of a Kubernetes-style Status answer, else the body. */
    private static String messageOf(AdminClient.Response answer) {
        try {
            JsonNode status = JSON.readTree(answer.body());
            return status.hasNonNull("message") ? status.get("message").asText() : answer.body().strip();
        } catch (IOException e) {
            return answer.body().strip();
        }
    }


    /**
     * Applies until the API acknowledges (2xx), as a client would: a lost connection or a 503 is
     * sent again (applies are idempotent); any other answer ends the run with it.
     */
    private void applyUntilAcknowledged(List<String> documents) {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (true) {
            AdminClient.Response answer = sendOnce(documents);
            if (answer != null && answer.ok()) {
                return;
            }
            if (answer != null && answer.code() != 503) {
                throw new IllegalStateException("apply refused: HTTP " + answer.code() + " " + answer.body().strip());
            }
            (answer == null ? inDoubt : unavailable).incrementAndGet();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not acknowledged within " + STEP_TIMEOUT.toSeconds() + " s: "
                    + (answer == null ? "no answer" : answer.body().strip()));
            }
            ControllerCluster.sleep(250);
        }
    }

    static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder(
            "| fault | count | acknowledged | lost | duplicates | orphans | recovered in (s) | notes |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %s | %s |%n", r.fault(), r.count(),
                r.acknowledged(), r.lost(), r.duplicates(), r.orphans(),
                r.recoverSeconds() < 0 ? "NOT Ready" : String.format(Locale.ROOT, "%.1f", r.recoverSeconds()),
                r.notes().replace("|", "/")));
        }
        return out.toString();
    }
}
