package io.dpuvpc.node;

import io.dpuvpc.ovn.lab.ExternalCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A DPU's local {@code ovsdb-server} on the vswitch schema in a test folder, as LAB.md's "A DPU
 * chassis" starts it ({@code ovsdb-tool create}, {@code --remote=punix:}); no ovs-vswitchd, which
 * configuration rows do not need. Stopped by the pid it wrote, and started again on the same
 * database file (data kept). Public for the simulator, which runs the same agent scenario against
 * this and against its emulated ovsdb-server.
 */
public final class LocalOvsdbServer implements AutoCloseable {
    static final String SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;
    private final Map<String, String> environment;

    private LocalOvsdbServer(Path dir) {
        this.dir = dir;
        String folder = dir.toString();
        this.environment = Map.of("OVS_RUNDIR", folder, "OVS_LOGDIR", folder, "OVS_DBDIR", folder, "OVN_RUNDIR", folder);
    }

    /** Creates an empty database in {@code dir} (not even {@code ovs-vsctl init}) and serves it. */
    public static LocalOvsdbServer create(Path dir) {
        LocalOvsdbServer server = new LocalOvsdbServer(dir);
        server.run("ovsdb-tool", "create", server.database().toString(), SCHEMA);
        server.start();
        return server;
    }

    Path database() {
        return dir.resolve("conf.db");
    }

    Path socket() {
        return dir.resolve("db.sock");
    }

    public String remote() {
        return "unix:" + socket();
    }

    /** An agent of node {@code name} on this database, as the tests run it: netdev, 1 s heartbeat, rack r1. */
    NodeAgentSettings agentSettings(String name, String vtepIp, String sbRemotes) {
        return agentSettings(remote(), name, vtepIp, sbRemotes);
    }

    /** {@link #agentSettings(String, String, String)} on the database at {@code ovsdbRemote}, whoever serves it. */
    public static NodeAgentSettings agentSettings(String ovsdbRemote, String name, String vtepIp, String sbRemotes) {
        return NodeAgentSettings.builder(name, vtepIp, sbRemotes)
            .labels(Map.of("rack", "r1"))
            .externalGateway("172.16.0.10/24", "172.16.0.1")
            .datapath(NodeAgentSettings.Datapath.NETDEV)
            .heartbeat(Duration.ofSeconds(1))
            .ovsdbRemote(ovsdbRemote)
            .build();
    }

    public void start() {
        run("ovsdb-server", database().toString(), "--detach", "--no-chdir", "--pidfile=" + dir.resolve("ovsdb.pid"),
            "--log-file=" + dir.resolve("ovsdb.log"), "--unixctl=" + dir.resolve("ovsdb.ctl"), "--remote=punix:" + socket());
    }

    /** SIGTERM to the pid of our pidfile; waits until it is gone. */
    public void stop() {
        terminate("ovsdb.pid", "ovsdb-server");
    }

    /**
     * A real {@code ovn-controller} on this database, without ovs-vswitchd: enough for it to register
     * the chassis the database describes in the Southbound (and to move its Encap), not to bind
     * ports, which needs the OpenFlow bridge. Stopped by {@link #close()}.
     */
    void startOvnController() {
        run("ovn-controller", remote(), "--detach", "--no-chdir", "--pidfile=" + dir.resolve("ovn-controller.pid"),
            "--log-file=" + dir.resolve("ovn-controller.log"));
    }

    void stopOvnController() {
        terminate("ovn-controller.pid", "ovn-controller");
    }

    /** SIGTERM to the pid in {@code pidfileName} if it is {@code program}; waits until it is gone. */
    private void terminate(String pidfileName, String program) {
        Path pidfile = dir.resolve(pidfileName);
        if (!Files.exists(pidfile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidfile).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessHandle.of(pid).filter(p -> p.info().command().map(c -> c.endsWith(program)).orElse(false))
            .ifPresent(p -> {
                p.destroy();
                try {
                    p.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            });
    }

    /** {@code ovs-vsctl --no-wait --db=unix:... ARGS}; its stdout, trimmed, or an AssertionError. */
    public String vsctl(String... args) {
        ExternalCommand.Result result = tryVsctl(args);
        if (!result.ok()) {
            throw new AssertionError(result.describe());
        }
        return result.stdout().trim();
    }

    ExternalCommand.Result tryVsctl(String... args) {
        List<String> command = new ArrayList<>(List.of("ovs-vsctl", "--no-wait", "--timeout=5", "--db=" + remote()));
        command.addAll(List.of(args));
        return ExternalCommand.run(TIMEOUT, environment, command);
    }

    /** A value as ovs-vsctl prints it, without the quotes it puts around some strings. */
    String get(String table, String record, String column) {
        String value = vsctl("get", table, record, column);
        return value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    /** {@code ovsdb-tool transact} on the database file: only while the server is stopped. */
    void transactOffline(String json) {
        run("ovsdb-tool", "transact", database().toString(), json);
    }

    long databaseBytes() {
        try {
            return Files.size(database());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void run(String... command) {
        ExternalCommand.run(TIMEOUT, environment, List.of(command)).orThrow();
    }

    @Override
    public void close() {
        stopOvnController();
        stop();
    }
}
