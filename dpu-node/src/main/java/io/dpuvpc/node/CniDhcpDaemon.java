package io.dpuvpc.node;

import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Serves the CNI DHCP daemon socket of a DPU: runs the {@code dhcp} IPAM plugin of
 * containernetworking-plugins as {@code dhcp daemon -socketpath <socket>}, so that a DPU service
 * pod whose NetworkAttachmentDefinition says {@code "ipam": {"type": "dhcp", "daemonSocketPath":
 * "/run/vpc/cni/dhcp.sock"}} gets its secondary interface's address from OVN's DHCP. The plugin
 * itself is a thin client: at CNI ADD it asks the daemon over the socket, and the daemon enters
 * the pod's network namespace by the path in {@code CNI_NETNS}, runs the DHCP exchange there and
 * keeps renewing the lease until CNI DEL releases it. That is why the daemon must outlive any one
 * pod, and why it belongs to the agent, which outlives them all.
 *
 * <p>A child of the agent: it restarts the daemon with backoff ({@link #backoff}) when it exits,
 * kills it when the agent stops, and tells {@code statusTo} every change of {@link Status}. A
 * socket file left by a daemon that died is removed before the next start (the daemon cannot
 * listen on it otherwise); a socket someone else answers on is left alone and reported. Starting,
 * probing and waiting on the process happen off the actor, on the blocking dispatcher.
 */
public final class CniDhcpDaemon extends AbstractBehavior<CniDhcpDaemon.Command> {

    /** Where Debian's containernetworking-plugins and the upstream tarball put the plugin. */
    static final List<Path> BINARIES = List.of(Path.of("/usr/lib/cni/dhcp"), Path.of("/opt/cni/bin/dhcp"));
    static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** A daemon that ran this long was healthy: the backoff starts over. */
    static final Duration HEALTHY = Duration.ofSeconds(10);
    private static final Duration KILL_AFTER = Duration.ofSeconds(2);

    /**
     * The daemon as last seen: the socket it serves, whether it runs (and its pid, else 0), how
     * often it was (re)started, and the last thing that went wrong (null: nothing yet).
     */
    public record Status(String socket, boolean running, long pid, int starts, String lastError) {}

    public sealed interface Command {}

    private record Started(Process process, Throwable failure) implements Command {}

    private record Exited(Process process, int exitCode) implements Command {}

    private enum Restart implements Command { INSTANCE }

    private final Path socket;
    private final ActorRef<Status> statusTo;
    private final TimerScheduler<Command> timers;
    private final Executor blocking;
    private Process process;
    private long startedAt;
    private int starts;
    private int failuresInARow;
    private String lastError;

    private CniDhcpDaemon(ActorContext<Command> context, TimerScheduler<Command> timers, Path socket,
                          ActorRef<Status> statusTo) {
        super(context);
        this.socket = socket;
        this.statusTo = statusTo;
        this.timers = timers;
        this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        start();
    }

    public static Behavior<Command> create(Path socket, ActorRef<Status> statusTo) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new CniDhcpDaemon(ctx, timers, socket, statusTo)));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(Started.class, this::onStarted)
            .onMessage(Exited.class, this::onExited)
            .onMessageEquals(Restart.INSTANCE, () -> {
                start();
                return this;
            })
            .onSignal(PostStop.class, signal -> onStop())
            .build();
    }

    private void start() {
        starts++;
        getContext().pipeToSelf(CompletableFuture.supplyAsync(this::launch, blocking), Started::new);
    }

    /** Off the actor: finds the plugin, clears a dead daemon's socket and starts a new daemon. */
    private Process launch() {
        Path binary = BINARIES.stream().filter(Files::isExecutable).findFirst().orElseThrow(() ->
            new IllegalStateException("no CNI dhcp plugin at " + BINARIES + ": install containernetworking-plugins"));
        try {
            Files.createDirectories(socket.getParent());
            if (Files.exists(socket)) {
                if (answers(socket)) {
                    throw new IllegalStateException("another process serves " + socket);
                }
                Files.delete(socket);
            }
            File log = socket.resolveSibling(socket.getFileName() + ".log").toFile();
            return new ProcessBuilder(binary.toString(), "daemon", "-socketpath", socket.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + binary + " for " + socket + ": " + e.getMessage(), e);
        }
    }

    private static boolean answers(Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return false;
        }
    }

    private Behavior<Command> onStarted(Started started) {
        if (started.failure() != null) {
            failed(ClientEvents.unwrap(started.failure()).getMessage());
            return this;
        }
        process = started.process();
        startedAt = System.nanoTime();
        getContext().getLog().info("CNI dhcp daemon serving {} (pid {})", socket, process.pid());
        Process watched = process;
        getContext().pipeToSelf(watched.onExit(), (p, failure) -> new Exited(watched, failure == null ? p.exitValue() : -1));
        tellStatus();
        return this;
    }

    private Behavior<Command> onExited(Exited exited) {
        if (exited.process() != process) {
            return this; // a daemon replaced since
        }
        boolean wasHealthy = System.nanoTime() - startedAt >= HEALTHY.toNanos();
        process = null;
        if (wasHealthy) {
            failuresInARow = 0;
        }
        failed("the CNI dhcp daemon exited with " + exited.exitCode() + " (see " + socket + ".log)");
        return this;
    }

    private void failed(String error) {
        Duration delay = backoff(failuresInARow++);
        // Said once per cause: agents sharing a host (the lab) find the socket served every 30 s.
        if (error.equals(lastError)) {
            getContext().getLog().debug("CNI dhcp daemon for {}: {}; starting again in {} ms", socket, error, delay.toMillis());
        } else {
            getContext().getLog().warn("CNI dhcp daemon for {}: {}; starting again in {} ms", socket, error, delay.toMillis());
        }
        lastError = error;
        timers.startSingleTimer(Restart.INSTANCE, delay);
        tellStatus();
    }

    /** The wait before the start after {@code failures} failed ones: doubling from 0.5 s, at most 30 s. */
    static Duration backoff(int failures) {
        long millis = FIRST_BACKOFF.toMillis() << Math.min(failures, 16);
        return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
    }

    private void tellStatus() {
        statusTo.tell(new Status(socket.toString(), process != null && process.isAlive(),
            process == null ? 0 : process.pid(), starts, lastError));
    }

    private Behavior<Command> onStop() {
        Optional.ofNullable(process).ifPresent(p -> {
            p.destroy();
            // Killed for good off the actor if SIGTERM was not enough; a stopping actor cannot wait.
            p.onExit().orTimeout(KILL_AFTER.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((done, timeout) -> {
                    if (timeout != null) {
                        p.destroyForcibly();
                    }
                });
        });
        return this;
    }
}
