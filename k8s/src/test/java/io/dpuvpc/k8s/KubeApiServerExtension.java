package io.dpuvpc.k8s;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kubernetes control plane per test class: etcd, kube-apiserver and kube-controller-manager
 * v1.20.2 on 127.0.0.1, started by {@code bin/kube-lab up} in a fresh temp folder before the first
 * test and stopped by {@code bin/kube-lab down} after the last.
 *
 * <pre>{@code
 * class MyIT {
 *     @RegisterExtension
 *     static final KubeApiServerExtension KUBE = new KubeApiServerExtension();
 *
 *     @BeforeAll
 *     static void crds() { KUBE.registerCrds(); }
 *
 *     @Test
 *     void lists() {
 *         KUBE.client().resources(DpuVpc.class).inAnyNamespace().list();
 *         assertThat(KUBE.kubectl("get", "dvpc", "-A").stdout()).contains("TENANT");
 *     }
 * }
 * }</pre>
 *
 * <p>The first use on a machine builds the two Kubernetes binaries (minutes; see
 * docs/KUBERNETES.md), every later one finds them cached. The mock server of fabric8 checks no
 * schema, no resourceVersion on /status, no finalizers and runs no controllers: tests of those use
 * this. A JVM shutdown hook takes the server down if the test JVM dies first. Other modules get
 * this class from k8s's test-jar.
 */
public final class KubeApiServerExtension implements BeforeAllCallback, AfterAllCallback {
    /** The build runs once per machine (12 minutes measured on 2 cores), later calls return at once. */
    static final Duration BUILD_TIMEOUT = Duration.ofMinutes(45);
    /** etcd, then the apiserver's /readyz: seconds when the machine is idle. */
    static final Duration UP_TIMEOUT = Duration.ofMinutes(3);
    static final Duration KUBECTL_TIMEOUT = Duration.ofMinutes(2);

    /** What a command did: its exit code and everything it printed. */
    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** This result, after checking that the command succeeded (the output is in the message otherwise). */
        public Result orThrow() {
            if (!ok()) {
                throw new IllegalStateException(this.toString());
            }
            return this;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private final Path root = projectRoot();
    private Path dir;
    private int port;
    private KubernetesClient client;
    private Thread downOnJvmExit;
    private long classStartedNanos;
    private Duration upTook;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        classStartedNanos = System.nanoTime();
        Result build = run(BUILD_TIMEOUT, kubeLab(), "build");
        if (!build.ok()) {
            throw new IllegalStateException("bin/kube-lab build failed: " + build);
        }
        dir = Files.createTempDirectory("kube-lab-");
        port = freePort();
        // A test JVM that dies (a surefire timeout, Ctrl-C) before afterAll must not leave the daemons running.
        Path labDir = dir;
        downOnJvmExit = new Thread(() -> down(labDir), "kube-lab down");
        Runtime.getRuntime().addShutdownHook(downOnJvmExit);
        long started = System.nanoTime();
        Result up = run(UP_TIMEOUT, kubeLab(), "up", "--dir", dir.toString(), "--port", Integer.toString(port));
        if (!up.ok()) {
            // A half-started lab (etcd up, the apiserver not) must not outlive the test.
            Result down = down(dir);
            throw new IllegalStateException("bin/kube-lab up --dir " + dir + " --port " + port + " failed: " + up
                    + "\nthen down: " + down);
        }
        upTook = Duration.ofNanos(System.nanoTime() - started);
        // `up` returns when /readyz answers ok: this is the time a test class waits for its server.
        System.out.printf("kube-lab: %s up on port %d, /readyz ok after %d ms%n",
                context.getDisplayName(), port, upTook.toMillis());
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(kubeconfig().toFile()))
                .build();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (client != null) {
            client.close();
            client = null;
        }
        if (dir != null) {
            Result down = down(dir);
            dir = null;
            Runtime.getRuntime().removeShutdownHook(downOnJvmExit);
            if (!down.ok()) {
                throw new IllegalStateException("bin/kube-lab down failed: " + down);
            }
        }
        System.out.printf("kube-lab: %s took %d ms in all (server up: %d ms)%n", context.getDisplayName(),
                Duration.ofNanos(System.nanoTime() - classStartedNanos).toMillis(),
                upTook == null ? -1 : upTook.toMillis());
    }

    /** The admin kubeconfig {@code kube-lab up} wrote (token auth, TLS not verified). */
    public Path kubeconfig() {
        return requireUp().resolve("kubeconfig");
    }

    /** A fabric8 client of the server, as admin; closed after the class. */
    public KubernetesClient client() {
        requireUp();
        return client;
    }

    /** The apiserver's port on 127.0.0.1. */
    public int port() {
        requireUp();
        return port;
    }

    /** The folder holding the kubeconfig and each process's log (etcd.log, kube-apiserver.log, ...). */
    public Path dir() {
        return requireUp();
    }

    /** The repository's root (the folder holding bin/kube-lab). */
    public Path root() {
        return root;
    }

    /**
     * Runs kubectl against this server. Its discovery cache lives in the lab's folder, so a cache
     * of another server that had the same port never answers for this one.
     */
    public Result kubectl(String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig().toString(),
                "--cache-dir", dir().resolve("kubectl-cache").toString()));
        command.addAll(List.of(args));
        try {
            return run(KUBECTL_TIMEOUT, command.toArray(String[]::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code kubectl apply -f k8s/crds/}, then waits until the API server has Established each CRD
     * (before that, objects of its kind are refused with 404). Returns the CRDs' names.
     */
    public List<String> registerCrds() {
        Path crds = root.resolve("k8s").resolve("crds");
        kubectl("apply", "-f", crds.toString()).orThrow();
        List<String> names = crdNames(crds);
        for (String name : names) {
            client().apiextensions().v1().customResourceDefinitions().withName(name)
                    .waitUntilCondition(KubeApiServerExtension::established, 60, TimeUnit.SECONDS);
        }
        return names;
    }

    private static boolean established(CustomResourceDefinition crd) {
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private List<String> crdNames(Path crds) {
        try (Stream<Path> files = Files.list(crds)) {
            return files.sorted().map(file -> {
                try (var in = Files.newInputStream(file)) {
                    return client().getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class)
                            .getMetadata().getName();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path requireUp() {
        if (dir == null) {
            throw new IllegalStateException("no server: register KubeApiServerExtension with @RegisterExtension on a static field");
        }
        return dir;
    }

    private Result down(Path labDir) {
        try {
            return run(UP_TIMEOUT, kubeLab(), "down", "--dir", labDir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String kubeLab() {
        return root.resolve("bin").resolve("kube-lab").toString();
    }

    /**
     * Runs a command with its output in files rather than pipes: kube-lab's daemons are its
     * grandchildren, and a pipe one of them inherited would keep a reader waiting after the
     * command ended.
     */
    static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("kube-lab-out-", ".txt");
        Path err = Files.createTempFile("kube-lab-err-", ".txt");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                return new Result(-1, Files.readString(out),
                        Files.readString(err) + "\n(killed after " + timeout.toSeconds() + " s: " + String.join(" ", command) + ")\n");
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The nearest folder at or above the working directory (Maven's: the module) that holds bin/kube-lab. */
    static Path projectRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("bin").resolve("kube-lab"))) {
                return p;
            }
        }
        throw new IllegalStateException("no bin/kube-lab at or above " + Path.of("").toAbsolutePath());
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
