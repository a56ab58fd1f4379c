package io.dpuvpc.app.simulate;

import io.dpuvpc.app.client.AdminClient;
import io.dpuvpc.app.lab.VpcProcesses;
import io.dpuvpc.persistence.cassandra.EmbeddedCassandra;
import io.dpuvpc.persistence.cassandra.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The controllers of a simulation: one embedded Cassandra they share, and {@code count} {@code vpc
 * controller} JVMs on loopback forming one Pekko cluster (the first forms it, the others join it),
 * each with its admin API, its cluster port and a loopback JMX port for {@link ProcessProbe}, all
 * on free ports ({@link LoopbackPorts}: below the ephemeral range, so that no outgoing connection
 * takes one before its controller binds it). {@link #close} stops them all, controllers first.
 */
final class ControllerCluster implements AutoCloseable {
    static final String CLUSTER_NAME = "dpuvpc";
    /**
     * Every member of a simulation (the controllers and the fleet) on one 2-core machine: with the
     * CPU saturated for minutes, heartbeats between members arrive seconds late (seen: 4.3 s), and
     * with Pekko's default pause of 3 s the fleet's member was marked unreachable and downed. A
     * real deployment keeps the default; here the members share the CPU they are measured on.
     */
    static final String TOLERANT_FAILURE_DETECTOR = "pekko.cluster.failure-detector.acceptable-heartbeat-pause = 30s";

    /** One controller JVM. */
    record Controller(String name, long pid, int apiPort, int clusterPort, int jmxPort, AdminClient api, ProcessProbe probe,
                      Path log) {
        String seed() {
            return "pekko://" + CLUSTER_NAME + "@127.0.0.1:" + clusterPort;
        }
    }

    private final EmbeddedCassandra cassandra;
    private final VpcProcesses processes;
    private final List<Controller> controllers;
    /** Controllers killed by {@link #kill} and not yet replaced: not for {@link #restartExited} to start. */
    private final Set<Integer> killedHere = new HashSet<>();
    private String heap;
    private Path config;

    private final Thread onExit = new Thread(this::stopControllers, "simulate-stop-controllers");

    private ControllerCluster(EmbeddedCassandra cassandra, VpcProcesses processes, List<Controller> controllers) {
        this.cassandra = cassandra;
        this.processes = processes;
        this.controllers = controllers;
        // The controllers run in sessions of their own (setsid): a Ctrl-C here must not leave them behind.
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /** Starts Cassandra in {@code dir/cassandra}, then the controllers; returns once every admin API is ready. */
    static ControllerCluster start(Path dir, int count, String heap, Duration timeout, Consumer<String> progress)
        throws IOException {
        long t0 = System.nanoTime();
        progress.accept("starting an embedded Cassandra " + EmbeddedCassandra.VERSION + " in " + dir.resolve("cassandra"));
        EmbeddedCassandra cassandra = EmbeddedCassandra.builder(dir.resolve("cassandra")).stopOnJvmExit(true)
            .nativePort(LoopbackPorts.free()).storagePort(LoopbackPorts.free()).jmxPort(LoopbackPorts.free()).build().start();
        progress.accept(String.format("Cassandra up in %.1f s at %s", (System.nanoTime() - t0) / 1e9, cassandra.contactPoint()));
        VpcProcesses processes = new VpcProcesses(dir.resolve("processes"));
        List<Controller> controllers = new ArrayList<>();
        ControllerCluster cluster = new ControllerCluster(cassandra, processes, controllers);
        try {
            cluster.heap = heap;
            cluster.config = dir.resolve("controller.conf");
            Files.writeString(cluster.config, TOLERANT_FAILURE_DETECTOR + "\n");
            for (int i = 1; i <= count; i++) {
                Controller c = cluster.launch("controller-" + i, LoopbackPorts.free(), LoopbackPorts.free(), LoopbackPorts.free(),
                    controllers.isEmpty() ? null : controllers.get(0).seed());
                controllers.add(c);
                progress.accept(c.name() + " starting (pid " + c.pid() + ", admin API 127.0.0.1:" + c.apiPort() + ", log "
                    + c.log() + ")");
                // The first must be up before the others join it.
                if (i == 1 || i == count) {
                    cluster.awaitReady(controllers, timeout);
                }
            }
            progress.accept(String.format("%d controller(s) ready in %.1f s", count, (System.nanoTime() - t0) / 1e9));
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Starts one controller JVM on the given ports, joining the cluster at {@code seed} (null: it forms the cluster). */
    private Controller launch(String name, int api, int clusterPort, int jmx, String seed) {
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + heap));
        jvm.addAll(VpcProcesses.CONTROLLER_GC);
        jvm.addAll(ProcessProbe.jmxOptions(jmx));
        List<String> args = new ArrayList<>(List.of("controller", "--api-port", Integer.toString(api),
            "--cluster-port", Integer.toString(clusterPort), "--cassandra", "127.0.0.1:" + cassandra.nativePort(),
            "--config", config.toString()));
        if (seed != null) {
            args.addAll(List.of("--seed", seed));
        }
        VpcProcesses.Status status = processes.start(name, jvm, Map.of(), args);
        return new Controller(name, status.pid(), api, clusterPort, jmx,
            new AdminClient(URI.create("http://127.0.0.1:" + api), null, AdminClient.Tls.DEFAULT),
            new ProcessProbe(status.pid(), jmx), status.log());
    }

    /**
     * SIGKILL to controller {@code index}'s process, as a crash or the kernel's OOM killer would:
     * no coordinated shutdown, no leaving the cluster. Returns once the process is gone.
     */
    synchronized void kill(int index) {
        Controller c = controllers.get(index);
        killedHere.add(index);
        c.probe().close();
        ProcessHandle.of(c.pid()).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        });
    }

    /**
     * A new process in place of controller {@code index} (killed), on its ports, joining the
     * cluster through another live controller: the other members see a new incarnation of the
     * same address and remove the old one. Returns once its admin API says it is ready.
     */
    synchronized Controller replace(int index, Duration timeout) {
        Controller old = controllers.get(index);
        if (alive(old.name())) {
            throw new IllegalStateException(old.name() + " is still running: kill it first");
        }
        String seed = null;
        for (int i = 0; i < controllers.size(); i++) {
            if (i != index && alive(controllers.get(i).name())) {
                seed = controllers.get(i).seed();
                break;
            }
        }
        // Each incarnation has a process name and a log of its own, so that a new process that dies
        // at once leaves its output next to its predecessor's, not over it. One that exits while
        // starting is started again (twice at most), with what it said kept in the log.
        IllegalStateException failed = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            Controller next = launch(incarnation(old.name()), old.apiPort(), old.clusterPort(), old.jmxPort(), seed);
            controllers.set(index, next);
            try {
                // The new process only: another controller may be down meanwhile (killed, or exited
                // on its own and not yet started again), and that is not this start's failure.
                awaitReady(List.of(next), timeout);
                killedHere.remove(index);
                return next;
            } catch (IllegalStateException e) {
                if (alive(next.name())) {
                    throw e; // alive but not ready in time: no second try would be quicker
                }
                failed = failed == null ? e : failed;
                if (failed != e) {
                    failed.addSuppressed(e);
                }
            }
        }
        throw failed;
    }

    /** A controller whose process exited without being killed here, and the last lines of its log. */
    record Exit(String name, String lastWords) {
    }

    /**
     * Starts again, in place, every controller whose process exited without being killed here, as
     * its supervisor would (a Deployment's kubelet, systemd): a controller downed by its cluster
     * exits on purpose (dpuvpc-cluster.conf) and counts on being restarted. Returns who exited,
     * with what each said last, so that a run reports it rather than hides it.
     */
    synchronized List<Exit> restartExited(Duration timeout) {
        List<Exit> exits = new ArrayList<>();
        for (int i = 0; i < controllers.size(); i++) {
            Controller c = controllers.get(i);
            if (killedHere.contains(i) || alive(c.name())) {
                continue;
            }
            exits.add(new Exit(c.name(), tail(c.log())));
            c.probe().close();
            replace(i, timeout);
        }
        return exits;
    }

    /** {@code controller-2} → {@code controller-2.1}, {@code controller-2.1} → {@code controller-2.2}. */
    private static String incarnation(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name + ".1" : name.substring(0, dot + 1) + (Integer.parseInt(name.substring(dot + 1)) + 1);
    }

    /** The indexes of the controllers whose process is alive. */
    List<Integer> alive() {
        List<Integer> alive = new ArrayList<>();
        for (int i = 0; i < controllers.size(); i++) {
            if (alive(controllers.get(i).name())) {
                alive.add(i);
            }
        }
        return alive;
    }

    private boolean alive(String name) {
        return processes.status(name).filter(VpcProcesses.Status::alive).isPresent();
    }

    List<Controller> controllers() {
        return controllers;
    }

    /** The first controller's admin API: where the simulation applies and reads, as a user would. */
    AdminClient api() {
        return controllers.get(0).api();
    }

    String seed() {
        return controllers.get(0).seed();
    }

    EmbeddedCassandra cassandra() {
        return cassandra;
    }

    private void awaitReady(List<Controller> which, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Controller c : which) {
            while (true) {
                try {
                    if (c.api().send("GET", "/readyz", null, null, "text/plain").code() == 200) {
                        break;
                    }
                } catch (RuntimeException e) {
                    // not listening yet
                }
                if (!alive(c.name())) {
                    String code = processes.exitCode(c.name()).map(e -> " with exit code " + e).orElse("");
                    throw new IllegalStateException(c.name() + " exited while starting" + code + "; see " + c.log() + ":\n"
                        + tail(c.log()));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(c.name() + " was not ready within " + timeout.toSeconds() + " s; see "
                        + c.log());
                }
                sleep(250);
            }
        }
    }

    /** Whether every controller process is still alive (a dead one fails the run). */
    List<String> dead() {
        return controllers.stream().map(Controller::name)
            .filter(n -> !alive(n)).toList();
    }

    @Override
    public void close() {
        stopControllers();
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs (and finds nothing left to stop)
        }
        cassandra.close();
    }

    private synchronized void stopControllers() {
        for (int i = controllers.size() - 1; i >= 0; i--) {
            Controller c = controllers.get(i);
            c.probe().close();
            processes.stop(c.name(), Duration.ofSeconds(30));
        }
    }

    static String tail(Path log) {
        try {
            return VpcProcesses.tail(log, 15);
        } catch (UncheckedIOException e) {
            return "(cannot read " + log + ": " + e.getCause().getMessage() + ")";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
