package io.dpuvpc.ovn.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A clustered (raft) OVN Northbound database: N {@code ovsdb-server}s (3 by default) in one work
 * folder, members numbered from 0. Member 0 creates the cluster ({@code ovsdb-tool create-cluster}),
 * the others join it ({@code ovsdb-tool join-cluster}).
 *
 * <p>Each member has a raft port and a client TCP remote on 127.0.0.1, plus a unix socket. Raft
 * ports are picked free before the cluster is created because they are written into the database
 * files (a raft address cannot be port 0); client ports are bound as port 0 and read back. A killed
 * member {@link #restart restarts} on the same ports and files, as a crashed server would.
 *
 * <p>Files of member {@code i}: {@code m<i>.db}, {@code .pid}, {@code .log}, {@code .ctl},
 * {@code .sock}.
 *
 * <pre>{@code
 * try (OvsdbRaftCluster raft = OvsdbRaftCluster.builder(dir).stopOnJvmExit(true).start()) {
 *     int leader = raft.awaitLeader(Duration.ofSeconds(10));
 *     raft.kill(leader);
 *     int next = raft.awaitLeader(Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class OvsdbRaftCluster implements AutoCloseable {
    public static final String DATABASE = OvnCentral.NB_DATABASE;

    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Pattern ROLE = Pattern.compile("(?m)^Role: (\\S+)");
    private static final Pattern STATUS = Pattern.compile("(?m)^Status: (.+)$");
    private static final Pattern TERM = Pattern.compile("(?m)^Term: (\\d+)");
    private static final Pattern SERVER_LINE = Pattern.compile("(?m)^    \\S+ \\(\\S+ at ");

    private final Path workDir;
    private final Duration timeout;
    private final boolean stopOnJvmExit;
    private final List<OvsdbServerDaemon> members = new ArrayList<>();
    private final int[] raftPorts;
    private final int[] clientPorts;
    private final StopOnJvmExit exitHook;

    /** What one member says about itself in {@code cluster/status}. */
    public record MemberStatus(int member, boolean alive, String role, String status, long term) {
        public boolean isLeader() {
            return alive && "leader".equals(role);
        }
    }

    private OvsdbRaftCluster(Path workDir, int size, Duration timeout, boolean stopOnJvmExit) {
        this.workDir = workDir.toAbsolutePath().normalize();
        this.exitHook = new StopOnJvmExit("the raft cluster in " + this.workDir, this::stop);
        this.timeout = timeout;
        this.stopOnJvmExit = stopOnJvmExit;
        this.raftPorts = new int[size];
        this.clientPorts = new int[size];
        for (int i = 0; i < size; i++) {
            members.add(new OvsdbServerDaemon(this.workDir, "m" + i));
        }
    }

    /** A cluster in {@code workDir}, 3 members by default. */
    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    /**
     * Creates the member databases, starts every member and waits until the cluster
     * {@link #awaitHealthy is healthy}. On failure everything started is stopped again.
     */
    public synchronized OvsdbRaftCluster start() {
        for (String tool : List.of("ovsdb-server", "ovsdb-tool", "ovs-appctl", "ovsdb-client")) {
            ExternalCommand.locate(tool);
        }
        if (!Files.isReadable(OvnCentral.NB_SCHEMA)) {
            throw new MissingToolException(OvnCentral.NB_SCHEMA.toString(), "ovn-central");
        }
        try {
            Files.createDirectories(workDir);
            for (OvsdbServerDaemon member : members) {
                if (Files.exists(member.database()) || member.isAlive()) {
                    throw new OvnLabException("a raft cluster already exists in " + workDir + "; use an empty folder");
                }
            }
        } catch (IOException e) {
            throw new OvnLabException("cannot create " + workDir + ": " + e.getMessage(), e);
        }
        try {
            pickRaftPorts();
            OvsdbServerDaemon first = members.get(0);
            first.run(timeout, List.of("ovsdb-tool", "create-cluster", first.database().toString(),
                    OvnCentral.NB_SCHEMA.toString(), raftAddress(0))).orThrow();
            for (int i = 1; i < size(); i++) {
                List<String> join = new ArrayList<>(List.of("ovsdb-tool", "join-cluster",
                        members.get(i).database().toString(), DATABASE, raftAddress(i)));
                for (int j = 0; j < i; j++) {
                    join.add(raftAddress(j));
                }
                members.get(i).run(timeout, join).orThrow();
            }
            for (int i = 0; i < size(); i++) {
                startMember(i);
            }
            awaitHealthy(timeout);
        } catch (RuntimeException e) {
            exitHook.stopQuietly();
            throw e;
        }
        if (stopOnJvmExit) {
            exitHook.install("ovsdb-raft-stop-" + workDir.getFileName());
        }
        return this;
    }

    /** Stops every live member (SIGTERM, SIGKILL after 5 s) and waits until they have exited. */
    public synchronized void stop() {
        RuntimeException failure = null;
        for (OvsdbServerDaemon member : members) {
            try {
                member.stop(STOP_GRACE);
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        exitHook.remove();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public int size() {
        return members.size();
    }

    public Path workDir() {
        return workDir;
    }

    /** Every member's client endpoint, by member number: {@code tcp:127.0.0.1:PORT}. */
    public List<String> endpoints() {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            list.add(endpoint(i));
        }
        return list;
    }

    /** One member's client endpoint. */
    public String endpoint(int member) {
        checkMember(member);
        return "tcp:" + OvsdbServerDaemon.LOOPBACK + ":" + clientPorts[member];
    }

    /** All endpoints comma-separated, as {@code ovn-nbctl --db=} and OVS clients take them. */
    public String connectionString() {
        return String.join(",", endpoints());
    }

    /** One member's raft address, e.g. {@code tcp:127.0.0.1:40100}. */
    public String raftAddress(int member) {
        checkMember(member);
        return "tcp:" + OvsdbServerDaemon.LOOPBACK + ":" + raftPorts[member];
    }

    /** The member's pid from its pidfile (possibly stale after {@link #kill}). */
    public OptionalLong pid(int member) {
        checkMember(member);
        return members.get(member).pid();
    }

    public boolean isAlive(int member) {
        checkMember(member);
        return members.get(member).isAlive();
    }

    /** The raw {@code ovs-appctl cluster/status OVN_Northbound} of a live member. */
    public String clusterStatus(int member) {
        checkMember(member);
        return members.get(member).appctl(timeout, "cluster/status", DATABASE);
    }

    /** Role, status and term of every member; a dead or unresponsive member has role {@code down}. */
    public List<MemberStatus> memberStatuses() {
        List<MemberStatus> list = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            list.add(memberStatus(i));
        }
        return list;
    }

    /**
     * The current leader: the live member that calls itself leader in the highest term (a deposed
     * leader cut off from the others may still believe it leads in an older term).
     */
    public Optional<Integer> leader() {
        MemberStatus best = null;
        for (MemberStatus status : memberStatuses()) {
            if (status.isLeader() && (best == null || status.term() > best.term())) {
                best = status;
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.member());
    }

    /** Polls until some member is leader and returns it. */
    public int awaitLeader(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Optional<Integer> leader = leader();
            if (leader.isPresent()) {
                return leader.get();
            }
            if (System.nanoTime() > deadline) {
                throw new OvnLabException("no raft leader within " + within + ": " + memberStatuses());
            }
            Daemons.sleep(POLL);
        }
    }

    /**
     * Polls until every member is alive and a {@code cluster member} (joined), and the leader lists
     * all of them as servers.
     *
     * @return the leader
     */
    public int awaitHealthy(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            List<MemberStatus> statuses = memberStatuses();
            boolean joined = statuses.stream().allMatch(s -> s.alive() && "cluster member".equals(s.status()));
            Optional<Integer> leader = leader();
            if (joined && leader.isPresent() && serversKnownTo(leader.get()) == size()) {
                return leader.get();
            }
            if (System.nanoTime() > deadline) {
                throw new OvnLabException("raft cluster in " + workDir + " not healthy within " + within + ": " + statuses);
            }
            Daemons.sleep(POLL);
        }
    }

    /** SIGKILL a member, as a crash would; its files stay for {@link #restart}. */
    public synchronized void kill(int member) {
        checkMember(member);
        members.get(member).kill();
    }

    /** Stops a member cleanly (SIGTERM). */
    public synchronized void stop(int member) {
        checkMember(member);
        members.get(member).stop(STOP_GRACE);
    }

    /** Starts a stopped or killed member again on its database and ports; it rejoins by itself. */
    public synchronized void restart(int member) {
        checkMember(member);
        if (members.get(member).isAlive()) {
            throw new OvnLabException("member " + member + " is running");
        }
        startMember(member);
    }

    private void startMember(int i) {
        List<Integer> ports = members.get(i).start(List.of(OvsdbServerDaemon.Remote.tcp(clientPorts[i])), null,
                Set.of(raftPorts[i]), timeout);
        clientPorts[i] = ports.get(0);
    }

    private MemberStatus memberStatus(int i) {
        OvsdbServerDaemon member = members.get(i);
        if (!member.isAlive()) {
            return new MemberStatus(i, false, "down", "down", 0);
        }
        ExternalCommand.Result result = member.tryAppctl(Duration.ofSeconds(5), "cluster/status", DATABASE);
        if (!result.ok()) {
            return new MemberStatus(i, true, "unknown", "no answer: " + result.stderr().strip(), 0);
        }
        String text = result.stdout();
        return new MemberStatus(i, true, find(ROLE, text, "unknown"), find(STATUS, text, "unknown").strip(),
                Long.parseLong(find(TERM, text, "0")));
    }

    private int serversKnownTo(int member) {
        ExternalCommand.Result result = members.get(member).tryAppctl(Duration.ofSeconds(5), "cluster/status", DATABASE);
        if (!result.ok()) {
            return 0;
        }
        Matcher m = SERVER_LINE.matcher(result.stdout());
        int count = 0;
        while (m.find()) {
            count++;
        }
        return count;
    }

    private static String find(Pattern pattern, String text, String otherwise) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : otherwise;
    }

    /**
     * Raft addresses are written into the database files, so the ports are chosen before any
     * server exists: bind port 0 for each, note the port, release them together. Another process
     * could take one in between; on a test machine that is rare and fails loudly.
     */
    private void pickRaftPorts() {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < size(); i++) {
                ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                socket.bind(new InetSocketAddress(InetAddress.getByName(OvsdbServerDaemon.LOOPBACK), 0));
                raftPorts[i] = socket.getLocalPort();
            }
        } catch (IOException e) {
            throw new OvnLabException("cannot find free ports on 127.0.0.1: " + e.getMessage(), e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }
    }

    private void checkMember(int member) {
        Objects.checkIndex(member, size());
    }

    /** Options for {@link OvsdbRaftCluster}. */
    public static final class Builder {
        private final Path workDir;
        private int size = 3;
        private boolean stopOnJvmExit;
        private Duration timeout = ExternalCommand.DEFAULT_TIMEOUT;

        private Builder(Path workDir) {
            this.workDir = Objects.requireNonNull(workDir, "workDir");
        }

        /** Number of members (default 3). */
        public Builder size(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("size must be at least 1: " + size);
            }
            this.size = size;
            return this;
        }

        /** Registers a JVM shutdown hook that stops every member (default false). */
        public Builder stopOnJvmExit(boolean stopOnJvmExit) {
            this.stopOnJvmExit = stopOnJvmExit;
            return this;
        }

        /** The limit for each tool run and for the cluster to become healthy (default 30 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public OvsdbRaftCluster build() {
            return new OvsdbRaftCluster(workDir, size, timeout, stopOnJvmExit);
        }

        /** {@code build().start()} */
        public OvsdbRaftCluster start() {
            return build().start();
        }
    }
}
