package io.dpuvpc.ovn.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One lab DPU: its own OVS database ({@code ovsdb-server} on a unix socket), {@code ovs-vswitchd}
 * (userspace datapath) running inside the DPU's network namespace, and {@code ovn-controller}.
 *
 * <p>The lab starts the daemons and nothing more. Configuring OVS (the {@code Open_vSwitch}
 * {@code external_ids} system-id, ovn-remote, ovn-encap-*, ovn-bridge-mappings, {@code br-int},
 * the external bridge with {@link #uplinkInterface()}, plugging representors) is the node
 * agent's job; this class exposes what the agent needs: {@link #dbEndpoint()},
 * {@link #namespace()}, {@link #underlayIp()}, {@link #uplinkInterface()},
 * {@link #representors()}. Note for the agent: with the userspace ({@code netdev}) datapath,
 * geneve goes out only through an OVS bridge that owns the tunnel's source address, so the
 * underlay interface ({@code ul0}) must be a port of a netdev bridge (e.g. {@code br-phy}) and the
 * underlay address moved from {@code ul0} to that bridge's internal port.
 *
 * <p>The kernel has no openvswitch module here, and two netdev {@code ovs-vswitchd}s cannot share
 * a namespace (their tap devices clash), hence one namespace per DPU. {@code ovsdb-server} and
 * {@code ovn-controller} run in the root namespace: they talk over the unix socket and to SB over
 * loopback TCP.
 *
 * <p>Files, all in the work folder: {@code conf.db}, {@code conf.sock}, {@code conf.pid},
 * {@code conf.log}, {@code conf.ctl} (the database); {@code ovs-vswitchd.pid/.log/.ctl};
 * {@code ovn-controller.pid/.log} (its control socket is {@code ovn-controller.PID.ctl}: 23.03 has
 * no {@code --unixctl}, so {@code OVN_RUNDIR} is the folder). Daemons are stopped by pid.
 */
public final class DpuChassis {
    /** The Open_vSwitch schema shipped by Debian's {@code openvswitch-common}. */
    public static final Path VSWITCH_SCHEMA = Path.of("/usr/share/openvswitch/vswitch.ovsschema");
    public static final String VSWITCHD = "ovs-vswitchd";
    public static final String CONTROLLER = "ovn-controller";

    /** A unix socket path must fit in {@code sun_path} (108 bytes with the NUL). */
    private static final int MAX_SOCKET_PATH = 107;
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final Path workDir;
    private final LabNetwork.DpuPorts ports;
    private final Duration timeout;
    private final OvsdbServerDaemon db;
    private final Map<String, String> environment;

    /**
     * A chassis whose files live in {@code workDir}, plugged into the DPU namespace of
     * {@code ports}; nothing is started until {@link #start()}. A chassis started by another
     * process is handled the same way: this object holds no process state besides its folder.
     */
    public DpuChassis(Path workDir, LabNetwork.DpuPorts ports, Duration timeout) {
        this.workDir = workDir.toAbsolutePath().normalize();
        this.ports = Objects.requireNonNull(ports, "ports");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.db = new OvsdbServerDaemon(this.workDir, "conf");
        this.environment = OvsdbServerDaemon.toolEnvironment(this.workDir);
        for (Path socket : List.of(db.socket(), vswitchdControl())) {
            if (socket.toString().length() > MAX_SOCKET_PATH) {
                throw new IllegalArgumentException("unix socket path " + socket + " is longer than " + MAX_SOCKET_PATH
                        + " characters: use a shorter work folder");
            }
        }
    }

    /**
     * Creates the database if missing ({@code ovsdb-tool create}, {@code ovs-vsctl --no-wait init}),
     * starts {@code ovsdb-server}, {@code ovs-vswitchd} in the DPU namespace and
     * {@code ovn-controller}. On failure whatever was started is stopped again.
     *
     * @throws OvnLabException if a daemon of this chassis is already running, or one fails to start
     * @throws MissingToolException if OVS/OVN or iproute2 is missing
     */
    public synchronized DpuChassis start() {
        requireTools();
        if (!LabNetwork.namespaceExists(namespace())) {
            throw new OvnLabException("namespace " + namespace() + " of DPU " + name() + " does not exist");
        }
        if (db.isAlive() || vswitchdAlive() || controllerAlive()) {
            throw new OvnLabException("DPU " + name() + " already runs daemons in " + workDir);
        }
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new OvnLabException("cannot create " + workDir + ": " + e.getMessage(), e);
        }
        try {
            prepareDatabase();
            startDatabase();
            startVswitchd();
            startController();
        } catch (RuntimeException e) {
            try {
                stop();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return this;
    }

    /**
     * Stops ovn-controller, ovs-vswitchd and ovsdb-server by their pids (SIGTERM, SIGKILL after
     * 5 s) and waits until they are gone. The database and logs stay.
     *
     * @return the daemons that were alive and are now stopped (named as in {@link #status()})
     */
    public synchronized List<OvnCentral.DaemonStatus> stop() {
        List<OvnCentral.DaemonStatus> stopped = new ArrayList<>();
        terminate(CONTROLLER, controllerPidfile()).ifPresent(pid -> stopped.add(stoppedStatus(CONTROLLER, pid)));
        terminate(VSWITCHD, vswitchdPidfile()).ifPresent(pid -> stopped.add(stoppedStatus(VSWITCHD, pid)));
        OptionalLong dbPid = db.stop(STOP_GRACE);
        dbPid.ifPresent(pid -> stopped.add(stoppedStatus(OvsdbServerDaemon.PROGRAM, pid)));
        return stopped;
    }

    /** Stops and starts {@code ovs-vswitchd} (in the namespace): OVS configuration in the database stays. */
    public synchronized void restartVswitchd() {
        terminate(VSWITCHD, vswitchdPidfile());
        startVswitchd();
    }

    /** Stops and starts the local {@code ovsdb-server} on the same database and socket; its clients reconnect. */
    public synchronized void restartOvsdbServer() {
        db.stop(STOP_GRACE);
        startDatabase();
    }

    /**
     * What re-imaging a DPU does to OVS: stops every daemon, deletes the database, and starts
     * again from an empty, initialised one. The namespace and its interfaces stay.
     */
    public synchronized void reprovision() {
        stop();
        try {
            Files.deleteIfExists(db.database());
            Files.deleteIfExists(db.database().resolveSibling("." + db.database().getFileName() + ".~lock~"));
        } catch (IOException e) {
            throw new OvnLabException("cannot delete " + db.database() + ": " + e.getMessage(), e);
        }
        start();
    }

    /** Each daemon with its pid and whether it is alive: ovsdb-server, ovs-vswitchd, ovn-controller. */
    public synchronized List<OvnCentral.DaemonStatus> status() {
        return List.of(
                new OvnCentral.DaemonStatus(OvsdbServerDaemon.PROGRAM, db.pid(), db.isAlive(), List.of(dbEndpoint())),
                new OvnCentral.DaemonStatus(VSWITCHD, Daemons.readPid(vswitchdPidfile()), vswitchdAlive(),
                        List.of("netns " + namespace())),
                new OvnCentral.DaemonStatus(CONTROLLER, Daemons.readPid(controllerPidfile()), controllerAlive(),
                        List.of(dbEndpoint())));
    }

    /** Whether all three daemons are alive. */
    public boolean isRunning() {
        return status().stream().allMatch(OvnCentral.DaemonStatus::alive);
    }

    /**
     * Runs {@code ovs-vsctl --db=<this db>} with these arguments and returns its stdout; fails on a
     * non-zero exit. A convenience for tests and tools, not configuration done by the lab.
     */
    public String vsctl(String... args) {
        List<String> command = new ArrayList<>(List.of("ovs-vsctl", "--db=" + dbEndpoint(),
                "--timeout=" + Math.max(1, timeout.toSeconds())));
        command.addAll(List.of(args));
        return ExternalCommand.run(timeout.plusSeconds(5), environment, command).orThrow().stdout();
    }

    /** Runs {@code ovs-appctl -t <ovs-vswitchd's control socket>} (e.g. {@code tnl/neigh/flush}). */
    public String vswitchdAppctl(String... args) {
        List<String> command = new ArrayList<>(List.of("ovs-appctl", "-t", vswitchdControl().toString()));
        command.addAll(List.of(args));
        return ExternalCommand.run(timeout, environment, command).orThrow().stdout();
    }

    /** Runs a command inside this DPU's namespace. */
    public ExternalCommand.Result runInNamespace(String... command) {
        return LabNetwork.runIn(namespace(), timeout, command);
    }

    /** The DPU's name; also a natural OVN system-id. */
    public String name() {
        return ports.name();
    }

    /** The local OVS database for the agent, e.g. {@code unix:/work/lab/dpu1/conf.sock}. */
    public String dbEndpoint() {
        return db.unixEndpoint();
    }

    /** The network namespace ovs-vswitchd runs in, e.g. {@code dpu-dpu1}. */
    public String namespace() {
        return ports.namespace();
    }

    /** e.g. {@code 192.168.100.1}: the geneve encap IP. */
    public String underlayIp() {
        return ports.underlayIp();
    }

    /** {@code ul0}, which holds {@link #underlayIp()} when the lab has just made it. */
    public String underlayInterface() {
        return ports.underlayInterface();
    }

    /** {@code ext0}: the external uplink, for the agent's external bridge. */
    public String uplinkInterface() {
        return ports.uplinkInterface();
    }

    /** The VF representors in the DPU namespace: {@code pf0vf0}, {@code pf0vf1}, ... */
    public List<String> representors() {
        return ports.representors();
    }

    /** The host namespace of each VF, in the order of {@link #representors()}. */
    public List<String> hostNamespaces() {
        return ports.hostNamespaces();
    }

    /** Everything the network gave this DPU. */
    public LabNetwork.DpuPorts ports() {
        return ports;
    }

    public Path workDir() {
        return workDir;
    }

    public Path dbLog() {
        return db.log();
    }

    public Path vswitchdLog() {
        return workDir.resolve(VSWITCHD + ".log");
    }

    public Path controllerLog() {
        return workDir.resolve(CONTROLLER + ".log");
    }

    @Override
    public String toString() {
        return "DpuChassis[" + name() + ", netns=" + namespace() + ", db=" + dbEndpoint() + "]";
    }

    private void requireTools() {
        for (String tool : List.of("ovsdb-server", "ovsdb-tool", "ovs-vsctl", VSWITCHD, CONTROLLER, "ip")) {
            ExternalCommand.locate(tool);
        }
        if (!Files.isReadable(VSWITCH_SCHEMA)) {
            throw new MissingToolException(VSWITCH_SCHEMA.toString(), "openvswitch-common");
        }
    }

    private void prepareDatabase() {
        Path file = db.database();
        if (!Files.exists(file)) {
            db.run(timeout, List.of("ovsdb-tool", "create", file.toString(), VSWITCH_SCHEMA.toString())).orThrow();
            return;
        }
        String needs = db.run(timeout, List.of("ovsdb-tool", "needs-conversion", file.toString(),
                VSWITCH_SCHEMA.toString())).orThrow().stdout().strip();
        if ("yes".equals(needs)) {
            db.run(timeout, List.of("ovsdb-tool", "convert", file.toString(), VSWITCH_SCHEMA.toString())).orThrow();
        }
    }

    private void startDatabase() {
        db.start(List.of(), null, Set.of(), timeout);
        // init is idempotent: it creates the Open_vSwitch row only if there is none.
        db.run(timeout, List.of("ovs-vsctl", "--db=" + dbEndpoint(), "--no-wait", "init")).orThrow();
    }

    private void startVswitchd() {
        ExternalCommand.Result result = ExternalCommand.run(timeout, environment, List.of("ip", "netns", "exec",
                namespace(), ExternalCommand.locate(VSWITCHD).toString(), dbEndpoint(),
                "--detach", "--no-chdir", "--pidfile=" + vswitchdPidfile(), "--log-file=" + vswitchdLog(),
                "--unixctl=" + vswitchdControl()));
        if (!result.ok() || !vswitchdAlive()) {
            throw new OvnLabException("ovs-vswitchd of DPU " + name() + " did not start in " + namespace() + ": "
                    + result.describe() + "\nlog " + vswitchdLog() + ": " + ExternalCommand.tailOf(vswitchdLog(), 2000));
        }
    }

    private void startController() {
        ExternalCommand.Result result = ExternalCommand.run(timeout, environment, List.of(CONTROLLER, dbEndpoint(),
                "--detach", "--no-chdir", "--pidfile=" + controllerPidfile(), "--log-file=" + controllerLog()));
        if (!result.ok() || !controllerAlive()) {
            throw new OvnLabException("ovn-controller of DPU " + name() + " did not start: " + result.describe()
                    + "\nlog " + controllerLog() + ": " + ExternalCommand.tailOf(controllerLog(), 2000));
        }
    }

    private OptionalLong terminate(String program, Path pidfile) {
        OptionalLong pid = Daemons.readPid(pidfile);
        if (pid.isPresent() && Daemons.terminate(pid.getAsLong(), program, STOP_GRACE)) {
            return pid;
        }
        return OptionalLong.empty();
    }

    private OvnCentral.DaemonStatus stoppedStatus(String program, long pid) {
        return new OvnCentral.DaemonStatus(program, OptionalLong.of(pid), false, List.of());
    }

    private boolean vswitchdAlive() {
        OptionalLong pid = Daemons.readPid(vswitchdPidfile());
        return pid.isPresent() && Daemons.isAlive(pid.getAsLong(), VSWITCHD);
    }

    private boolean controllerAlive() {
        OptionalLong pid = Daemons.readPid(controllerPidfile());
        return pid.isPresent() && Daemons.isAlive(pid.getAsLong(), CONTROLLER);
    }

    private Path vswitchdPidfile() {
        return workDir.resolve(VSWITCHD + ".pid");
    }

    private Path vswitchdControl() {
        return workDir.resolve(VSWITCHD + ".ctl");
    }

    private Path controllerPidfile() {
        return workDir.resolve(CONTROLLER + ".pid");
    }
}
