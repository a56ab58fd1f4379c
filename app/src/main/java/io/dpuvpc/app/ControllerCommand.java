package io.dpuvpc.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.dpuvpc.app.cluster.ControllerProcess;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vpc controller}: one controller process, running until stopped (SIGTERM or Ctrl-C leave
 * the cluster gracefully). Settings: {@code dpuvpc-controller.conf}, overridden by the
 * environment variables it names, by {@code --config FILE}, then by the options here.
 */
@Command(name = "controller", mixinStandardHelpOptions = true,
        description = "Run a controller: a Pekko cluster node hosting the entities and their Northbound bridges, "
                + "the journal (an embedded Cassandra unless contact points are configured), and the admin API.")
final class ControllerCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "HOCON settings (see dpuvpc-controller.conf).")
    private Path configFile;

    @Option(names = "--api-port", description = "The admin API's port (default 8080, env VPC_API_PORT).")
    private Integer apiPort;

    @Option(names = "--api-host", description = "The admin API's address (default 127.0.0.1, env VPC_API_HOST).")
    private String apiHost;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Bearer tokens for mutating calls, one per line (optionally `read-only`).")
    private Path tokenFile;

    @Option(names = "--cluster-port", description = "The Pekko cluster port (default 25520, env VPC_CLUSTER_PORT).")
    private Integer clusterPort;

    @Option(names = "--seed", paramLabel = "ADDRESS", split = ",",
            description = "Seed nodes to join, e.g. pekko://dpuvpc@10.0.0.1:25520 (default: form a new cluster).")
    private java.util.List<String> seeds;

    @Option(names = "--cassandra", paramLabel = "HOST:PORT", split = ",",
            description = "Cassandra contact points (default: an embedded Cassandra in .vpc/controller/cassandra).")
    private java.util.List<String> cassandra;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Watch Kubernetes: the host cluster's kubeconfig (DPUVPCs, DPUVirtualNetworks, "
                    + "DPUServiceInterfaces, IsolationClasses; env VPC_KUBECONFIG).")
    private Path kubeconfig;

    @Option(names = "--dpu-kubeconfig", paramLabel = "FILE",
            description = "The DPU cluster's kubeconfig (ServiceInterfaces, Nodes; default: the host cluster's).")
    private Path dpuKubeconfig;

    @Option(names = "--in-cluster",
            description = "Watch the Kubernetes cluster this runs in, with its service account (a pod of k8s/deploy).")
    private boolean inCluster;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Config config = settings();
        ControllerProcess.Settings settings = ControllerProcess.Settings.from(config,
                ProjectPaths.projectRoot().resolve(".vpc").resolve("controller"));
        try (ControllerProcess process = ControllerProcess.start(settings, line -> {
            out.println(line);
            out.flush();
        })) {
            Runtime.getRuntime().addShutdownHook(new Thread(process::close, "controller-shutdown"));
            process.awaitTermination();
        }
        return 0;
    }

    Config settings() {
        Config options = ConfigFactory.empty();
        String p = "dpuvpc.controller.";
        if (apiPort != null) {
            options = options.withValue(p + "api.port", ConfigFactory.parseString("v=" + apiPort).getValue("v"));
        }
        if (apiHost != null) {
            options = options.withFallback(ConfigFactory.parseMap(java.util.Map.of(p + "api.host", apiHost)));
        }
        if (tokenFile != null) {
            options = options.withFallback(ConfigFactory.parseMap(java.util.Map.of(p + "api.token-file", tokenFile.toString())));
        }
        if (clusterPort != null) {
            options = options.withFallback(ConfigFactory.parseMap(java.util.Map.of(p + "cluster.port", clusterPort)));
        }
        if (seeds != null) {
            options = options.withFallback(ConfigFactory.parseMap(java.util.Map.of(p + "cluster.seed-nodes", seeds)));
        }
        if (cassandra != null) {
            options = options.withFallback(ConfigFactory.parseMap(java.util.Map.of(p + "cassandra.contact-points", cassandra)));
        }
        if (dpuKubeconfig != null && kubeconfig == null && !inCluster) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--dpu-kubeconfig needs --kubeconfig (or --in-cluster) for the host cluster");
        }
        for (Path file : new Path[] {kubeconfig, dpuKubeconfig}) {
            if (file != null && !Files.isReadable(file)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "kubeconfig " + file
                        + ": no such readable file");
            }
        }
        if (kubeconfig != null || inCluster) {
            java.util.Map<String, Object> k = new java.util.HashMap<>();
            k.put(p + "kubernetes.enabled", true);
            if (kubeconfig != null) {
                k.put(p + "kubernetes.kubeconfig", kubeconfig.toAbsolutePath().toString());
            }
            if (dpuKubeconfig != null) {
                k.put(p + "kubernetes.dpu-kubeconfig", dpuKubeconfig.toAbsolutePath().toString());
            }
            options = options.withFallback(ConfigFactory.parseMap(k));
        }
        Config file = ConfigFactory.empty();
        if (configFile != null) {
            if (!Files.isReadable(configFile)) {
                throw new IllegalArgumentException("--config " + configFile + ": no such readable file");
            }
            file = ConfigFactory.parseFile(configFile.toFile());
        }
        return options.withFallback(file).withFallback(ControllerProcess.defaults()).resolve();
    }
}
