package io.dpuvpc.app.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@code vpc} processes a lab runs in the background (the controller, one node agent per DPU):
 * each a JVM on this one's classpath and system properties, started with {@code setsid} so a
 * Ctrl-C in the terminal that ran {@code lab up} does not reach it, its output in
 * {@code NAME.log} and its pid in {@code NAME.pid} in one folder. Another process (the next
 * {@code lab down}) finds and stops them from that folder.
 */
public final class VpcProcesses {
  /** One process as its pidfile records it. */
  public record Status(String name, long pid, boolean alive, Path log) {}

  private static final String PID = ".pid";
  private final Path dir;
  /**
   * The processes this object started, by name: for them, whether they are alive is asked of the
   * process itself, not read from {@code /proc} (which another program may reuse the pid of).
   */
  private final Map<String, Process> started = new ConcurrentHashMap<>();

  public VpcProcesses(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  public Path dir() {
    return dir;
  }

  public Path log(String name) {
    return dir.resolve(name + ".log");
  }

  /**
   * The collector options of a controller JVM. String deduplication: a controller holds every
   * resource's name many times over (entity keys, persistence ids, actor paths, the Northbound
   * rows' names and owners), each decoded or built separately; G1 sharing their bytes cut the live
   * heap at 10,000 interfaces from 205.5 to 190.1 MB (docs/BENCHMARKS.md). {@code bin/vpc
   * controller} and the deployment pass the same.
   */
  public static final List<String> CONTROLLER_GC = List.of("-XX:+UseG1GC", "-XX:+UseStringDeduplication");

  /**
   * Starts {@code vpc ARGS...} in the background as {@code name}, with {@code env} added to this
   * process's environment and {@code jvmOptions} (e.g. a heap limit) before the main class.
   *
   * @throws IllegalStateException if a process of that name is alive already
   */
  public synchronized Status start(String name, List<String> jvmOptions, Map<String, String> env, List<String> args) {
    status(name).filter(Status::alive).ifPresent(s -> {
      throw new IllegalStateException(name + " is already running (pid " + s.pid() + ")");
    });
    List<String> command = new ArrayList<>(List.of("setsid", javaExecutable()));
    command.addAll(jvmOptions);
    // The system properties bin/vpc set (vpc.home, vpc.launcher, the common pool's size) carry over.
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("-Dvpc.") || arg.startsWith("-Djava.util.concurrent.")) {
        command.add(arg);
      }
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.dpuvpc.app.Main"));
    command.addAll(args);
    try {
      Files.createDirectories(dir);
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.to(log(name).toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().putAll(env);
      Process process = builder.start();
      started.put(name, process);
      Files.writeString(dir.resolve(name + PID), process.pid() + "\n");
      return new Status(name, process.pid(), true, log(name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  /** The exit code of {@code name} if this object started it and it has exited. */
  public Optional<Integer> exitCode(String name) {
    Process own = started.get(name);
    return own == null || own.isAlive() ? Optional.empty() : Optional.of(own.exitValue());
  }

  /** The last {@code lines} lines of {@code log}, for an error message. */
  public static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The process recorded as {@code name}, if any. */
  public Optional<Status> status(String name) {
    Path pidfile = dir.resolve(name + PID);
    if (!Files.exists(pidfile)) {
      return Optional.empty();
    }
    try {
      long pid = Long.parseLong(Files.readString(pidfile).strip());
      Process own = started.get(name);
      boolean alive = own != null && own.pid() == pid
          ? own.isAlive()
          : ProcessHandle.of(pid).map(p -> p.isAlive() && isOurs(p)).orElse(false);
      return Optional.of(new Status(name, pid, alive, log(name)));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Every recorded process, by name. */
  public List<Status> all() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(PID)).sorted()
          .map(n -> status(n.substring(0, n.length() - PID.length()))).flatMap(Optional::stream).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stops {@code name}: SIGTERM (a graceful leave of the cluster), SIGKILL after {@code grace};
   * its pidfile goes. Idempotent.
   *
   * @return the process stopped, if one was alive
   */
  public Optional<Status> stop(String name, Duration grace) {
    Optional<Status> status = status(name);
    status.filter(Status::alive).flatMap(s -> ProcessHandle.of(s.pid())).ifPresent(p -> {
      p.destroy();
      try {
        p.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
        p.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(t -> p).join();
      }
    });
    try {
      Files.deleteIfExists(dir.resolve(name + PID));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return status.filter(Status::alive);
  }

  /**
   * A pid reused by another program after a reboot must not be taken for ours. Right after the
   * start the pid may still be Java's spawn helper or setsid, about to exec the JVM; and while the
   * kernel execs, for an instant, the command line reads empty. Taking that for "not ours" made a
   * controller that had just been started look as if it had exited at once, with an empty log
   * (ControllerClusterIT and ChaosRunIT in CI): an empty command line is ours unless the process
   * is a zombie.
   */
  static boolean isOurs(ProcessHandle p) {
    // Not Info.commandLine(): it stops at 4 KiB, and the classpath alone is longer.
    String command;
    try {
      command = new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
          java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      return true;
    }
    if (command.isEmpty()) {
      return !zombie(p.pid());
    }
    return command.contains("io.dpuvpc.app.Main") || command.contains("jspawnhelper") || command.startsWith("setsid");
  }

  /** Whether {@code /proc/PID/stat} gives the state Z (exited, not yet reaped) or X (dead). */
  static boolean zombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // "pid (comm) S ...": the command may hold spaces and parentheses, the state follows the last ')'.
      int close = stat.lastIndexOf(')');
      char state = close < 0 || close + 2 >= stat.length() ? '?' : stat.charAt(close + 2);
      return state == 'Z' || state == 'X';
    } catch (IOException e) {
      return true; // gone while we looked
    }
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
