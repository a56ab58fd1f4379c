package io.dpuvpc.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.dpuvpc.app.cluster.ControllerProcess;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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

    private Config settings() {
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
