package io.dpuvpc.ovn.lab;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs one OVS, OVN or openssl tool and returns what it printed.
 *
 * <p>Output goes to temporary files rather than pipes: a tool that forks a daemon
 * ({@code --detach}) hands its stdout/stderr to that daemon, and a pipe would then never reach
 * end-of-file. Every run has a hard timeout after which the tool and its descendants are killed,
 * so nothing here can block forever. stdin is {@code /dev/null}.
 *
 * <p>Tools are looked up on {@code PATH} and in the sbin/bin folders (a non-root {@code PATH}
 * often lacks {@code /usr/sbin}, where {@code ovsdb-server} lives); a missing one raises
 * {@link MissingToolException} naming its Debian package.
 */
public final class ExternalCommand {
    /** What a tool run gets unless the caller says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    // Debian 12 (bookworm) owners, from `dpkg -S`.
    private static final Map<String, String> DEBIAN_PACKAGE = Map.ofEntries(
            Map.entry("ovsdb-server", "openvswitch-common"),
            Map.entry("ovsdb-tool", "openvswitch-common"),
            Map.entry("ovsdb-client", "openvswitch-common"),
            Map.entry("ovs-appctl", "openvswitch-common"),
            Map.entry("ovs-vsctl", "openvswitch-switch"),
            Map.entry("ovs-vswitchd", "openvswitch-switch"),
            Map.entry("ovn-northd", "ovn-central"),
            Map.entry("ovn-nbctl", "ovn-common"),
            Map.entry("ovn-sbctl", "ovn-common"),
            Map.entry("ovn-controller", "ovn-host"),
            Map.entry("ip", "iproute2"),
            Map.entry("ethtool", "ethtool"),
            Map.entry("ping", "iputils-ping"),
            Map.entry("python3", "python3"),
            Map.entry("openssl", "openssl"));

    private static final List<String> SYSTEM_DIRS =
            List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private ExternalCommand() {
    }

    /** What one run printed and how it ended. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr, Duration elapsed) {
        public Result {
            command = List.copyOf(command);
        }

        /** Exit code 0. */
        public boolean ok() {
            return exitCode == 0;
        }

        /** This result if the exit code is 0, else an {@link OvnLabException} quoting stderr and stdout. */
        public Result orThrow() {
            if (!ok()) {
                throw new OvnLabException(describe());
            }
            return this;
        }

        /** One paragraph for error messages: the command, its exit code and its output. */
        public String describe() {
            StringBuilder text = new StringBuilder()
                    .append(String.join(" ", command)).append(" exited with ").append(exitCode);
            if (!stderr.isBlank()) {
                text.append("\nstderr: ").append(tail(stderr, 2000));
            }
            if (!stdout.isBlank()) {
                text.append("\nstdout: ").append(tail(stdout, 2000));
            }
            return text.toString();
        }
    }

    /** Runs {@code command} with {@link #DEFAULT_TIMEOUT} and the JVM's environment. */
    public static Result run(String... command) {
        return run(DEFAULT_TIMEOUT, Map.of(), List.of(command));
    }

    /** Runs {@code command} with a timeout and the JVM's environment. */
    public static Result run(Duration timeout, List<String> command) {
        return run(timeout, Map.of(), command);
    }

    /**
     * Runs {@code command} and waits at most {@code timeout} for it to exit.
     *
     * @param timeout     after this the tool and its descendants are killed and an {@link OvnLabException}
     *                    is thrown
     * @param environment variables added to the JVM's environment (e.g. {@code OVS_RUNDIR})
     * @param command     the tool (a bare name is looked up with {@link #locate}) and its arguments
     * @return the exit code and output; a non-zero exit is not an exception here (see {@link Result#orThrow()})
     * @throws MissingToolException if the tool is not installed
     */
    public static Result run(Duration timeout, Map<String, String> environment, List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        List<String> resolved = new ArrayList<>(command);
        if (!resolved.get(0).contains("/")) {
            resolved.set(0, locate(resolved.get(0)).toString());
        }
        Path out = null;
        Path err = null;
        long started = System.nanoTime();
        try {
            out = Files.createTempFile("vpc-tool-", ".out");
            err = Files.createTempFile("vpc-tool-", ".err");
            ProcessBuilder builder = new ProcessBuilder(resolved)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new OvnLabException(String.join(" ", resolved) + " did not finish within " + timeout
                        + "; killed it. stderr: " + tail(readQuietly(err), 2000));
            }
            return new Result(resolved, process.exitValue(), read(out), read(err),
                    Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            throw new OvnLabException("cannot run " + String.join(" ", resolved) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OvnLabException("interrupted while running " + String.join(" ", resolved), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /**
     * Finds an executable by name on {@code PATH} or in the usual system folders.
     *
     * @throws MissingToolException naming the Debian package that provides it
     */
    public static Path locate(String tool) {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    dirs.add(dir);
                }
            }
        }
        dirs.addAll(SYSTEM_DIRS);
        for (String dir : dirs) {
            Path candidate = Path.of(dir, tool);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new MissingToolException(tool, debianPackageOf(tool));
    }

    /** Whether {@link #locate} would find the tool. */
    public static boolean isInstalled(String tool) {
        try {
            locate(tool);
            return true;
        } catch (MissingToolException e) {
            return false;
        }
    }

    /** The Debian package that installs {@code tool}, or a hint when we do not know it. */
    static String debianPackageOf(String tool) {
        return DEBIAN_PACKAGE.getOrDefault(tool, "that provides " + tool);
    }

    /** The last {@code max} characters of {@code text}, trimmed. */
    static String tail(String text, int max) {
        String trimmed = text.strip();
        return trimmed.length() <= max ? trimmed : "..." + trimmed.substring(trimmed.length() - max);
    }

    /** The last lines of a file for an error message, or a note that it cannot be read. */
    static String tailOf(Path file, int max) {
        if (!Files.exists(file)) {
            return "(" + file + " does not exist)";
        }
        return tail(readQuietly(file), max);
    }

    private static String read(Path file) throws IOException {
        // Lenient decoding: a tool's odd byte must not turn into an exception here.
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    private static String readQuietly(Path file) {
        try {
            return read(file);
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }
}
