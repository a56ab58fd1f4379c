package io.dpuvpc.simulator.bench.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.dpuvpc.actors.entity.ApplyReply;
import io.dpuvpc.actors.entity.DpuVpcEntity;
import io.dpuvpc.actors.entity.IsolationClassEntity;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.persistence.cassandra.CassandraPersistenceConfig;
import io.dpuvpc.persistence.cassandra.CassandraSchema;
import io.dpuvpc.persistence.cassandra.EmbeddedCassandra;
import io.dpuvpc.simulator.bench.BenchmarkFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * How fast the real {@link DpuVpcEntity} persists and recovers through (A) the Cassandra journal of
 * pekko-persistence-cassandra (default settings) on an embedded Cassandra 5.0.9 that the benchmark
 * starts itself, against (B) Pekko's built-in in-memory journal, in one run.
 *
 * <p>For each journal: N new VPC entities are started (an empty recovery each, timed on its own),
 * then (1) each applies a spec (one {@code Applied} event each), then (2) each attaches K networks
 * with distinct subnets (one {@code NetworkAttached} event per command), with at most
 * {@code maxInFlight} asks outstanding and the commands ordered so that those in flight belong to
 * different entities. Every reply is checked ({@code Accepted} with generation 1 and a change;
 * {@code Attached}); one wrong reply fails the benchmark. Then every VPC actor is stopped and
 * spawned again, and the time until each has answered {@code GetStatus} with the spec, generation
 * and networks written is the recovery time. For Cassandra this happens in a new actor system on
 * the same node, so the state can only come from Cassandra; the in-memory journal lives in its
 * actor system, so (B) recovers in the same system. Last, with the recovered entities idle, the
 * used heap after full GCs with them alive and after they are stopped gives bytes per entity.
 *
 * <p>Before (A), an untimed warm-up runs the whole cycle on the in-memory journal so that (A) does
 * not pay for the JIT alone.
 */
public final class PersistenceBenchmark {
    public static final String CASSANDRA = "cassandra";
    public static final String IN_MEMORY = "inmem";
    static final String NAMESPACE = "bench";
    static final String ISOLATION_CLASS = "bench-ovn";
    private static final Duration SYSTEM_TIMEOUT = Duration.ofSeconds(120);
    /** Longer than the VPC's IsolationClass lookup timeout (5 s). */
    private static final Duration SETTLE = Duration.ofSeconds(6);
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.SECONDS.toNanos(2);

    /**
     * @param entities          VPC entities
     * @param networksPerEntity K, AttachNetwork commands (events) per entity in round 2 (at most 250)
     * @param maxInFlight       asks outstanding at once
     * @param warmupEntities    entities of the untimed in-memory warm-up cycle (0: none)
     * @param askTimeout        how long one ask may take before it counts as a failure
     * @param cassandraClasspathCache where the embedded Cassandra's resolved classpath is cached (null: its work folder)
     */
    public record Settings(int entities, int networksPerEntity, int maxInFlight, int warmupEntities, Duration askTimeout,
                           Path cassandraClasspathCache) {
        public static final int DEFAULT_ENTITIES = 10_000;
        public static final int DEFAULT_NETWORKS_PER_ENTITY = 4;
        public static final int DEFAULT_MAX_IN_FLIGHT = 500;
        public static final int DEFAULT_WARMUP_ENTITIES = 2_000;

        public Settings {
            if (entities < 1 || networksPerEntity < 0 || networksPerEntity > 250 || maxInFlight < 1 || warmupEntities < 0) {
                throw new IllegalArgumentException("need entities >= 1, 0 <= networks per entity <= 250, max in flight >= 1, "
                        + "warm-up entities >= 0");
            }
            Objects.requireNonNull(askTimeout, "askTimeout");
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_ENTITIES, DEFAULT_NETWORKS_PER_ENTITY, DEFAULT_MAX_IN_FLIGHT, DEFAULT_WARMUP_ENTITIES,
                    Duration.ofSeconds(60), null);
        }

        public Settings withEntities(int n) {
            return new Settings(n, networksPerEntity, maxInFlight, warmupEntities, askTimeout, cassandraClasspathCache);
        }

        public Settings withNetworksPerEntity(int k) {
            return new Settings(entities, k, maxInFlight, warmupEntities, askTimeout, cassandraClasspathCache);
        }

        public Settings withMaxInFlight(int n) {
            return new Settings(entities, networksPerEntity, n, warmupEntities, askTimeout, cassandraClasspathCache);
        }

        public Settings withWarmupEntities(int n) {
            return new Settings(entities, networksPerEntity, maxInFlight, n, askTimeout, cassandraClasspathCache);
        }

        public Settings withCassandraClasspathCache(Path file) {
            return new Settings(entities, networksPerEntity, maxInFlight, warmupEntities, askTimeout, file);
        }
    }

    private final Settings settings;
    private final Consumer<String> progress;

    private PersistenceBenchmark(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** Runs (A) and (B); progress lines go to {@code progress}. */
    public static PersistenceBenchmarkReport run(Settings settings, Consumer<String> progress) {
        return new PersistenceBenchmark(settings, progress).run();
    }

    private PersistenceBenchmarkReport run() {
        Instant started = Instant.now();
        String loadAtStart = PersistenceBenchmarkReport.loadAverage();
        if (settings.warmupEntities() > 0) {
            progress.accept("warm-up: the whole cycle with " + settings.warmupEntities() + " entities on the in-memory journal "
                    + "(untimed)");
            inMemory(settings.warmupEntities(), "warm-up");
        }
        JournalResult cassandra = cassandra();
        JournalResult inMemory = inMemory(settings.entities(), "(B)");
        return new PersistenceBenchmarkReport(started, PersistenceBenchmarkReport.machine(loadAtStart), settings,
                List.of(cassandra, inMemory));
    }

    // --- (A) Cassandra ----------------------------------------------------------------------------

    private JournalResult cassandra() {
        Path dir;
        try {
            dir = Files.createTempDirectory("dpuvpc-bench-cassandra-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        progress.accept("(A) starting Cassandra " + EmbeddedCassandra.VERSION + " in " + dir);
        EmbeddedCassandra.Builder builder = EmbeddedCassandra.builder(dir).stopOnJvmExit(true);
        if (settings.cassandraClasspathCache() != null) {
            builder.classpathCache(settings.cassandraClasspathCache());
        }
        EmbeddedCassandra node = builder.build();
        boolean ok = false;
        try {
            node.start();
            long pid = node.pid().orElse(-1);
            double startSeconds = node.lastStartDuration().toMillis() / 1000.0;
            progress.accept("(A) Cassandra up on " + node.contactPoint() + " in " + startSeconds + " s (pid " + pid + ")");
            Config config = CassandraPersistenceConfig.forEmbedded(node, quietLogging());
            int n = settings.entities();

            Stage write = startStage(config, "(A)", pid, true);
            Phase start;
            Phase apply;
            Phase attach;
            try {
                start = write.startNewEntities(n);
                apply = write.applyAll(n);
                attach = write.attachAll(n);
            } finally {
                write.terminate();
            }

            progress.accept("(A) a new actor system on the same Cassandra: recovering " + n + " entities from the journal");
            Stage read = startStage(config, "(A)", pid, false);
            Phase recovery;
            HeapReading heap;
            try {
                recovery = read.recoverAll(n);
                heap = read.heapPerEntity(n);
            } finally {
                read.terminate();
            }
            ok = true;
            return new JournalResult(CASSANDRA, "(A) Cassandra " + EmbeddedCassandra.VERSION + ", pekko-persistence-cassandra",
                    "a new actor system", startSeconds, start, apply, attach, recovery, heap);
        } finally {
            node.stop();
            if (ok) {
                node.wipe();
                deleteTree(dir);
            } else {
                progress.accept("(A) failed: Cassandra's folder and log are kept in " + dir);
            }
        }
    }

    // --- (B) in-memory ----------------------------------------------------------------------------

    private JournalResult inMemory(int n, String tag) {
        Config config = ConfigFactory.parseString("""
                pekko.persistence.journal.plugin = "pekko.persistence.journal.inmem"
                pekko.persistence.snapshot-store.plugin = "pekko.persistence.no-snapshot-store"
                """).withFallback(quietLogging()).withFallback(ConfigFactory.load()).resolve();
        Stage stage = startStage(config, tag, -1, true);
        try {
            Phase start = stage.startNewEntities(n);
            Phase apply = stage.applyAll(n);
            Phase attach = stage.attachAll(n);
            stage.stopVpcs();
            Phase recovery = stage.recoverAll(n);
            HeapReading heap = stage.heapPerEntity(n);
            return new JournalResult(IN_MEMORY, "(B) Pekko in-memory journal", "the same actor system", 0, start, apply, attach,
                    recovery, heap);
        } finally {
            stage.terminate();
        }
    }

    /** Pekko logs through SLF4J at WARNING, so that stdout carries only the table; a local actor provider. */
    public static Config quietLogging() {
        return ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                pekko.stdout-loglevel = OFF
                pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
                pekko.log-dead-letters = off
                pekko.log-dead-letters-during-shutdown = off
                pekko.actor.provider = local
                """);
    }

    /**
     * An actor system with the entity host, the IsolationClass and the directory. With
     * {@code applyIsolationClass} the IsolationClass is applied (a first write, untimed); otherwise
     * it must come back from the journal.
     */
    private Stage startStage(Config config, String tag, long serverPid, boolean applyIsolationClass) {
        ActorSystem<EntityHost.Command> system = ActorSystem.create(EntityHost.create(Clock.systemUTC()), "bench", config);
        try {
            Stage stage = new Stage(system, tag, serverPid);
            // Keyspaces and tables before any write (a no-op off Cassandra): not in a timed path.
            if (config.getString("pekko.persistence.journal.plugin").startsWith(CassandraSchema.PLUGIN_PATH)) {
                CassandraSchema.createIfEnabled(system).toCompletableFuture().get(SYSTEM_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            stage.prepareIsolationClass(applyIsolationClass);
            return stage;
        } catch (Exception e) {
            system.terminate();
            throw e instanceof RuntimeException r ? r : new BenchmarkFailedException(tag + " could not start: " + e, e);
        }
    }

    /** One actor system of the benchmark and the entities in it. */
    private final class Stage {
        private final ActorSystem<EntityHost.Command> system;
        private final String tag;
        private final long serverPid;
        private BenchDirectory directory;
        private final List<ActorRef<DpuVpcEntity.Command>> refs = new ArrayList<>();

        Stage(ActorSystem<EntityHost.Command> system, String tag, long serverPid) {
            this.system = system;
            this.tag = tag;
            this.serverPid = serverPid;
        }

        void prepareIsolationClass(boolean apply) {
            ActorRef<IsolationClassEntity.Command> ic = hostAsk(r -> new EntityHost.SpawnIsolationClass(ISOLATION_CLASS, r));
            if (apply) {
                ApplyReply reply = await(AskPattern.ask(ic, (ActorRef<ApplyReply> r) -> new IsolationClassEntity.Apply(isolationClassSpec(), r),
                        settings.askTimeout(), system.scheduler()), tag + " apply IsolationClass");
                if (!(reply instanceof ApplyReply.Accepted)) {
                    throw new BenchmarkFailedException(tag + " the IsolationClass was not accepted: " + reply);
                }
            }
            // Also the first read of the journal in this system: the plugin is up before any timing.
            IsolationClassEntity.Status status = await(AskPattern.ask(ic, IsolationClassEntity.Get::new, settings.askTimeout(),
                    system.scheduler()), tag + " get IsolationClass");
            if (!isolationClassSpec().equals(status.spec())) {
                throw new BenchmarkFailedException(tag + " the IsolationClass is not what was applied: " + status);
            }
            directory = new BenchDirectory(NAMESPACE, ic, system.ignoreRef());
        }

        /** Spawns the VPCs and asks each for its status: N empty recoveries. */
        Phase startNewEntities(int n) {
            return timed("start " + n + " new entities (empty recovery)", n, 0, () -> {
                spawnVpcs(n);
                askAll("start", n, i -> AskPattern.ask(refs.get(i), DpuVpcEntity.GetStatus::new, settings.askTimeout(),
                        system.scheduler()), (i, status) -> status.exists() || status.generation() != 0
                        ? "expected a new VPC, got " + status : null);
            });
        }

        Phase applyAll(int n) {
            return timed("round 1: Apply (1 event per entity)", n, n, () -> askAll("apply", n,
                    i -> AskPattern.ask(refs.get(i), (ActorRef<ApplyReply> r) -> new DpuVpcEntity.Apply(vpcSpec(i), r), settings.askTimeout(),
                            system.scheduler()),
                    (i, reply) -> reply instanceof ApplyReply.Accepted a && a.changed() && a.generation() == 1
                            ? null : "expected Accepted, generation 1, changed; got " + reply));
        }

        Phase attachAll(int n) {
            int k = settings.networksPerEntity();
            long total = (long) n * k;
            // Network-major order: the asks in flight at any moment belong to different entities.
            return timed("round 2: AttachNetwork (" + k + " events per entity)", total, total, () -> askAll("attach",
                    Math.toIntExact(total), j -> {
                        int entity = j % n;
                        int network = j / n;
                        return AskPattern.ask(refs.get(entity),
                                (ActorRef<DpuVpcEntity.AttachReply> r) -> new DpuVpcEntity.AttachNetwork(networkName(network), subnet(network), r),
                                settings.askTimeout(), system.scheduler());
                    },
                    (j, reply) -> reply instanceof DpuVpcEntity.Attached a && a.vpcGeneration() == 1
                            ? null : "expected Attached, got " + reply));
        }

        /** Spawns the VPCs again and asks each for its status: they recover from the journal. */
        Phase recoverAll(int n) {
            List<String> networks = expectedNetworks();
            long events = (long) n * (1 + settings.networksPerEntity());
            return timed("recover " + n + " entities (" + (1 + settings.networksPerEntity()) + " events each)", n, events,
                    () -> {
                        spawnVpcs(n);
                        askAll("recover", n, i -> AskPattern.ask(refs.get(i), DpuVpcEntity.GetStatus::new,
                                settings.askTimeout(), system.scheduler()), (i, status) -> recoveredError(i, status, networks));
                    });
        }

        /**
         * Used heap after full GCs with the N recovered entities alive and idle, then after they
         * are stopped. The benchmark drops its own refs first, so that only the actors differ.
         */
        HeapReading heapPerEntity(int n) {
            refs.clear();
            directory.clear();
            // Each recovered VPC asks its IsolationClass; the ask's timeout task stays scheduled
            // (holding the answered ask) until it expires: wait them out, else they count as entity.
            sleep(SETTLE.toMillis());
            long alive = usedHeapAfterGc();
            stopVpcs();
            long none = usedHeapAfterGc();
            HeapReading heap = new HeapReading(n, alive, none);
            progress.accept(String.format(java.util.Locale.ROOT, "%s heap: %.1f MB with %d idle entities, %.1f MB without: "
                    + "%d bytes per entity", tag, alive / 1e6, n, none / 1e6, heap.bytesPerEntity()));
            return heap;
        }

        void stopVpcs() {
            Done done = hostAsk(EntityHost.StopVpcs::new);
            Objects.requireNonNull(done);
            refs.clear();
            directory.clear();
        }

        void terminate() {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(SYSTEM_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                progress.accept(tag + " the actor system did not terminate in time: " + e);
            }
        }

        private void spawnVpcs(int n) {
            List<String> names = IntStream.range(0, n).mapToObj(PersistenceBenchmark::vpcName).toList();
            List<ActorRef<DpuVpcEntity.Command>> spawned = hostAsk(
                    r -> new EntityHost.SpawnVpcs(NAMESPACE, names, directory.directory(), r));
            refs.clear();
            refs.addAll(spawned);
            for (int i = 0; i < n; i++) {
                directory.put(names.get(i), spawned.get(i));
            }
        }

        private <T> T hostAsk(java.util.function.Function<ActorRef<T>, EntityHost.Command> message) {
            return await(AskPattern.ask(system, message::apply, SYSTEM_TIMEOUT, system.scheduler()), tag + " entity host");
        }

        private Phase timed(String what, long operations, long events, Runnable work) {
            progress.accept(tag + " " + what + " ...");
            double jvm0 = jvmCpuSeconds();
            double server0 = processCpuSeconds(serverPid);
            long t0 = System.nanoTime();
            work.run();
            double seconds = (System.nanoTime() - t0) / 1e9;
            Phase phase = new Phase(what, operations, events, seconds, jvmCpuSeconds() - jvm0,
                    processCpuSeconds(serverPid) - server0);
            progress.accept(String.format(java.util.Locale.ROOT, "%s %s: %.3f s, %.0f/s", tag, what, seconds,
                    operations / seconds));
            return phase;
        }

        /**
         * Sends {@code total} asks, at most {@code maxInFlight} outstanding, and checks every
         * reply; any failure (an error reply, a timeout) fails the benchmark.
         */
        private <R> void askAll(String what, int total, IntFunction<CompletionStage<R>> send,
                                BiFunction<Integer, R, String> check) {
            Semaphore window = new Semaphore(settings.maxInFlight());
            CountDownLatch done = new CountDownLatch(total);
            AtomicInteger failed = new AtomicInteger();
            ConcurrentLinkedQueue<String> examples = new ConcurrentLinkedQueue<>();
            long nextProgress = System.nanoTime() + PROGRESS_EVERY_NANOS;
            try {
                for (int i = 0; i < total; i++) {
                    window.acquire();
                    int index = i;
                    // On the thread that completes the ask: Pekko's CompletionStage runs a plain
                    // whenComplete on CompletableFuture's default executor, a new thread per task
                    // when the common pool has parallelism 1 (2 cores): the harness must not pay that.
                    send.apply(i).whenCompleteAsync((reply, error) -> {
                        String problem = error != null ? error.toString() : check.apply(index, reply);
                        if (problem != null && failed.incrementAndGet() <= 3) {
                            examples.add("#" + index + ": " + problem);
                        }
                        window.release();
                        done.countDown();
                    }, Runnable::run);
                    if (System.nanoTime() > nextProgress) {
                        progress.accept("  " + tag + " " + what + ": " + (total - done.getCount()) + " of " + total + " answered");
                        nextProgress = System.nanoTime() + PROGRESS_EVERY_NANOS;
                    }
                }
                if (!done.await(settings.askTimeout().toMillis() * 2, TimeUnit.MILLISECONDS)) {
                    throw new BenchmarkFailedException(tag + " " + what + ": " + done.getCount() + " asks never completed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchmarkFailedException(tag + " " + what + " interrupted", e);
            }
            if (failed.get() > 0) {
                throw new BenchmarkFailedException(tag + " " + what + ": " + failed.get() + " of " + total
                        + " replies were wrong, e.g. " + examples);
            }
        }
    }

    // --- what is written and what must come back --------------------------------------------------

    static String vpcName(int i) {
        return String.format("vpc-%05d", i);
    }

    static DpuVpcSpec vpcSpec(int i) {
        // Distinct specs, so that a recovered entity can only pass the check with its own events.
        return new DpuVpcSpec("tenant-" + i, ISOLATION_CLASS, i % 2 == 0, null);
    }

    static String networkName(int k) {
        return String.format("net-%03d", k);
    }

    static String subnet(int k) {
        return "10.0." + k + ".0/24";
    }

    static IsolationClassSpec isolationClassSpec() {
        return new IsolationClassSpec(IsolationClassSpec.PROVISIONER,
                Map.of(IsolationClassSpec.NB_ENDPOINT, "tcp:127.0.0.1:6641"));
    }

    private List<String> expectedNetworks() {
        TreeSet<String> names = new TreeSet<>();
        for (int k = 0; k < settings.networksPerEntity(); k++) {
            names.add(networkName(k));
        }
        return List.copyOf(names);
    }

    private static String recoveredError(int i, DpuVpcEntity.Status status, List<String> networks) {
        if (status.generation() != 1 || !vpcSpec(i).equals(status.spec()) || !networks.equals(status.virtualNetworks())) {
            return "expected generation 1, " + vpcSpec(i) + " and networks " + networks + "; got generation "
                    + status.generation() + ", " + status.spec() + ", networks " + status.virtualNetworks();
        }
        return null;
    }

    // --- measuring --------------------------------------------------------------------------------

    private static <T> T await(CompletionStage<T> stage, String what) {
        try {
            return stage.toCompletableFuture().get(SYSTEM_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkFailedException(what + " interrupted", e);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new BenchmarkFailedException(what + " failed: " + e, e);
        }
    }

    static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        // Several full GCs until the figure settles: finalizers and reference queues free more.
        for (int i = 0; i < 5; i++) {
            System.gc();
            sleep(200);
            used = rt.totalMemory() - rt.freeMemory();
        }
        return used;
    }

    private static double jvmCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    private static double processCpuSeconds(long pid) {
        if (pid <= 0) {
            return Double.NaN;
        }
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(d -> d.toNanos() / 1e9)
                .orElse(Double.NaN);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A leftover temp folder is no reason to fail a finished run.
        }
    }
}
