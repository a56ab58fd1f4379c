package io.dpuvpc.app.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.dpuvpc.app.kube.KubernetesIngress;
import io.dpuvpc.http.api.AccessTokens;
import io.dpuvpc.http.api.AdminRoutes;
import io.dpuvpc.http.api.AdminServer;
import io.dpuvpc.http.api.EntityResourceService;
import io.dpuvpc.k8s.StatusPublisher;
import io.dpuvpc.persistence.cassandra.EmbeddedCassandra;
import io.dpuvpc.persistence.cassandra.LoopbackPorts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * A whole controller process: the journal (an embedded Cassandra when no contact points are
 * configured), a {@link ControllerNode} and the admin API in front of its entities. Started in
 * that order, each step said on the progress consumer (the embedded Cassandra takes seconds), and
 * closed in the reverse order.
 */
public final class ControllerProcess implements AutoCloseable {
    /** The defaults of every setting, with the environment overrides they name. */
    public static final String RESOURCE = "dpuvpc-controller.conf";

    /** The settings {@code dpuvpc.controller} holds, read once. */
    public record Settings(String clusterName, String clusterHost, int clusterPort, List<String> seedNodes,
                           List<String> cassandraContactPoints, String cassandraDatacenter, Path embeddedCassandraDir,
                           Duration cassandraTimeout,
                           String apiHost, int apiPort, Optional<Path> tokenFile, Optional<Path> tlsCertificate,
                           Optional<Path> tlsKey, Duration askTimeout, long maxBodyBytes,
                           Optional<KubernetesIngress.Settings> kubernetes, Config nodeOverrides) {

        public Settings {
            // Checked here, not when the API binds: that is after the journal and the node have started.
            if (tlsCertificate.isPresent() != tlsKey.isPresent()) {
                throw new IllegalArgumentException("dpuvpc.controller.api." + (tlsCertificate.isPresent()
                        ? "tls-certificate is set but api.tls-key is not" : "tls-key is set but api.tls-certificate is not")
                        + ": HTTPS needs both PEM files (the certificate and its private key), plain HTTP neither");
            }
        }

        /** {@code config} resolved, with {@code dpuvpc.controller}; {@code workDir} for the embedded Cassandra. */
        public static Settings from(Config config, Path workDir) {
            Config c = config.getConfig("dpuvpc.controller");
            String dir = c.getString("cassandra.data-dir");
            return new Settings(c.getString("cluster.name"), c.getString("cluster.host"), c.getInt("cluster.port"),
                    c.getStringList("cluster.seed-nodes"), c.getStringList("cassandra.contact-points"),
                    c.getString("cassandra.local-datacenter"),
                    dir.isBlank() ? workDir.resolve("cassandra") : Path.of(dir), c.getDuration("cassandra.start-timeout"),
                    c.getString("api.host"), c.getInt("api.port"), path(c, "api.token-file"),
                    path(c, "api.tls-certificate"), path(c, "api.tls-key"), c.getDuration("api.ask-timeout"),
                    c.getBytes("api.max-body"), kubernetes(c.getConfig("kubernetes")),
                    config.withoutPath("dpuvpc.controller"));
        }

        private static Optional<KubernetesIngress.Settings> kubernetes(Config k) {
            if (!k.getBoolean("enabled")) {
                return Optional.empty();
            }
            return Optional.of(new KubernetesIngress.Settings(path(k, "kubeconfig"), path(k, "dpu-kubeconfig"),
                    new StatusPublisher.Settings(k.getDuration("status-period"), k.getDuration("ready-recheck"),
                            k.getDouble("writes-per-second")),
                    k.getDuration("sync-timeout")));
        }

        private static Optional<Path> path(Config c, String key) {
            String value = c.getString(key);
            return value.isBlank() ? Optional.empty() : Optional.of(Path.of(value));
        }
    }

    private final EmbeddedCassandra cassandra;
    private final ControllerNode node;
    private final ServerBinding binding;
    private final KubernetesIngress kubernetes;
    private volatile boolean closed;

    private ControllerProcess(EmbeddedCassandra cassandra, ControllerNode node, ServerBinding binding,
                              KubernetesIngress kubernetes) {
        this.cassandra = cassandra;
        this.node = node;
        this.binding = binding;
        this.kubernetes = kubernetes;
    }

    public static Config defaults() {
        return ConfigFactory.parseResources(ControllerProcess.class.getClassLoader(), RESOURCE);
    }

    public static ControllerProcess start(Settings settings, Consumer<String> progress) throws IOException {
        AccessTokens tokens = settings.tokenFile().isPresent() ? AccessTokens.read(settings.tokenFile().get())
                : AccessTokens.none();
        if (!tokens.required() && !isLoopback(settings.apiHost())) {
            throw new IllegalArgumentException("the admin API would listen on " + settings.apiHost()
                    + " without tokens: give a token file (--token-file or dpuvpc.controller.api.token-file), or keep it on 127.0.0.1");
        }
        EmbeddedCassandra cassandra = null;
        String driverConfig;
        if (settings.cassandraContactPoints().isEmpty()) {
            progress.accept("starting an embedded Cassandra " + EmbeddedCassandra.VERSION + " in "
                    + settings.embeddedCassandraDir() + " (a child JVM: about 15 s)...");
            long t0 = System.nanoTime();
            // Stopped by close(), after the node: a JVM-exit hook of its own could stop it first, and
            // the node's last journal writes would fail. Its ports from below the ephemeral range
            // (LoopbackPorts): it binds them seconds after they are chosen.
            cassandra = EmbeddedCassandra.builder(settings.embeddedCassandraDir()).stopOnJvmExit(false)
                    .nativePort(LoopbackPorts.free()).storagePort(LoopbackPorts.free()).jmxPort(LoopbackPorts.free())
                    .build().start();
            driverConfig = cassandra.driverConfig();
            progress.accept("Cassandra up in " + ms(t0) + " ms on " + cassandra.contactPoint());
        } else {
            driverConfig = "datastax-java-driver.basic.contact-points = [" + String.join(", ",
                    settings.cassandraContactPoints().stream().map(p -> "\"" + p + "\"").toList()) + "]\n"
                    + "datastax-java-driver.basic.load-balancing-policy.local-datacenter = \"" + settings.cassandraDatacenter() + "\"\n";
        }
        ControllerNode node = null;
        try {
            progress.accept("starting the controller node (cluster " + settings.clusterName() + " at "
                    + settings.clusterHost() + ":" + settings.clusterPort() + "; it creates the journal's tables first)...");
            long t1 = System.nanoTime();
            ControllerNode.Settings nodeSettings = new ControllerNode.Settings(settings.clusterName(), settings.clusterHost(),
                    settings.clusterPort(), settings.seedNodes().stream().map(AddressFromURIString::parse).toList(),
                    settings.cassandraTimeout(),
                    settings.nodeOverrides().withFallback(ConfigFactory.parseString(driverConfig)));
            node = ControllerNode.start(nodeSettings, Clock.systemUTC());
            progress.accept("controller node started in " + ms(t1) + " ms");

            ControllerNode started = node;
            EntityResourceService service = new EntityResourceService(node.directory(), node.system(),
                    settings.askTimeout());
            AdminRoutes routes = new AdminRoutes(service,
                    Optional.of(new ControllerInfoService(node, service, settings.askTimeout())), tokens,
                    () -> notReadyBecause(started),
                    new AdminRoutes.Settings(settings.maxBodyBytes(), Duration.ofSeconds(10)));
            AdminServer.Settings server = new AdminServer.Settings(settings.apiHost(), settings.apiPort(),
                    settings.tlsCertificate(), settings.tlsKey());
            ServerBinding binding;
            try {
                binding = AdminServer.bind(node.system(), server, routes.route()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the admin API cannot listen on " + settings.apiHost() + ":" + settings.apiPort()
                        + " (" + e.getCause().getMessage() + "): is another controller running? Choose another port with "
                        + "--api-port", e.getCause());
            }
            progress.accept("admin API on " + (server.tls() ? "https" : "http") + "://" + settings.apiHost() + ":"
                    + binding.localAddress().getPort() + (tokens.required() ? " (tokens required for changes)" : "")
                    + "; try: bin/vpc get dpuvpcs -A");
            KubernetesIngress kubernetes = null;
            if (settings.kubernetes().isPresent()) {
                try {
                    kubernetes = KubernetesIngress.start(settings.kubernetes().get(), service, node.directory(),
                            node.system(), progress);
                } catch (RuntimeException e) {
                    AdminServer.unbind(binding, Duration.ofSeconds(5));
                    throw e;
                }
            }
            return new ControllerProcess(cassandra, node, binding, kubernetes);
        } catch (RuntimeException | InterruptedException | TimeoutException e) {
            if (node != null) {
                node.close();
            }
            if (cassandra != null) {
                cassandra.close();
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Empty when this node serves: it is an Up member of its cluster. */
    static Optional<String> notReadyBecause(ControllerNode node) {
        MemberStatus status = Cluster.get(node.system()).selfMember().status();
        return status == MemberStatus.up() ? Optional.empty()
                : Optional.of("this node is " + status + " in its cluster, not Up yet");
    }

    public ControllerNode node() {
        return node;
    }


    /** The admin API's port (the real one when 0 was asked for). */
    public int apiPort() {
        return binding.localAddress().getPort();
    }

    /** Blocks until the node's actor system ends (closed, or downed by the cluster). */
    public void awaitTermination() throws InterruptedException {
        try {
            node.system().getWhenTerminated().toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the controller node ended with an error", e.getCause());
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (kubernetes != null) {
            kubernetes.close();
        }
        try {
            AdminServer.unbind(binding, Duration.ofSeconds(5)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Stopping anyway: the node's termination closes the server's connections.
        }
        node.close();
        if (cassandra != null) {
            cassandra.close();
        }
    }

    private static boolean isLoopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    }

    private static long ms(long since) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }
}
