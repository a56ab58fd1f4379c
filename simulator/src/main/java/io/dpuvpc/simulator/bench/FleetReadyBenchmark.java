package io.dpuvpc.simulator.bench;

import com.typesafe.config.ConfigFactory;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.entity.DpuNodeEntity;
import io.dpuvpc.actors.entity.ServiceInterfaceEntity;
import io.dpuvpc.ovn.lab.OvnCentral;
import io.dpuvpc.ovn.lab.WorkFolders;
import io.dpuvpc.simulator.fleet.FleetScenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * How long until every ServiceInterface of a simulated fleet is Ready, through the real controller:
 * a {@link FleetScenario} of {@code dpus} simulated DPUs (agents with a heartbeat of
 * {@code heartbeat} seconds, jittered) on a fresh OVN central, then, at t0, the IsolationClass,
 * DPUVPC, DPUVirtualNetwork and {@code interfaces} DPUServiceInterfaces over every DPU applied to
 * the real entities. Polled every 500 ms, counted from t0: when every node entity reads its node
 * ready (heard, and its agent's verdict: chassis registered, every wanted port claimed), when every
 * ServiceInterface is ServiceInterfaceReconciled (its port published to the Northbound), and when
 * every one is Ready (its logical switch port up, as the bridge observed).
 *
 * <p>{@code main [dpus=200] [interfaces=5] [heartbeat=10]}; prints one line on stdout, progress on stderr.
 */
public final class FleetReadyBenchmark {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    /** Seconds from the apply until each milestone; CPU seconds of each process over that time. */
    public record Result(int dpus, int interfaces, double heartbeatSeconds, double nodesReadySeconds,
                         double reconciledSeconds, double readySeconds, long reports, long claims, Map<String, Double> cpuSeconds) {
        @Override
        public String toString() {
            return String.format("%d DPUs x %d interfaces (%d ServiceInterfaces), heartbeat %.0f s: every node ready at %.2f s,"
                    + " every ServiceInterface reconciled at %.2f s, every one Ready at %.2f s; %d reports, %d claims; CPU seconds %s",
                dpus, interfaces, dpus * interfaces, heartbeatSeconds, nodesReadySeconds, reconciledSeconds, readySeconds, reports,
                claims, cpuSeconds);
        }
    }

    private FleetReadyBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int dpus = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int interfaces = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int heartbeat = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        System.out.println(run(dpus, interfaces, Duration.ofSeconds(heartbeat), System.err::println));
        System.exit(0); // the OVSDB clients' event loops are not daemons
    }

    public static Result run(int dpus, int interfaces, Duration heartbeat, Consumer<String> progress) throws IOException {
        Path dir = Files.createTempDirectory("fleet-ready-");
        try (OvnCentral ovn = OvnCentral.builder(dir.resolve("ovn")).northd(true).stopOnJvmExit(true).start();
             FleetScenario scenario = FleetScenario.start(ovn.sbTcpEndpoint(), dir.resolve("snapshots"), ConfigFactory.empty(),
                 Clock.systemUTC(), dpus, heartbeat, TIMEOUT)) {
            progress.accept("load average: " + CpuTimes.loadAverage() + "; " + dpus + " chassis registered, agents started;"
                + " applying");
            Map<String, Long> pids = new LinkedHashMap<>();
            pids.put("this JVM", ProcessHandle.current().pid());
            ovn.status().forEach(d -> d.pid().ifPresent(pid -> pids.put(d.name(), pid)));
            Map<String, Double> cpuAtStart = new LinkedHashMap<>();
            pids.forEach((name, pid) -> cpuAtStart.put(name, CpuTimes.ofProcess(pid)));

            long t0 = System.nanoTime();
            await(scenario.apply(ovn.nbTcpEndpoint(), interfaces));
            List<String> nodes = scenario.fleet().nodes();
            List<String> all = scenario.serviceInterfaces();
            double nodesReady = -1;
            double reconciled = -1;
            double ready = -1;
            long deadline = t0 + TIMEOUT.toNanos();
            long nextProgress = 0;
            while (ready < 0 || nodesReady < 0) {
                long wave = System.nanoTime();
                if (nodesReady < 0 && count(nodes.stream().map(scenario::node).toList(), FleetReadyBenchmark::nodeReady) == nodes.size()) {
                    nodesReady = seconds(t0);
                }
                List<ServiceInterfaceEntity.Status> statuses = await(FleetScenario.all(all.stream().map(scenario::serviceInterface).toList()));
                long reconciledNow = statuses.stream()
                    .filter(s -> s.exists() && s.conditions().isTrue(ConditionTypes.SERVICE_INTERFACE_RECONCILED)).count();
                long readyNow = statuses.stream().filter(FleetScenario::ready).count();
                if (reconciled < 0 && reconciledNow == all.size()) {
                    reconciled = seconds(t0);
                }
                if (ready < 0 && readyNow == all.size()) {
                    ready = seconds(t0);
                }
                if (ready >= 0 && nodesReady >= 0) {
                    break;
                }
                long now = System.nanoTime();
                if (now > nextProgress) {
                    nextProgress = now + TimeUnit.SECONDS.toNanos(3);
                    long nbUp = ovn.nbctl("--bare", "--columns=up", "list", "Logical_Switch_Port").lines()
                        .filter("true"::equals).count();
                    progress.accept(String.format("%6.1f s: %d/%d reconciled, %d/%d Ready; SB bound %d, NB ports up %d; agents: %s",
                        seconds(t0), reconciledNow, all.size(), readyNow, all.size(), await(scenario.controllers().boundCount()),
                        nbUp, scenario.fleet().counters()));
                }
                if (now > deadline) {
                    List<String> notReady = statuses.stream().filter(st -> !FleetScenario.ready(st)).limit(3)
                        .map(st -> st.key() + " " + st.conditions().get(ConditionTypes.READY).map(c -> c.reason() + ": "
                            + c.message()).orElse("(no Ready condition: not created)")).toList();
                    throw new BenchmarkFailedException("not all Ready within " + TIMEOUT + ": " + readyNow + " of " + all.size()
                        + ", e.g. " + notReady);
                }
                sleep(Math.max(0, 500 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - wave)));
            }
            Map<String, Double> cpu = new LinkedHashMap<>();
            pids.forEach((name, pid) -> cpu.put(name, Math.round((CpuTimes.ofProcess(pid) - cpuAtStart.get(name)) * 100) / 100.0));
            return new Result(dpus, interfaces, heartbeat.toMillis() / 1000.0, nodesReady, reconciled, ready,
                scenario.fleet().counters().reports(), scenario.fleet().counters().claims(), cpu);
        } finally {
            WorkFolders.deleteTree(dir);
        }
    }

    private static boolean nodeReady(DpuNodeEntity.Status status) {
        return status.node() != null && status.node().ready();
    }

    private static <T> long count(List<CompletionStage<T>> stages, java.util.function.Predicate<T> test) {
        return await(FleetScenario.all(stages)).stream().filter(test).count();
    }

    private static double seconds(long t0) {
        return Math.round((System.nanoTime() - t0) / 1e7) / 100.0;
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new BenchmarkFailedException("no answer: " + e, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkFailedException("interrupted", e);
        }
    }
}
