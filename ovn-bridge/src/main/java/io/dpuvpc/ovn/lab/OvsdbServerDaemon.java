package io.dpuvpc.ovn.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One {@code ovsdb-server} daemon whose files all live in one folder under one name:
 * {@code NAME.db}, {@code NAME.pid}, {@code NAME.log}, {@code NAME.ctl} (unixctl) and
 * {@code NAME.sock} (the {@code punix:} remote). Shared by {@link OvnCentral} and
 * {@link OvsdbRaftCluster}.
 */
final class OvsdbServerDaemon {
    static final String PROGRAM = "ovsdb-server";
    static final String LOOPBACK = "127.0.0.1";
    private static final Duration FIXED_PORT_WAIT = Duration.ofSeconds(1);

    /** A passive TCP or SSL remote on loopback; port 0 asks for any free port. */
    record Remote(String scheme, int port) {
        static Remote tcp(int port) {
            return new Remote("ptcp", port);
        }

        static Remote ssl(int port) {
            return new Remote("pssl", port);
        }

        String spec() {
            return scheme + ":" + port + ":" + LOOPBACK;
        }
    }

    private final Path dir;
    private final String name;
    private final Map<String, String> environment;

    OvsdbServerDaemon(Path dir, String name) {
        this.dir = dir;
        this.name = name;
        this.environment = toolEnvironment(dir);
    }

    /**
     * Keeps every OVS/OVN tool's run, log and db folders inside the lab folder, so nothing lands in
     * {@code /var/run/openvswitch} or collides with a system instance.
     */
    static Map<String, String> toolEnvironment(Path dir) {
        String folder = dir.toString();
        return Map.of("OVS_RUNDIR", folder, "OVS_LOGDIR", folder, "OVS_DBDIR", folder,
                "OVN_RUNDIR", folder, "OVN_LOGDIR", folder, "OVN_DBDIR", folder);
    }

    Path database() {
        return dir.resolve(name + ".db");
    }

    Path pidfile() {
        return dir.resolve(name + ".pid");
    }

    Path log() {
        return dir.resolve(name + ".log");
    }

    Path control() {
        return dir.resolve(name + ".ctl");
    }

    Path socket() {
        return dir.resolve(name + ".sock");
    }

    String unixEndpoint() {
        return "unix:" + socket();
    }

    OptionalLong pid() {
        return Daemons.readPid(pidfile());
    }

    boolean isAlive() {
        OptionalLong pid = pid();
        return pid.isPresent() && Daemons.isAlive(pid.getAsLong(), PROGRAM);
    }

    /**
     * Starts the daemon on its database and returns the bound port of each remote, in order.
     *
     * <p>Remotes with a fixed port go on the command line and are checked to be listening by this
     * pid (ovsdb-server keeps running when a port is taken, only logging the failure). Port-0
     * remotes are added one at a time with {@code ovsdb-server/add-remote}, and each one's port is
     * the listening port that was not there before: this stays exact when several remotes ask for
     * port 0, where the log's "listening on port N" lines would not say which is which.
     *
     * @param otherPorts ports the daemon may also listen on that are not remotes (a raft port)
     */
    List<Integer> start(List<Remote> remotes, TlsFiles tls, Set<Integer> otherPorts, Duration timeout) {
        List<String> command = new ArrayList<>(List.of(PROGRAM, database().toString(),
                "--detach", "--no-chdir",
                "--pidfile=" + pidfile(), "--log-file=" + log(), "--unixctl=" + control(),
                "--remote=punix:" + socket()));
        for (Remote remote : remotes) {
            if (remote.port() != 0) {
                command.add("--remote=" + remote.spec());
            }
        }
        if (tls != null) {
            command.add("--private-key=" + tls.privateKey());
            command.add("--certificate=" + tls.certificate());
            command.add("--ca-cert=" + tls.caCertificate());
        }
        ExternalCommand.Result result = run(timeout, command);
        if (!result.ok()) {
            throw new OvnLabException("ovsdb-server " + name + " did not start: " + result.describe()
                    + "\nlog " + log() + ": " + ExternalCommand.tailOf(log(), 2000));
        }
        long pid = pid().orElseThrow(() -> new OvnLabException("ovsdb-server " + name + " wrote no pidfile " + pidfile()));
        if (!Daemons.isAlive(pid, PROGRAM)) {
            throw new OvnLabException("ovsdb-server " + name + " (pid " + pid + ") exited right after start; log "
                    + log() + ": " + ExternalCommand.tailOf(log(), 2000));
        }

        try {
            Set<Integer> fixed = new HashSet<>();
            for (Remote remote : remotes) {
                if (remote.port() != 0) {
                    fixed.add(remote.port());
                }
            }
            if (!fixed.isEmpty()) {
                // --detach returns once the remotes are open, so a port missing after a short wait is taken.
                Set<Integer> listening = awaitPorts(pid, ports -> ports.containsAll(fixed), FIXED_PORT_WAIT);
                if (!listening.containsAll(fixed)) {
                    Set<Integer> missing = new HashSet<>(fixed);
                    missing.removeAll(listening);
                    throw new OvnLabException("ovsdb-server " + name + " is not listening on 127.0.0.1 port(s) " + missing
                            + " (in use by another process?); log " + log() + ": " + ExternalCommand.tailOf(log(), 1000));
                }
            }
            Set<Integer> known = new HashSet<>(fixed);
            known.addAll(otherPorts);
            List<Integer> ports = new ArrayList<>();
            for (Remote remote : remotes) {
                if (remote.port() != 0) {
                    ports.add(remote.port());
                    continue;
                }
                Set<Integer> before = new HashSet<>(Daemons.listeningTcpPorts(pid));
                before.addAll(known);
                appctl(timeout, "ovsdb-server/add-remote", remote.spec());
                Set<Integer> after = awaitPorts(pid, p -> !difference(p, before).isEmpty(), timeout);
                Set<Integer> added = difference(after, before);
                if (added.size() != 1) {
                    throw new OvnLabException("ovsdb-server " + name + ": cannot tell which port " + remote.spec()
                            + " bound (new listening ports: " + added + "); log: " + ExternalCommand.tailOf(log(), 1000));
                }
                int port = added.iterator().next();
                known.add(port);
                ports.add(port);
            }
            return ports;
        } catch (RuntimeException e) {
            // Never leave a half-configured daemon behind.
            stop(Duration.ofSeconds(2));
            throw e;
        }
    }

    /**
     * Moves the running daemon's TCP and SSL remotes into {@code Connection} rows of its own
     * database, each with {@code inactivityProbe}, and serves them through
     * {@code --remote=db:DATABASE,GLOBAL,connections}: the way an operator sets a probe longer than
     * ovsdb-server's fixed 5 s for remotes given on the command line. At scale a client busy with a
     * large update (or paused by its garbage collector) misses that 5 s probe and is dropped, and
     * every drop costs it a full resync. The bound ports stay the same: each plain remote is
     * removed just before the {@code db:} remote opens its row's port again.
     *
     * @param requested the remotes as given to {@link #start}
     * @param ports     the ports {@link #start} returned for them
     */
    void serveRemotesFromDatabase(String database, String globalTable, List<Remote> requested, List<Integer> ports,
                                  Duration inactivityProbe, Duration timeout) {
        List<Remote> bound = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            bound.add(new Remote(requested.get(i).scheme(), ports.get(i)));
        }
        long probeMillis = inactivityProbe.toMillis();
        StringBuilder connections = new StringBuilder();
        StringBuilder ops = new StringBuilder();
        for (int i = 0; i < bound.size(); i++) {
            ops.append(",{\"op\":\"insert\",\"table\":\"Connection\",\"uuid-name\":\"c").append(i)
                    .append("\",\"row\":{\"target\":\"").append(bound.get(i).spec())
                    .append("\",\"inactivity_probe\":").append(probeMillis).append("}}");
            connections.append(i == 0 ? "" : ",").append("[\"named-uuid\",\"c").append(i).append("\"]");
        }
        String set = "[\"set\",[" + connections + "]]";
        // The global row may not exist yet (northd creates it when missing): set the connections of
        // the one there is, or create it, atomically with the check that it is still missing.
        String ensureGlobal = "{\"op\":\"update\",\"table\":\"" + globalTable + "\",\"where\":[],\"row\":{\"connections\":" + set + "}}";
        String transaction = "[\"" + database + "\"" + ops + "," + ensureGlobal + "]";
        String insert = "[\"" + database + "\"" + ops
                + ",{\"op\":\"wait\",\"table\":\"" + globalTable + "\",\"where\":[],\"columns\":[\"_uuid\"],"
                + "\"until\":\"==\",\"rows\":[],\"timeout\":0}"
                + ",{\"op\":\"insert\",\"table\":\"" + globalTable + "\",\"row\":{\"connections\":" + set + "}}]";
        // ovn-northd may create the global row between the two (after a wipe): then update again.
        String result = "";
        for (int attempt = 0; attempt < 3; attempt++) {
            result = run(timeout, List.of("ovsdb-client", "transact", unixEndpoint(), transaction)).orThrow().stdout();
            if (!result.contains("\"count\":0")) {
                break;
            }
            result = run(timeout, List.of("ovsdb-client", "transact", unixEndpoint(), insert)).orThrow().stdout();
            if (!result.contains("\"error\"")) {
                break;
            }
        }
        if (result.contains("\"error\"") || result.contains("\"count\":0")) {
            throw new OvnLabException("ovsdb-server " + name + ": cannot set the " + globalTable + " connections: " + result);
        }
        long pid = pid().orElseThrow(() -> new OvnLabException("ovsdb-server " + name + " is not running"));
        for (Remote remote : requested) {
            appctl(timeout, "ovsdb-server/remove-remote", remote.spec());
        }
        appctl(timeout, "ovsdb-server/add-remote", "db:" + database + "," + globalTable + ",connections");
        Set<Integer> listening = awaitPorts(pid, p -> p.containsAll(ports), timeout);
        if (!listening.containsAll(ports)) {
            throw new OvnLabException("ovsdb-server " + name + " did not listen again on " + ports
                    + " from its Connection rows; log " + log() + ": " + ExternalCommand.tailOf(log(), 1000));
        }
    }

    /** Stops the daemon by its pidfile: SIGTERM, then SIGKILL after {@code grace}. */
    OptionalLong stop(Duration grace) {
        OptionalLong pid = pid();
        if (pid.isPresent() && Daemons.terminate(pid.getAsLong(), PROGRAM, grace)) {
            return pid;
        }
        return OptionalLong.empty();
    }

    /** SIGKILL, as a crash would: the pidfile and sockets stay behind. */
    OptionalLong kill() {
        OptionalLong pid = pid();
        if (pid.isPresent() && Daemons.kill(pid.getAsLong(), PROGRAM)) {
            return pid;
        }
        return OptionalLong.empty();
    }

    /** Runs {@code ovs-appctl -t NAME.ctl ARGS} and returns its stdout; fails on a non-zero exit. */
    String appctl(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("ovs-appctl", "-t", control().toString()));
        command.addAll(List.of(args));
        return run(timeout, command).orThrow().stdout();
    }

    /** Like {@link #appctl} but returns the whole result, for callers that poll. */
    ExternalCommand.Result tryAppctl(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("ovs-appctl", "-t", control().toString()));
        command.addAll(List.of(args));
        return run(timeout, command);
    }

    ExternalCommand.Result run(Duration timeout, List<String> command) {
        return ExternalCommand.run(timeout, environment, command);
    }

    private static Set<Integer> awaitPorts(long pid, Predicate<Set<Integer>> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<Integer> ports = Daemons.listeningTcpPorts(pid);
        while (!done.test(ports) && System.nanoTime() < deadline && Daemons.isAlive(pid)) {
            Daemons.sleep(Duration.ofMillis(10));
            ports = Daemons.listeningTcpPorts(pid);
        }
        return ports;
    }

    private static Set<Integer> difference(Set<Integer> a, Set<Integer> b) {
        Set<Integer> result = new HashSet<>(a);
        result.removeAll(b);
        return result;
    }
}
