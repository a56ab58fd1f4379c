package io.dpuvpc.simulator.bench;

import io.dpuvpc.ovn.lab.ExternalCommand;
import io.dpuvpc.ovn.lab.OvnLabException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The benchmark's {@code ovn-nbctl} rows: the same switch-plus-port object as one
 * {@code ls-add X -- lsp-add X X-p} command line (one transaction), either one process per
 * object, or through an {@code ovn-nbctl} daemon (ovn-nbctl(8), "DAEMON MODE") that keeps its
 * copy of the database between calls, where each call is still a short-lived process that hands
 * its command line to the daemon over a unix socket.
 */
final class NbctlRunner {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final String nbEndpoint;
    private final String nbctl;

    /** @param nbEndpoint e.g. {@code tcp:127.0.0.1:6641} */
    NbctlRunner(String nbEndpoint) {
        this.nbEndpoint = nbEndpoint;
        this.nbctl = ExternalCommand.locate("ovn-nbctl").toString();
    }

    /** One {@code ovn-nbctl --db=...} process per object; nanoseconds for all of them. */
    long createSwitchesOneProcessEach(int from, int count, Consumer<String> progress) {
        ProgressLine line = new ProgressLine("nbctl, one process per object", count, progress);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            List<String> command = new ArrayList<>(List.of(nbctl, "--db=" + nbEndpoint));
            command.addAll(objectCommand(from + i));
            check(ExternalCommand.run(CALL_TIMEOUT, Map.of(), command));
            line.done(i + 1);
        }
        return System.nanoTime() - start;
    }

    /**
     * Starts an {@code ovn-nbctl} daemon in {@code runDir} (its {@code OVN_RUNDIR}), sends one
     * command line per object through it, and stops it. The timing excludes starting and
     * stopping the daemon; the daemon is stopped even when a call fails.
     */
    long createSwitchesThroughDaemon(Path runDir, int from, int count, Consumer<String> progress) {
        Path pidfile = runDir.resolve("ovn-nbctl.pid");
        Map<String, String> daemonEnv = Map.of("OVN_RUNDIR", runDir.toString());
        ExternalCommand.Result started = ExternalCommand.run(CALL_TIMEOUT, daemonEnv, List.of(nbctl, "--db=" + nbEndpoint,
            "--detach", "--no-chdir", "--pidfile=" + pidfile, "--log-file=" + runDir.resolve("ovn-nbctl.log")));
        String control = started.stdout().strip();
        Thread stopOnExit = new Thread(() -> stopDaemon(control, pidfile), "ovn-nbctl-daemon-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            check(started);
            if (control.isEmpty()) {
                throw new BenchmarkFailedException("ovn-nbctl --detach printed no control socket: " + started.describe());
            }
            Map<String, String> clientEnv = Map.of("OVN_RUNDIR", runDir.toString(), "OVN_NB_DAEMON", control);
            ProgressLine line = new ProgressLine("nbctl daemon mode", count, progress);
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                List<String> command = new ArrayList<>(List.of(nbctl));
                command.addAll(objectCommand(from + i));
                check(ExternalCommand.run(CALL_TIMEOUT, clientEnv, command));
                line.done(i + 1);
            }
            return System.nanoTime() - start;
        } finally {
            stopDaemon(control, pidfile);
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException e) {
                // the JVM is shutting down and runs the hook anyway
            }
        }
    }

    private static List<String> objectCommand(int index) {
        String sw = OvsdbWriteBenchmark.switchName(index);
        return List.of("ls-add", sw, "--", "lsp-add", sw, OvsdbWriteBenchmark.portName(index));
    }

    private static void check(ExternalCommand.Result result) {
        if (!result.ok()) {
            throw new BenchmarkFailedException("ovn-nbctl failed: " + result.describe());
        }
    }

    /**
     * Asks the daemon to exit through its control socket, then makes sure by pid (SIGTERM, then
     * SIGKILL). A detached daemon is not our child: it may linger as a zombie, which counts as gone.
     */
    private static void stopDaemon(String control, Path pidfile) {
        OptionalLong pid = readPid(pidfile);
        if (pid.isEmpty()) {
            return;
        }
        if (!control.isEmpty()) {
            try {
                ExternalCommand.run(Duration.ofSeconds(5), Map.of(), List.of("ovs-appctl", "-t", control, "exit"));
            } catch (OvnLabException e) {
                // fall through to signals
            }
        }
        long p = pid.getAsLong();
        if (!awaitExit(p, STOP_WAIT)) {
            ProcessHandle.of(p).ifPresent(ProcessHandle::destroy);
            if (!awaitExit(p, STOP_WAIT)) {
                ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
                awaitExit(p, STOP_WAIT);
            }
        }
    }

    private static OptionalLong readPid(Path pidfile) {
        try {
            String text = Files.readString(pidfile, StandardCharsets.US_ASCII).strip();
            return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean awaitExit(long pid, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isRunning(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isRunning(pid);
            }
        }
        return true;
    }

    /** Alive and not a zombie, from {@code /proc/PID/stat}. */
    static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            int afterName = stat.lastIndexOf(')');
            char state = afterName > 0 && afterName + 2 < stat.length() ? stat.charAt(afterName + 2) : 'X';
            return state != 'Z' && state != 'X' && state != 'x';
        } catch (IOException e) {
            return false;
        }
    }

    /** "nbctl ...: 250/500 objects, 57/s" on stderr about every tenth of the row. */
    private static final class ProgressLine {
        private final String what;
        private final int total;
        private final Consumer<String> out;
        private final int step;
        private final long start = System.nanoTime();

        ProgressLine(String what, int total, Consumer<String> out) {
            this.what = what;
            this.total = total;
            this.out = out;
            this.step = Math.max(1, total / 10);
        }

        void done(int n) {
            if (n % step == 0 || n == total) {
                double seconds = (System.nanoTime() - start) / 1e9;
                out.accept(String.format("    %s: %d/%d objects, %.0f/s", what, n, total, n / seconds));
            }
        }
    }
}
