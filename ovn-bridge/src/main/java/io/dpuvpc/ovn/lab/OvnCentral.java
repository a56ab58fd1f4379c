package io.dpuvpc.ovn.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;

/**
 * OVN central in one work folder: the Northbound and Southbound {@code ovsdb-server}s and,
 * optionally, {@code ovn-northd}, as real daemons.
 *
 * <p>Each database listens on a unix socket ({@code nb.sock}, {@code sb.sock}), on TCP on
 * 127.0.0.1 and, when {@link Builder#tls TLS files} are given, on SSL on 127.0.0.1. A port of 0
 * means any free port; the bound port is read back and kept, so {@link #restartNb()} and
 * {@link #wipeNb()} come back on the same endpoint and clients can simply reconnect.
 * {@code ovn-northd} talks to both databases through their unix sockets.
 *
 * <p>Everything lives in the work folder: {@code nb.db}, {@code sb.db}, and for each of
 * {@code nb}, {@code sb}, {@code northd} a {@code .pid}, {@code .log} and {@code .ctl} (unixctl)
 * file, plus {@code lab.properties}, which records the ports so that another process can
 * {@link #attach(Path) attach} to a running lab and stop it. Databases that already exist are
 * kept (converted if the installed schema is newer); {@link #wipeNb()} starts NB from empty.
 *
 * <p>Processes are stopped by the pids in their pidfiles, never by name: SIGTERM, then SIGKILL
 * after a grace period, and {@link #stop()} waits until they are gone.
 *
 * <pre>{@code
 * try (OvnCentral ovn = OvnCentral.builder(dir).stopOnJvmExit(true).start()) {
 *     ovn.nbctl("ls-add", "sw0");
 *     String nb = ovn.nbTcpEndpoint();          // tcp:127.0.0.1:40123
 * }
 * }</pre>
 */
public final class OvnCentral implements AutoCloseable {
    /** The OVN Northbound schema shipped by Debian's {@code ovn-central}. */
    public static final Path NB_SCHEMA = Path.of("/usr/share/ovn/ovn-nb.ovsschema");
    /** The OVN Southbound schema shipped by Debian's {@code ovn-central}. */
    public static final Path SB_SCHEMA = Path.of("/usr/share/ovn/ovn-sb.ovsschema");
    public static final String NB_DATABASE = "OVN_Northbound";
    public static final String SB_DATABASE = "OVN_Southbound";

    private static final String STATE_FILE = "lab.properties";
    private static final String NORTHD = "ovn-northd";
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    /** One daemon of the lab as {@link #status()} sees it. */
    public record DaemonStatus(String name, OptionalLong pid, boolean alive, List<String> endpoints) {
        public DaemonStatus {
            endpoints = List.copyOf(endpoints);
        }
    }

    private final Path workDir;
    private final boolean northd;
    private final TlsFiles tls;
    private final Duration timeout;
    private final boolean stopOnJvmExit;
    private final boolean fresh;
    private final OvsdbServerDaemon nb;
    private final OvsdbServerDaemon sb;

    // Requested ports until start(), the bound ones after.
    private int nbPort;
    private int sbPort;
    private int nbSslPort;
    private int sbSslPort;
    private final StopOnJvmExit exitHook;
    /** The servers' probe of silent clients, or null for ovsdb-server's own 5 s. */
    private final Duration inactivityProbe;

    private OvnCentral(Path workDir, boolean northd, TlsFiles tls, Duration timeout, boolean stopOnJvmExit,
                       boolean fresh, int nbPort, int sbPort, int nbSslPort, int sbSslPort, Duration inactivityProbe) {
        this.workDir = workDir.toAbsolutePath().normalize();
        this.exitHook = new StopOnJvmExit("the OVN lab in " + this.workDir, this::stop);
        this.northd = northd;
        this.tls = tls;
        this.timeout = timeout;
        this.stopOnJvmExit = stopOnJvmExit;
        this.fresh = fresh;
        this.nbPort = nbPort;
        this.sbPort = sbPort;
        this.nbSslPort = nbSslPort;
        this.sbSslPort = sbSslPort;
        this.inactivityProbe = inactivityProbe;
        this.nb = new OvsdbServerDaemon(this.workDir, "nb");
        this.sb = new OvsdbServerDaemon(this.workDir, "sb");
    }

    /** A lab in {@code workDir} (created if missing), by default on free ports, with northd, no TLS. */
    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    /**
     * A handle on a lab that another process started in {@code workDir}, from its
     * {@code lab.properties} and pidfiles: for {@link #status()}, {@link #stop()} and the endpoints.
     * The daemons need not be alive.
     *
     * @throws OvnLabException if no lab was ever started there
     */
    public static OvnCentral attach(Path workDir) {
        Path state = workDir.resolve(STATE_FILE);
        if (!Files.exists(state)) {
            throw new OvnLabException("no OVN lab in " + workDir.toAbsolutePath() + " (no " + STATE_FILE + ")");
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(state)) {
            p.load(in);
        } catch (IOException e) {
            throw new OvnLabException("cannot read " + state + ": " + e.getMessage(), e);
        }
        TlsFiles tls = p.containsKey("tls.privateKey")
                ? new TlsFiles(Path.of(p.getProperty("tls.privateKey")), Path.of(p.getProperty("tls.certificate")),
                        Path.of(p.getProperty("tls.caCertificate")))
                : null;
        return new OvnCentral(workDir, Boolean.parseBoolean(p.getProperty("northd", "true")), tls,
                ExternalCommand.DEFAULT_TIMEOUT, false, false,
                intProperty(p, "nb.port"), intProperty(p, "sb.port"),
                intProperty(p, "nb.ssl.port"), intProperty(p, "sb.ssl.port"),
                p.containsKey("inactivity.probe.ms") ? Duration.ofMillis(Long.parseLong(p.getProperty("inactivity.probe.ms"))) : null);
    }

    /** Whether a lab was ever started in {@code workDir} (it may be stopped now). */
    public static boolean exists(Path workDir) {
        return Files.exists(workDir.resolve(STATE_FILE));
    }

    /**
     * Creates missing databases, starts NB, SB and northd, checks that each answers, and with
     * northd waits until {@code ovn-nbctl --wait=sb sync} returns. On any failure whatever was
     * started is stopped again.
     *
     * @return this
     * @throws MissingToolException if OVS/OVN is not installed
     * @throws OvnLabException if a daemon of this lab is already running here, or one fails to start
     */
    public synchronized OvnCentral start() {
        requireTools();
        if (nb.isAlive() || sb.isAlive() || northdAlive()) {
            throw new OvnLabException("an OVN lab is already running in " + workDir
                    + "; use OvnCentral.attach() or stop it first");
        }
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new OvnLabException("cannot create " + workDir + ": " + e.getMessage(), e);
        }
        try {
            if (fresh) {
                deleteDatabase(nb);
                deleteDatabase(sb);
            }
            prepareDatabase(nb, NB_SCHEMA);
            prepareDatabase(sb, SB_SCHEMA);
            startNbDaemon();
            startSbDaemon();
            writeState();
            if (northd) {
                startNorthd();
                awaitNorthdSync(timeout);
            }
        } catch (RuntimeException e) {
            exitHook.stopQuietly();
            throw e;
        }
        if (stopOnJvmExit) {
            exitHook.install("ovn-lab-stop-" + workDir.getFileName());
        }
        return this;
    }

    /**
     * Stops northd, NB and SB (SIGTERM, SIGKILL after 5 s) and waits until they have exited.
     * Database and log files stay.
     *
     * @return the daemons that were alive and are now stopped, with their pids
     */
    public synchronized List<DaemonStatus> stop() {
        List<DaemonStatus> stopped = new ArrayList<>();
        if (northd) {
            OptionalLong pid = Daemons.readPid(northdPidfile());
            if (pid.isPresent() && Daemons.terminate(pid.getAsLong(), NORTHD, STOP_GRACE)) {
                stopped.add(new DaemonStatus(NORTHD, pid, false, List.of()));
            }
        }
        OptionalLong nbPid = nb.stop(STOP_GRACE);
        if (nbPid.isPresent()) {
            stopped.add(new DaemonStatus("ovsdb-server nb", nbPid, false, nbEndpoints()));
        }
        OptionalLong sbPid = sb.stop(STOP_GRACE);
        if (sbPid.isPresent()) {
            stopped.add(new DaemonStatus("ovsdb-server sb", sbPid, false, sbEndpoints()));
        }
        exitHook.remove();
        return stopped;
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Stops the NB ovsdb-server only; its database file stays for {@link #startNb()}. */
    public synchronized void stopNb() {
        nb.stop(STOP_GRACE);
    }

    /** Starts the NB ovsdb-server again on its database and on the same ports as before. */
    public synchronized void startNb() {
        if (nb.isAlive()) {
            throw new OvnLabException("NB ovsdb-server is already running in " + workDir);
        }
        startNbDaemon();
    }

    /** {@link #stopNb()} then {@link #startNb()}: NB keeps its data, clients see a reconnect. */
    public synchronized void restartNb() {
        stopNb();
        startNb();
    }

    /**
     * Stops NB, replaces its database with an empty one and starts it on the same ports. With
     * northd running, SB follows (its logical flows and datapaths go away).
     */
    public synchronized void wipeNb() {
        stopNb();
        deleteDatabase(nb);
        prepareDatabase(nb, NB_SCHEMA);
        startNbDaemon();
    }

    /** Each daemon of this lab with its pid (from its pidfile), whether it is alive, and its endpoints. */
    public synchronized List<DaemonStatus> status() {
        List<DaemonStatus> result = new ArrayList<>();
        result.add(new DaemonStatus("ovsdb-server nb", nb.pid(), nb.isAlive(), nbEndpoints()));
        result.add(new DaemonStatus("ovsdb-server sb", sb.pid(), sb.isAlive(), sbEndpoints()));
        if (northd) {
            result.add(new DaemonStatus(NORTHD, Daemons.readPid(northdPidfile()), northdAlive(),
                    List.of("nb " + nb.unixEndpoint(), "sb " + sb.unixEndpoint())));
        }
        return result;
    }

    /** Whether every daemon of this lab is alive. */
    public boolean isRunning() {
        return status().stream().allMatch(DaemonStatus::alive);
    }

    /** Whether the NB ovsdb-server is alive. */
    public boolean isNbRunning() {
        return nb.isAlive();
    }

    /**
     * Waits until northd has carried every NB change into SB ({@code ovn-nbctl --wait=sb sync}).
     *
     * @throws OvnLabException if that does not happen within {@code timeout}
     */
    public void awaitNorthdSync(Duration timeout) {
        if (!northd) {
            throw new IllegalStateException("this lab runs without ovn-northd");
        }
        long seconds = Math.max(1, timeout.toSeconds());
        ExternalCommand.Result result = nb.run(timeout.plusSeconds(5), List.of("ovn-nbctl",
                "--db=" + nb.unixEndpoint(), "--timeout=" + seconds, "--wait=sb", "sync"));
        if (!result.ok()) {
            throw new OvnLabException("ovn-northd did not sync NB to SB within " + timeout + ": " + result.describe()
                    + "\nnorthd log " + northdLog() + ": " + ExternalCommand.tailOf(northdLog(), 1000));
        }
    }

    /**
     * Runs {@code ovn-nbctl} against this NB (unix socket) and returns its stdout.
     *
     * @throws OvnLabException on a non-zero exit, quoting its stderr
     */
    public String nbctl(String... args) {
        return ctl("ovn-nbctl", nb, args);
    }

    /** Runs {@code ovn-sbctl} against this SB (unix socket) and returns its stdout. */
    public String sbctl(String... args) {
        return ctl("ovn-sbctl", sb, args);
    }

    public Path workDir() {
        return workDir;
    }

    public boolean hasNorthd() {
        return northd;
    }

    /** The TLS files the SSL remotes use, when TLS is on. */
    public Optional<TlsFiles> tls() {
        return Optional.ofNullable(tls);
    }

    /** NB's TCP port (the bound one once started). */
    public int nbPort() {
        return nbPort;
    }

    /** SB's TCP port (the bound one once started). */
    public int sbPort() {
        return sbPort;
    }

    /** e.g. {@code tcp:127.0.0.1:6641} */
    public String nbTcpEndpoint() {
        return "tcp:" + OvsdbServerDaemon.LOOPBACK + ":" + nbPort;
    }

    /** e.g. {@code tcp:127.0.0.1:6642} */
    public String sbTcpEndpoint() {
        return "tcp:" + OvsdbServerDaemon.LOOPBACK + ":" + sbPort;
    }

    /** e.g. {@code unix:/work/lab/nb.sock} */
    public String nbUnixEndpoint() {
        return nb.unixEndpoint();
    }

    /** e.g. {@code unix:/work/lab/sb.sock} */
    public String sbUnixEndpoint() {
        return sb.unixEndpoint();
    }

    /** e.g. {@code ssl:127.0.0.1:40123}, when TLS is on. */
    public Optional<String> nbSslEndpoint() {
        return tls == null ? Optional.empty() : Optional.of("ssl:" + OvsdbServerDaemon.LOOPBACK + ":" + nbSslPort);
    }

    /** e.g. {@code ssl:127.0.0.1:40124}, when TLS is on. */
    public Optional<String> sbSslEndpoint() {
        return tls == null ? Optional.empty() : Optional.of("ssl:" + OvsdbServerDaemon.LOOPBACK + ":" + sbSslPort);
    }

    public Path nbDatabaseFile() {
        return nb.database();
    }

    public Path nbLog() {
        return nb.log();
    }

    public Path sbLog() {
        return sb.log();
    }

    public Path northdLog() {
        return workDir.resolve("northd.log");
    }

    @Override
    public String toString() {
        return "OvnCentral[" + workDir + ", nb=" + nbTcpEndpoint() + ", sb=" + sbTcpEndpoint() + "]";
    }

    private List<String> nbEndpoints() {
        return endpoints(nbTcpEndpoint(), nb.unixEndpoint(), nbSslEndpoint());
    }

    private List<String> sbEndpoints() {
        return endpoints(sbTcpEndpoint(), sb.unixEndpoint(), sbSslEndpoint());
    }

    private static List<String> endpoints(String tcp, String unix, Optional<String> ssl) {
        List<String> list = new ArrayList<>(List.of(tcp, unix));
        ssl.ifPresent(list::add);
        return list;
    }

    private void requireTools() {
        for (String tool : List.of("ovsdb-server", "ovsdb-tool", "ovsdb-client", "ovs-appctl", "ovn-nbctl")) {
            ExternalCommand.locate(tool);
        }
        if (northd) {
            ExternalCommand.locate(NORTHD);
        }
        for (Path schema : List.of(NB_SCHEMA, SB_SCHEMA)) {
            if (!Files.isReadable(schema)) {
                throw new MissingToolException(schema.toString(), "ovn-central");
            }
        }
    }

    private void prepareDatabase(OvsdbServerDaemon server, Path schema) {
        Path db = server.database();
        if (!Files.exists(db)) {
            server.run(timeout, List.of("ovsdb-tool", "create", db.toString(), schema.toString())).orThrow();
            return;
        }
        String needs = server.run(timeout, List.of("ovsdb-tool", "needs-conversion", db.toString(), schema.toString()))
                .orThrow().stdout().strip();
        if ("yes".equals(needs)) {
            server.run(timeout, List.of("ovsdb-tool", "convert", db.toString(), schema.toString())).orThrow();
        }
    }

    private void deleteDatabase(OvsdbServerDaemon server) {
        Path db = server.database();
        try {
            Files.deleteIfExists(db);
            // ovsdb-tool's lock file beside the database
            Files.deleteIfExists(db.resolveSibling("." + db.getFileName() + ".~lock~"));
        } catch (IOException e) {
            throw new OvnLabException("cannot delete " + db + ": " + e.getMessage(), e);
        }
    }

    private void startNbDaemon() {
        List<Integer> ports = startDatabase(nb, NB_DATABASE, nbPort, nbSslPort);
        nbPort = ports.get(0);
        if (tls != null) {
            nbSslPort = ports.get(1);
        }
    }

    private void startSbDaemon() {
        List<Integer> ports = startDatabase(sb, SB_DATABASE, sbPort, sbSslPort);
        sbPort = ports.get(0);
        if (tls != null) {
            sbSslPort = ports.get(1);
        }
    }

    private List<Integer> startDatabase(OvsdbServerDaemon server, String database, int tcpPort, int sslPort) {
        List<OvsdbServerDaemon.Remote> remotes = new ArrayList<>(List.of(OvsdbServerDaemon.Remote.tcp(tcpPort)));
        if (tls != null) {
            remotes.add(OvsdbServerDaemon.Remote.ssl(sslPort));
        }
        List<Integer> ports = server.start(remotes, tls, Set.of(), timeout);
        if (inactivityProbe != null) {
            try {
                server.serveRemotesFromDatabase(database, database.equals(NB_DATABASE) ? "NB_Global" : "SB_Global",
                        remotes, ports, inactivityProbe, timeout);
            } catch (RuntimeException e) {
                server.stop(STOP_GRACE);
                throw e;
            }
        }
        // --detach returned after the server was set up; prove that it answers on TCP.
        String endpoint = "tcp:" + OvsdbServerDaemon.LOOPBACK + ":" + ports.get(0);
        ExternalCommand.Result dbs = server.run(timeout, List.of("ovsdb-client", "list-dbs", endpoint));
        if (!dbs.ok() || !dbs.stdout().lines().anyMatch(database::equals)) {
            server.stop(STOP_GRACE);
            throw new OvnLabException("ovsdb-server " + database + " does not serve " + database + " on " + endpoint
                    + ": " + dbs.describe());
        }
        return ports;
    }

    private void startNorthd() {
        ExternalCommand.Result result = nb.run(timeout, List.of(NORTHD, "--detach", "--no-chdir",
                "--pidfile=" + northdPidfile(), "--log-file=" + northdLog(),
                "--unixctl=" + workDir.resolve("northd.ctl"),
                "--ovnnb-db=" + nb.unixEndpoint(), "--ovnsb-db=" + sb.unixEndpoint()));
        if (!result.ok() || !northdAlive()) {
            throw new OvnLabException("ovn-northd did not start: " + result.describe()
                    + "\nlog " + northdLog() + ": " + ExternalCommand.tailOf(northdLog(), 2000));
        }
    }

    private boolean northdAlive() {
        OptionalLong pid = Daemons.readPid(northdPidfile());
        return pid.isPresent() && Daemons.isAlive(pid.getAsLong(), NORTHD);
    }

    private Path northdPidfile() {
        return workDir.resolve("northd.pid");
    }

    /**
     * Runs {@code ovs-appctl -t northd.ctl ARGS} (e.g. {@code stopwatch/show}, the time northd
     * spends in each stage of its loop) and returns its stdout.
     *
     * @throws OvnLabException on a non-zero exit, quoting its stderr
     */
    public String northdAppctl(String... args) {
        if (!northd) {
            throw new IllegalStateException("this lab runs without ovn-northd");
        }
        List<String> command = new ArrayList<>(List.of("ovs-appctl", "-t", workDir.resolve("northd.ctl").toString(),
                "--timeout=" + Math.max(1, timeout.toSeconds())));
        command.addAll(List.of(args));
        return nb.run(timeout.plusSeconds(5), command).orThrow().stdout();
    }

    private String ctl(String tool, OvsdbServerDaemon server, String... args) {
        List<String> command = new ArrayList<>(List.of(tool, "--db=" + server.unixEndpoint(),
                "--timeout=" + Math.max(1, timeout.toSeconds())));
        command.addAll(List.of(args));
        return server.run(timeout.plusSeconds(5), command).orThrow().stdout();
    }

    private void writeState() {
        Properties p = new Properties();
        p.setProperty("nb.port", Integer.toString(nbPort));
        p.setProperty("sb.port", Integer.toString(sbPort));
        p.setProperty("nb.ssl.port", Integer.toString(nbSslPort));
        p.setProperty("sb.ssl.port", Integer.toString(sbSslPort));
        p.setProperty("northd", Boolean.toString(northd));
        if (inactivityProbe != null) {
            p.setProperty("inactivity.probe.ms", Long.toString(inactivityProbe.toMillis()));
        }
        if (tls != null) {
            p.setProperty("tls.privateKey", tls.privateKey().toAbsolutePath().toString());
            p.setProperty("tls.certificate", tls.certificate().toAbsolutePath().toString());
            p.setProperty("tls.caCertificate", tls.caCertificate().toAbsolutePath().toString());
        }
        Path state = workDir.resolve(STATE_FILE);
        Path temp = workDir.resolve(STATE_FILE + ".tmp");
        try (OutputStream out = Files.newOutputStream(temp)) {
            p.store(out, "OVN lab started " + Instant.now() + "; read by OvnCentral.attach()");
        } catch (IOException e) {
            throw new OvnLabException("cannot write " + temp + ": " + e.getMessage(), e);
        }
        try {
            Files.move(temp, state, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new OvnLabException("cannot write " + state + ": " + e.getMessage(), e);
        }
    }

    private static int intProperty(Properties p, String key) {
        try {
            return Integer.parseInt(p.getProperty(key, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Options for {@link OvnCentral}; every setter returns this. */
    public static final class Builder {
        private final Path workDir;
        private int nbPort;
        private int sbPort;
        private int nbSslPort;
        private int sbSslPort;
        private boolean northd = true;
        private TlsFiles tls;
        private boolean stopOnJvmExit;
        private boolean fresh;
        private Duration timeout = ExternalCommand.DEFAULT_TIMEOUT;
        private Duration inactivityProbe;

        private Builder(Path workDir) {
            this.workDir = Objects.requireNonNull(workDir, "workDir");
        }

        /** NB TCP port on 127.0.0.1; 0 (the default) for any free port. */
        public Builder nbPort(int port) {
            this.nbPort = checkPort(port);
            return this;
        }

        /** SB TCP port on 127.0.0.1; 0 (the default) for any free port. */
        public Builder sbPort(int port) {
            this.sbPort = checkPort(port);
            return this;
        }

        /** Whether to run ovn-northd (default true). Without it SB stays empty. */
        public Builder northd(boolean northd) {
            this.northd = northd;
            return this;
        }

        /** Adds an SSL remote to NB and SB ({@code pssl:PORT:127.0.0.1}) with these server files. */
        public Builder tls(TlsFiles serverFiles) {
            this.tls = serverFiles;
            return this;
        }

        /** NB SSL port when {@link #tls} is set; 0 (the default) for any free port. */
        public Builder nbSslPort(int port) {
            this.nbSslPort = checkPort(port);
            return this;
        }

        /** SB SSL port when {@link #tls} is set; 0 (the default) for any free port. */
        public Builder sbSslPort(int port) {
            this.sbSslPort = checkPort(port);
            return this;
        }

        /** Registers a JVM shutdown hook that stops the lab (default false); tests should say true. */
        public Builder stopOnJvmExit(boolean stopOnJvmExit) {
            this.stopOnJvmExit = stopOnJvmExit;
            return this;
        }

        /**
         * Start from empty databases: deletes {@code nb.db} and {@code sb.db} in the work folder
         * first (default false: existing databases are kept).
         */
        public Builder fresh(boolean fresh) {
            this.fresh = fresh;
            return this;
        }

        /** The limit for each tool run and for northd's first sync (default 30 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * How long NB and SB let a client stay silent before they probe it and then drop it: set
         * as an operator would, in {@code Connection} rows (ovsdb-server's own is 5 s and cannot be
         * changed for a command-line remote). At least 1 s; by default ovsdb-server's 5 s.
         */
        public Builder inactivityProbe(Duration probe) {
            if (probe.toMillis() < 1000) {
                throw new IllegalArgumentException("inactivityProbe must be at least 1 s (ovsdb-server's minimum): " + probe);
            }
            this.inactivityProbe = probe;
            return this;
        }

        /** The lab, not started. */
        public OvnCentral build() {
            return new OvnCentral(workDir, northd, tls, timeout, stopOnJvmExit, fresh, nbPort, sbPort, nbSslPort, sbSslPort,
                    inactivityProbe);
        }

        /** {@code build().start()} */
        public OvnCentral start() {
            return build().start();
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            return port;
        }
    }
}
