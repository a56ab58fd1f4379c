package io.dpuvpc.ovn.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Daemon bookkeeping through pidfiles and {@code /proc} (Linux only).
 *
 * <p>{@code --detach}ed OVS daemons are not children of the JVM: they are re-parented to pid 1,
 * which may reap them late, so an exited daemon can linger as a zombie. {@code kill -0} (and
 * {@link ProcessHandle#isAlive()}) call a zombie alive; here a process is alive only if
 * {@code /proc/PID/stat} exists, its state is not {@code Z}/{@code X}, and its {@code comm} is the
 * program we started (a recycled pid is not our daemon).
 */
final class Daemons {
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private Daemons() {
    }

    /** The pid written in {@code pidfile}, if the file exists and holds one. */
    static OptionalLong readPid(Path pidfile) {
        try {
            String text = Files.readString(pidfile, StandardCharsets.US_ASCII).strip();
            return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Whether {@code pid} is a live (not zombie) process whose program name is {@code program}. */
    static boolean isAlive(long pid, String program) {
        if (!isAlive(pid)) {
            return false;
        }
        try {
            String comm = Files.readString(Path.of("/proc", Long.toString(pid), "comm"), StandardCharsets.UTF_8).strip();
            // comm is cut to 15 characters by the kernel.
            return program.startsWith(comm) && !comm.isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether {@code pid} is a live process (zombies count as dead). */
    static boolean isAlive(long pid) {
        if (pid <= 0) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            int afterName = stat.lastIndexOf(')');
            if (afterName < 0 || afterName + 2 >= stat.length()) {
                return false;
            }
            char state = stat.charAt(afterName + 2);
            return state != 'Z' && state != 'X' && state != 'x';
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Sends SIGTERM to {@code pid} if it is our {@code program}, waits up to {@code grace} for it to
     * exit, then sends SIGKILL and waits again.
     *
     * @return whether a live process was found (and stopped)
     * @throws OvnLabException if it survives SIGKILL
     */
    static boolean terminate(long pid, String program, Duration grace) {
        if (!isAlive(pid, program)) {
            return false;
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        if (awaitExit(pid, grace)) {
            return true;
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        if (!awaitExit(pid, KILL_WAIT)) {
            throw new OvnLabException(program + " pid " + pid + " survived SIGKILL for " + KILL_WAIT);
        }
        return true;
    }

    /** Sends SIGKILL to {@code pid} if it is our {@code program} and waits for it to die. */
    static boolean kill(long pid, String program) {
        if (!isAlive(pid, program)) {
            return false;
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        if (!awaitExit(pid, KILL_WAIT)) {
            throw new OvnLabException(program + " pid " + pid + " survived SIGKILL for " + KILL_WAIT);
        }
        return true;
    }

    /** Polls until {@code pid} is dead or a zombie; true if it happened within {@code timeout}. */
    static boolean awaitExit(long pid, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isAlive(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(POLL);
        }
        return true;
    }

    /**
     * The TCP ports {@code pid} listens on, from its socket inodes in {@code /proc/PID/fd} matched
     * against {@code /proc/PID/net/tcp[6]}. This is how a {@code ptcp:0} remote's real port is read
     * back: {@code ovsdb-server/list-remotes} only echoes {@code ptcp:0:127.0.0.1}.
     */
    static Set<Integer> listeningTcpPorts(long pid) {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException e) {
                    // fd closed while we looked
                }
            }
        } catch (IOException e) {
            return Set.of();
        }
        Set<Integer> ports = new TreeSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                if (f.length > 9 && "0A".equals(f[3]) && inodes.contains(f[9])) {
                    String local = f[1];
                    ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    /** Live processes whose command line mentions {@code text} (e.g. a lab's work folder). */
    static List<Long> processesMentioning(String text) {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                long pid = Long.parseLong(proc.getFileName().toString());
                if (pid == ProcessHandle.current().pid()) {
                    continue;
                }
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    if (cmdline.contains(text) && isAlive(pid)) {
                        pids.add(pid);
                    }
                } catch (IOException e) {
                    // exited while we looked
                }
            }
        } catch (IOException e) {
            throw new OvnLabException("cannot list /proc: " + e.getMessage(), e);
        }
        return pids;
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OvnLabException("interrupted", e);
        }
    }
}
