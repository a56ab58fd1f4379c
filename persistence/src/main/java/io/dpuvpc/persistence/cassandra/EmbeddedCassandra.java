package io.dpuvpc.persistence.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node Cassandra 5.0.9 in a child JVM, for tests, the demo and the lab.
 *
 * <p>The child runs {@code org.apache.cassandra.service.CassandraDaemon} on a classpath of its own
 * (see {@link CassandraClasspath}: resolved by Maven from a standalone pom and cached), never on
 * ours: Cassandra's Netty, Jackson and Guava differ from the ones this project uses. The JVM options
 * are the ones Cassandra's {@code conf/jvm17-server.options} needs on Java 17 (without the JPMS
 * exports and opens it dies with "Cassandra is unable to access required classes"), and a
 * {@code cassandra.yaml} written by us that keeps everything on 127.0.0.1 and in the work folder.
 *
 * <p>Work folder layout: {@code cassandra.yaml}, {@code logback.xml}, {@code cassandra.log} (the
 * child's stdout and stderr, appended across restarts), {@code cassandra.classpath} (the cache, by
 * default), and {@code data/}, {@code commitlog/}, {@code saved_caches/}, {@code hints/},
 * {@code cdc_raw/}. Ports of 0 (the default) mean free ports, chosen on the first
 * {@link #start()} and kept, so a {@link #restart()} comes back on the same endpoint with its data.
 *
 * <p>{@link #start()} returns once the native port answers {@code SELECT release_version FROM
 * system.local} through the driver; if that does not happen within the start timeout, or the child
 * exits, it fails with the tail of the log. {@link #stop()} sends SIGTERM (Cassandra's own shutdown
 * hook drains), waits up to the grace period, then SIGKILL. Measured on the 2-core lab machine: a
 * first start on an empty folder 10 s (16 s while a second node runs), a restart with data 11 s,
 * a stop 5 s; the child uses about 1 GB RSS at the default 512 MB heap. Resolving the classpath
 * the first time adds about 7 s (offline).
 *
 * <pre>{@code
 * try (EmbeddedCassandra cassandra = EmbeddedCassandra.builder(dir).stopOnJvmExit(true).build().start()) {
 *     Config config = ConfigFactory.parseString(cassandra.driverConfig()).withFallback(ConfigFactory.load());
 * }
 * }</pre>
 */
public final class EmbeddedCassandra implements AutoCloseable {
    public static final String VERSION = "5.0.9";
    /** The data center name of a node with {@code SimpleSnitch}, the driver's local datacenter. */
    public static final String LOCAL_DATACENTER = "datacenter1";
    public static final String HOST = "127.0.0.1";
    static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";

    /** Cassandra's {@code conf/jvm17-server.options}: JPMS access it needs on Java 17. */
    static final List<String> JAVA17_OPTIONS = List.of(
            "-Djdk.attach.allowAttachSelf=true",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
            "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
            "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true");

    private static final String[] DATA_DIRS = {"data", "commitlog", "saved_caches", "hints", "cdc_raw"};
    private static final int LOG_TAIL_LINES = 60;

    private final Path workDir;
    private final String heap;
    private final Duration startTimeout;
    private final Duration stopGrace;
    private final Duration resolveTimeout;
    private final boolean stopOnJvmExit;
    private final Path classpathCache;
    private final Path javaExecutable;
    private final List<String> extraJvmOptions;
    private final String clusterName;

    // Requested until the first start, bound (and kept) after.
    private int nativePort;
    private int storagePort;
    private int jmxPort;

    private Process process;
    private Process watchdog;
    private Thread exitHook;
    private Duration lastStartDuration;

    private EmbeddedCassandra(Builder b) {
        this.workDir = b.workDir.toAbsolutePath().normalize();
        this.heap = b.heap;
        this.startTimeout = b.startTimeout;
        this.stopGrace = b.stopGrace;
        this.resolveTimeout = b.resolveTimeout;
        this.stopOnJvmExit = b.stopOnJvmExit;
        this.classpathCache = b.classpathCache != null ? b.classpathCache : workDir.resolve("cassandra.classpath");
        this.javaExecutable = b.javaExecutable;
        this.extraJvmOptions = List.copyOf(b.extraJvmOptions);
        this.clusterName = b.clusterName;
        this.nativePort = b.nativePort;
        this.storagePort = b.storagePort;
        this.jmxPort = b.jmxPort;
    }

    /** A node in {@code workDir} (created if missing) on free ports with a 512 MB heap. */
    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    /**
     * Resolves the classpath if needed, writes the yaml, starts the child JVM and waits until it
     * answers CQL. Data already in the work folder is kept. If it does not become ready, the child
     * is killed and the error carries the log tail.
     *
     * @return this
     * @throws CassandraLaunchException if it is already running, or cannot be started
     */
    public synchronized EmbeddedCassandra start() {
        if (isRunning()) {
            throw new CassandraLaunchException("Cassandra is already running in " + workDir + " (pid "
                    + process.pid() + ")");
        }
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(workDir);
            for (String dir : DATA_DIRS) {
                Files.createDirectories(workDir.resolve(dir));
            }
            String classpath = CassandraClasspath.resolve(classpathCache, resolveTimeout);
            // Below the ephemeral range: the node binds them seconds later, and a port the kernel
            // had just handed out (ServerSocket(0)) may meanwhile become a connection's source port.
            nativePort = nativePort != 0 ? nativePort : LoopbackPorts.free();
            storagePort = storagePort != 0 ? storagePort : LoopbackPorts.free();
            jmxPort = jmxPort != 0 ? jmxPort : LoopbackPorts.free();
            Files.writeString(yamlFile(), cassandraYaml(workDir, clusterName, nativePort, storagePort));
            Files.writeString(workDir.resolve("logback.xml"), LOGBACK_XML);
            List<String> command = new ArrayList<>();
            command.add(javaExecutable.toString());
            command.addAll(jvmOptions(workDir, heap, jmxPort));
            command.addAll(extraJvmOptions);
            command.add("-cp");
            command.add(classpath);
            command.add(MAIN_CLASS);
            Files.writeString(logFile(), "==== starting Cassandra " + VERSION + " on " + HOST + ":" + nativePort
                    + " ====\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile())).start();
        } catch (IOException e) {
            throw new CassandraLaunchException("cannot start Cassandra in " + workDir + ": " + e.getMessage(), e);
        }
        if (stopOnJvmExit) {
            if (exitHook == null) {
                exitHook = new Thread(this::stopQuietly, "embedded-cassandra-stop");
                Runtime.getRuntime().addShutdownHook(exitHook);
            }
            watchdog = startWatchdog(process.pid(), stopGrace);
        }
        try {
            awaitReady(t0);
        } catch (RuntimeException e) {
            stopQuietly();
            throw e;
        }
        lastStartDuration = Duration.ofNanos(System.nanoTime() - t0);
        return this;
    }

    /**
     * Stops the child: SIGTERM, then SIGKILL after the grace period; waits until it has exited.
     * Data stays. Does nothing if it is not running.
     */
    public synchronized void stop() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        throw new CassandraLaunchException("Cassandra (pid " + p.pid() + ") survived SIGKILL");
                    }
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        process = null;
        if (watchdog != null) {
            watchdog.destroy();
            watchdog = null;
        }
        removeExitHook();
    }

    /** Stops and starts again on the same ports, keeping the data. */
    public synchronized EmbeddedCassandra restart() {
        stop();
        return start();
    }

    /**
     * Deletes all data (data, commit log, caches, hints) so that the next {@link #start()} begins
     * empty. The yaml, log and classpath cache stay.
     *
     * @throws CassandraLaunchException if the node is running
     */
    public synchronized void wipe() {
        if (isRunning()) {
            throw new CassandraLaunchException("stop Cassandra before wiping " + workDir);
        }
        for (String dir : DATA_DIRS) {
            deleteTree(workDir.resolve(dir));
        }
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The child's pid while it runs. */
    public synchronized OptionalLong pid() {
        return isRunning() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
    }

    /** The CQL native port (0 before the first start if a free port was asked for). */
    public synchronized int nativePort() {
        return nativePort;
    }

    public synchronized int storagePort() {
        return storagePort;
    }

    public synchronized int jmxPort() {
        return jmxPort;
    }

    /** {@code 127.0.0.1:<native port>}, the driver's contact point. */
    public InetSocketAddress contactPoint() {
        return new InetSocketAddress(HOST, nativePort());
    }

    /**
     * HOCON for the DataStax driver (and so for Pekko Persistence Cassandra) to reach this node:
     * {@code datastax-java-driver.basic.contact-points} and the local datacenter.
     */
    public String driverConfig() {
        return "datastax-java-driver.basic.contact-points = [\"" + HOST + ":" + nativePort() + "\"]\n"
                + "datastax-java-driver.basic.load-balancing-policy.local-datacenter = \"" + LOCAL_DATACENTER
                + "\"\n";
    }

    public Path workDir() {
        return workDir;
    }

    public Path logFile() {
        return workDir.resolve("cassandra.log");
    }

    Path yamlFile() {
        return workDir.resolve("cassandra.yaml");
    }

    /** How long the last {@link #start()} took, from resolving the classpath to answering CQL. */
    public synchronized Duration lastStartDuration() {
        return lastStartDuration;
    }

    /** The last {@code lines} lines of {@code cassandra.log}. */
    public String logTail(int lines) {
        Path log = logFile();
        if (!Files.exists(log)) {
            return "(no " + log + ")";
        }
        Deque<String> tail = new ArrayDeque<>();
        try (Stream<String> all = Files.lines(log, StandardCharsets.UTF_8)) {
            all.forEach(line -> {
                tail.addLast(line);
                if (tail.size() > lines) {
                    tail.removeFirst();
                }
            });
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
        return String.join("\n", tail);
    }

    /** The minimal {@code cassandra.yaml}: one token, loopback only, every directory in the work folder. */
    static String cassandraYaml(Path workDir, String clusterName, int nativePort, int storagePort) {
        return String.join("\n",
                "# Written by io.dpuvpc.persistence.cassandra.EmbeddedCassandra; rewritten on every start.",
                "cluster_name: '" + clusterName + "'",
                "num_tokens: 1",
                "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
                "seed_provider:",
                "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
                "    parameters:",
                "      - seeds: \"" + HOST + ":" + storagePort + "\"",
                "listen_address: " + HOST,
                "rpc_address: " + HOST,
                "storage_port: " + storagePort,
                "native_transport_port: " + nativePort,
                "start_native_transport: true",
                "endpoint_snitch: SimpleSnitch",
                "authenticator: AllowAllAuthenticator",
                "authorizer: AllowAllAuthorizer",
                "role_manager: CassandraRoleManager",
                "network_authorizer: AllowAllNetworkAuthorizer",
                "commitlog_sync: periodic",
                "commitlog_sync_period: 10000ms",
                "data_file_directories:",
                "  - " + workDir.resolve("data"),
                "commitlog_directory: " + workDir.resolve("commitlog"),
                "saved_caches_directory: " + workDir.resolve("saved_caches"),
                "hints_directory: " + workDir.resolve("hints"),
                "cdc_raw_directory: " + workDir.resolve("cdc_raw"),
                "disk_failure_policy: stop",
                "commit_failure_policy: stop",
                // Dropped test keyspaces need no snapshot on disk.
                "auto_snapshot: false",
                "");
    }

    /** The child's JVM options, without the classpath and main class. */
    static List<String> jvmOptions(Path workDir, String heap, int jmxPort) {
        List<String> options = new ArrayList<>();
        options.add("-Xms" + heap);
        options.add("-Xmx" + heap);
        options.addAll(List.of("-Xss256k", "-XX:+UseG1GC", "-XX:MaxDirectMemorySize=" + heap,
                "-Djava.net.preferIPv4Stack=true",
                "-Dcassandra-foreground=yes",
                "-Dcassandra.skip_wait_for_gossip_to_settle=0",
                "-Dcassandra.config=" + workDir.resolve("cassandra.yaml").toUri(),
                "-Dcassandra.storagedir=" + workDir,
                "-Dcassandra.logdir=" + workDir,
                "-Dcassandra.jmx.local.port=" + jmxPort,
                "-Dlogback.configurationFile=" + workDir.resolve("logback.xml")));
        options.addAll(JAVA17_OPTIONS);
        return options;
    }

    private static final String LOGBACK_XML = """
            <configuration>
              <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n</pattern></encoder>
              </appender>
              <root level="INFO"><appender-ref ref="STDOUT"/></root>
            </configuration>
            """;

    private void awaitReady(long t0) {
        long deadline = t0 + startTimeout.toNanos();
        InetSocketAddress address = contactPoint();
        String lastError = "native port " + address + " not open";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new CassandraLaunchException("Cassandra exited with status " + process.exitValue()
                        + " while starting; the end of " + logFile() + ":\n" + logTail(LOG_TAIL_LINES));
            }
            if (portOpen(address)) {
                try {
                    String version = releaseVersion(address);
                    if (version != null) {
                        return;
                    }
                } catch (RuntimeException e) {
                    lastError = e.toString();
                }
            }
            sleep(250);
        }
        throw new CassandraLaunchException("Cassandra did not answer CQL on " + address + " within " + startTimeout
                + " (" + lastError + "); the end of " + logFile() + ":\n" + logTail(LOG_TAIL_LINES));
    }

    /** Opens a driver session, reads {@code release_version}, closes it. */
    static String releaseVersion(InetSocketAddress address) {
        DriverConfigLoader loader = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(5))
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(5))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, Duration.ofSeconds(5))
                .build();
        try (CqlSession session = CqlSession.builder().addContactPoint(address)
                .withLocalDatacenter(LOCAL_DATACENTER).withConfigLoader(loader).build()) {
            Row row = session.execute("SELECT release_version FROM system.local").one();
            return row == null ? null : row.getString("release_version");
        }
    }

    /**
     * A shutdown hook does not run when this JVM is killed with SIGKILL (a surefire fork timeout,
     * {@code kill -9}): a small {@code sh} loop then stops the orphaned child the same way,
     * SIGTERM and SIGKILL after the grace period. It ends by itself once the child has gone.
     */
    private static Process startWatchdog(long childPid, Duration grace) {
        if (!Files.isExecutable(Path.of("/bin/sh"))) {
            return null;
        }
        long parent = ProcessHandle.current().pid();
        String script = "while kill -0 " + parent + " 2>/dev/null && kill -0 " + childPid + " 2>/dev/null; do sleep 1; done; "
                + "if kill -0 " + childPid + " 2>/dev/null; then kill " + childPid + "; sleep " + Math.max(1, grace.toSeconds())
                + "; kill -9 " + childPid + " 2>/dev/null; fi";
        try {
            return new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean portOpen(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            System.err.println("could not stop the embedded Cassandra in " + workDir + ": " + e.getMessage());
        }
    }

    private void removeExitHook() {
        Thread hook = exitHook;
        exitHook = null;
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down; the hook runs or has run.
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CassandraLaunchException("interrupted while waiting for Cassandra", e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new CassandraLaunchException("cannot delete " + root + ": " + e.getMessage(), e);
        }
    }

    /** Options of an {@link EmbeddedCassandra}; every one has a default. */
    public static final class Builder {
        private final Path workDir;
        private String heap = "512M";
        private int nativePort;
        private int storagePort;
        private int jmxPort;
        private Duration startTimeout = Duration.ofSeconds(120);
        private Duration stopGrace = Duration.ofSeconds(20);
        private Duration resolveTimeout = Duration.ofMinutes(10);
        private boolean stopOnJvmExit = true;
        private Path classpathCache;
        private Path javaExecutable = Path.of(System.getProperty("java.home"), "bin", "java");
        private final List<String> extraJvmOptions = new ArrayList<>();
        private String clusterName = "dpuvpc-embedded";

        private Builder(Path workDir) {
            this.workDir = Objects.requireNonNull(workDir, "workDir");
        }

        /** Heap (-Xms and -Xmx) and max direct memory, in JVM syntax; default {@code 512M}. */
        public Builder heap(String heap) {
            this.heap = Objects.requireNonNull(heap);
            return this;
        }

        /** CQL port; 0 (default) picks a free one. */
        public Builder nativePort(int port) {
            this.nativePort = port;
            return this;
        }

        /** Internode port; 0 (default) picks a free one. */
        public Builder storagePort(int port) {
            this.storagePort = port;
            return this;
        }

        /** Local JMX port (for nodetool); 0 (default) picks a free one. */
        public Builder jmxPort(int port) {
            this.jmxPort = port;
            return this;
        }

        /** How long {@link #start()} waits for CQL; default 120 s. */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** How long {@link #stop()} waits after SIGTERM before SIGKILL; default 20 s. */
        public Builder stopGrace(Duration grace) {
            this.stopGrace = Objects.requireNonNull(grace);
            return this;
        }

        /** How long Maven may take to resolve the classpath (online on a fresh machine); default 10 min. */
        public Builder resolveTimeout(Duration timeout) {
            this.resolveTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * Stop the child when this JVM exits (default true): a shutdown hook, and on Unix a
         * watchdog {@code sh} loop that also covers this JVM being killed with SIGKILL.
         */
        public Builder stopOnJvmExit(boolean stop) {
            this.stopOnJvmExit = stop;
            return this;
        }

        /** Where the resolved classpath is cached; default {@code cassandra.classpath} in the work folder. */
        public Builder classpathCache(Path file) {
            this.classpathCache = file;
            return this;
        }

        /** The {@code java} to run Cassandra with (Java 11 or 17); default this JVM's. */
        public Builder javaExecutable(Path java) {
            this.javaExecutable = Objects.requireNonNull(java);
            return this;
        }

        /** More JVM options for the child, after ours. */
        public Builder jvmOption(String option) {
            this.extraJvmOptions.add(Objects.requireNonNull(option));
            return this;
        }

        public Builder clusterName(String name) {
            this.clusterName = Objects.requireNonNull(name);
            return this;
        }

        public EmbeddedCassandra build() {
            return new EmbeddedCassandra(this);
        }
    }
}
