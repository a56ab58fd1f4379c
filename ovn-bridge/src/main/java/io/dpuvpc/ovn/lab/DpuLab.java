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
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * A fleet of lab DPUs in one work folder: the {@link LabNetwork} plus one {@link DpuChassis} per
 * DPU (in the sub-folder named after it). The OVN central is not part of it ({@link OvnCentral}).
 *
 * <p>{@code dpu-lab.properties} records what {@link #start()} makes (prefix, DPU names, VFs per
 * DPU, and whether it is up), written before anything is made, so that {@link #down(Path)} from
 * another process removes exactly that: daemons killed by their pidfiles, the echo service by its
 * pidfile, namespaces deleted with {@code ip netns del}. Down is idempotent; start on a lab that
 * is up fails and says so (a record of "up" with nothing of it left, after a reboot, is ignored).
 * Several labs can run at once in different work folders with different prefixes; a lab whose
 * namespaces already exist (same prefix) refuses to start and leaves them alone.
 *
 * <pre>{@code
 * try (DpuLab lab = DpuLab.builder(dir).prefix("t1").dpus("d1", "d2").vfsPerDpu(1).stopOnJvmExit(true).start()) {
 *     DpuChassis d1 = lab.chassis("d1");
 *     // the agent: ovs-vsctl --db=<d1.dbEndpoint()> set Open_vSwitch . external_ids:system-id=d1 ...
 * }
 * }</pre>
 */
public final class DpuLab implements AutoCloseable {
    public static final String STATE_FILE = "dpu-lab.properties";

    private final Path workDir;
    private final LabNames names;
    private final List<String> dpus;
    private final int vfsPerDpu;
    private final Duration timeout;
    private final boolean stopOnJvmExit;
    private final LabNetwork network;
    private final List<DpuChassis> chassis;
    private final StopOnJvmExit exitHook;

    private DpuLab(Path workDir, String prefix, List<String> dpus, int vfsPerDpu, Duration timeout,
                   boolean stopOnJvmExit) {
        this.workDir = workDir.toAbsolutePath().normalize();
        this.names = LabNames.of(prefix);
        this.dpus = List.copyOf(dpus);
        this.vfsPerDpu = vfsPerDpu;
        this.timeout = timeout;
        this.stopOnJvmExit = stopOnJvmExit;
        this.network = new LabNetwork(names, this.dpus, vfsPerDpu, this.workDir, timeout);
        List<DpuChassis> list = new ArrayList<>();
        for (LabNetwork.DpuPorts ports : network.dpus()) {
            list.add(new DpuChassis(this.workDir.resolve(ports.name()), ports, timeout));
        }
        this.chassis = List.copyOf(list);
        this.exitHook = new StopOnJvmExit("the DPU lab in " + this.workDir, this::down);
    }

    /** A lab in {@code workDir}: by default no prefix, DPUs {@code dpu1} and {@code dpu2}, one VF each. */
    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    /**
     * A handle on the lab recorded in {@code workDir} (up or not), for {@link #status()} and
     * {@link #down()} from another process.
     *
     * @throws OvnLabException if no lab was ever started there
     */
    public static DpuLab attach(Path workDir) {
        Properties p = readState(workDir);
        List<String> dpus = Arrays.stream(p.getProperty("dpus", "").split(",")).filter(s -> !s.isEmpty()).toList();
        return new DpuLab(workDir, p.getProperty("prefix", ""), dpus,
                Integer.parseInt(p.getProperty("vfsPerDpu", "0")), ExternalCommand.DEFAULT_TIMEOUT, false);
    }

    /** Whether a lab was ever recorded in {@code workDir}. */
    public static boolean exists(Path workDir) {
        return Files.exists(workDir.resolve(STATE_FILE));
    }

    /** Whether the lab recorded in {@code workDir} is up (started and not taken down). */
    public static boolean isUp(Path workDir) {
        return exists(workDir) && "up".equals(readState(workDir).getProperty("state"));
    }

    /**
     * Takes down the lab recorded in {@code workDir}, if any: same as {@code attach(workDir).down()}.
     * This is what a {@code down} in another process than the one that started the lab calls.
     *
     * @return what was stopped or deleted; empty if there was nothing (no lab, or already down)
     */
    public static List<String> down(Path workDir) {
        return exists(workDir) ? attach(workDir).down() : List.of();
    }

    /**
     * Makes the network, then starts each DPU's daemons; on failure takes everything down again.
     *
     * @return this
     * @throws OvnLabException if this lab is already up (or its namespaces exist), or a step fails
     */
    public synchronized DpuLab start() {
        if (isUp(workDir)) {
            DpuLab recorded = attach(workDir);
            boolean left = !recorded.network.existingNamespaces().isEmpty() || recorded.network.isEchoAlive()
                    || recorded.chassis.stream().anyMatch(c -> c.status().stream().anyMatch(OvnCentral.DaemonStatus::alive));
            if (left) {
                throw new OvnLabException("a DPU lab is already up in " + workDir + " (prefix '"
                        + recorded.names.prefix() + "', DPUs " + recorded.dpus + "); take it down first");
            }
            // Recorded as up but nothing of it is left (the machine rebooted): a stale record.
        }
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new OvnLabException("cannot create " + workDir + ": " + e.getMessage(), e);
        }
        // Another lab (or a crashed run) owning these names must not be recorded as ours.
        List<String> existing = network.existingNamespaces();
        if (!existing.isEmpty()) {
            throw new OvnLabException("namespaces " + existing + " already exist: another lab uses prefix '"
                    + names.prefix() + "' (choose another prefix, or take it down)");
        }
        writeState("starting");
        try {
            network.create();
            for (DpuChassis dpu : chassis) {
                dpu.start();
            }
        } catch (RuntimeException e) {
            try {
                down();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        writeState("up");
        if (stopOnJvmExit) {
            exitHook.install("dpu-lab-down-" + workDir.getFileName());
        }
        return this;
    }

    /**
     * Stops every DPU's daemons, the echo service, and deletes the namespaces, then records the
     * lab as down. Safe to call when already down.
     *
     * @return one line per thing stopped or deleted, e.g. {@code ovn-controller d1 pid 1234},
     *         {@code netns t1-dpu-d1}
     */
    public synchronized List<String> down() {
        List<String> removed = new ArrayList<>();
        RuntimeException failure = null;
        for (DpuChassis dpu : chassis) {
            try {
                for (OvnCentral.DaemonStatus stopped : dpu.stop()) {
                    removed.add(stopped.name() + " " + dpu.name() + " pid " + stopped.pid().orElse(-1));
                }
            } catch (RuntimeException e) {
                failure = add(failure, e);
            }
        }
        long echo = network.isEchoAlive() ? network.echoPid().orElse(-1) : -1;
        try {
            List<String> namespaces = network.delete();
            if (echo > 0) {
                removed.add("echo service pid " + echo);
            }
            namespaces.forEach(ns -> removed.add("netns " + ns));
        } catch (RuntimeException e) {
            failure = add(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
        if (exists(workDir)) {
            writeState("down");
        }
        exitHook.remove();
        return removed;
    }

    /** Same as {@link #down()}. */
    @Override
    public void close() {
        down();
    }

    /**
     * One line per daemon and namespace: {@code ovsdb-server d1 pid 1234 alive},
     * {@code netns t1-dpu-d1 present}, ...
     */
    public synchronized List<String> status() {
        List<String> lines = new ArrayList<>();
        for (DpuChassis dpu : chassis) {
            for (OvnCentral.DaemonStatus s : dpu.status()) {
                lines.add(s.name() + " " + dpu.name() + " pid " + (s.pid().isPresent() ? s.pid().getAsLong() : "-")
                        + (s.alive() ? " alive" : " dead"));
            }
        }
        lines.add("echo service pid " + (network.echoPid().isPresent() ? network.echoPid().getAsLong() : "-")
                + (network.isEchoAlive() ? " alive" : " dead"));
        for (String ns : network.namespaces()) {
            lines.add("netns " + ns + (LabNetwork.namespaceExists(ns) ? " present" : " absent"));
        }
        return lines;
    }

    /** Whether every daemon is alive and every namespace exists. */
    public synchronized boolean isRunning() {
        return chassis.stream().allMatch(DpuChassis::isRunning) && network.isEchoAlive()
                && network.existingNamespaces().size() == network.namespaces().size();
    }

    /** The DPUs in order. */
    public List<DpuChassis> chassis() {
        return chassis;
    }

    /** One DPU by name. */
    public DpuChassis chassis(String name) {
        return chassis.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no DPU " + name + " in this lab: " + dpus));
    }

    public LabNetwork network() {
        return network;
    }

    public LabNames names() {
        return names;
    }

    public Path workDir() {
        return workDir;
    }

    @Override
    public String toString() {
        return "DpuLab[" + workDir + ", prefix=" + names.prefix() + ", dpus=" + dpus + ", vfs=" + vfsPerDpu + "]";
    }

    private static RuntimeException add(RuntimeException failure, RuntimeException e) {
        if (failure == null) {
            return e;
        }
        failure.addSuppressed(e);
        return failure;
    }

    private void writeState(String state) {
        Properties p = new Properties();
        p.setProperty("state", state);
        p.setProperty("prefix", names.prefix());
        p.setProperty("dpus", String.join(",", dpus));
        p.setProperty("vfsPerDpu", Integer.toString(vfsPerDpu));
        p.setProperty("namespaces", String.join(",", network.namespaces()));
        Path file = workDir.resolve(STATE_FILE);
        Path temp = workDir.resolve(STATE_FILE + ".tmp");
        try (OutputStream out = Files.newOutputStream(temp)) {
            p.store(out, "DPU lab, " + state + " " + Instant.now() + "; read by DpuLab.attach()");
        } catch (IOException e) {
            throw new OvnLabException("cannot write " + temp + ": " + e.getMessage(), e);
        }
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new OvnLabException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static Properties readState(Path workDir) {
        Path file = workDir.resolve(STATE_FILE);
        if (!Files.exists(file)) {
            throw new OvnLabException("no DPU lab in " + workDir.toAbsolutePath() + " (no " + STATE_FILE + ")");
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new OvnLabException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return p;
    }

    /** Options for {@link DpuLab}; every setter returns this. */
    public static final class Builder {
        private final Path workDir;
        private String prefix = "";
        private List<String> dpus = List.of("dpu1", "dpu2");
        private int vfsPerDpu = 1;
        private boolean stopOnJvmExit;
        private Duration timeout = ExternalCommand.DEFAULT_TIMEOUT;

        private Builder(Path workDir) {
            this.workDir = Objects.requireNonNull(workDir, "workDir");
        }

        /** 0 to 4 of {@code [a-z0-9]} put before every namespace name (default none); see {@link LabNames}. */
        public Builder prefix(String prefix) {
            this.prefix = LabNames.of(prefix).prefix();
            return this;
        }

        /** The DPUs' names, in order (DPU N gets 192.168.100.N). */
        public Builder dpus(String... names) {
            this.dpus = List.of(names);
            return this;
        }

        /** {@code count} DPUs named {@code dpu1}, {@code dpu2}, ... */
        public Builder dpuCount(int count) {
            List<String> list = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                list.add("dpu" + i);
            }
            this.dpus = List.copyOf(list);
            return this;
        }

        /** Host VF namespaces per DPU (default 1). */
        public Builder vfsPerDpu(int vfs) {
            this.vfsPerDpu = vfs;
            return this;
        }

        /** Registers a JVM shutdown hook that takes the lab down (default false); tests should say true. */
        public Builder stopOnJvmExit(boolean stopOnJvmExit) {
            this.stopOnJvmExit = stopOnJvmExit;
            return this;
        }

        /** The limit for each tool run (default 30 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * The lab, not started.
         *
         * @throws IllegalArgumentException if a name would not fit ({@link LabNames#check})
         */
        public DpuLab build() {
            return new DpuLab(workDir, prefix, dpus, vfsPerDpu, timeout, stopOnJvmExit);
        }

        /** {@code build().start()} */
        public DpuLab start() {
            return build().start();
        }
    }
}
