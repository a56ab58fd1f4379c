package io.dpuvpc.app.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;

/**
 * How a controller node finds the rest of its cluster: by the seed nodes it was given (the
 * default, {@code vpc controller --seed}), or, in Kubernetes, through Pekko Management Cluster
 * Bootstrap with the Kubernetes API discovery: each replica lists the pods of its namespace that
 * carry the controller's label, asks their management endpoints (port 8558) whether a cluster
 * exists, and joins it or, with no cluster yet and all the required contact points seen, the one
 * with the lowest address forms it.
 *
 * <p>The switch is the setting {@value #SETTING} ({@code seed-nodes} or {@code kubernetes-api}),
 * or, where the config does not set it, the environment variable {@value #ENV}. With
 * {@code kubernetes-api} the node's config also takes {@value #RESOURCE} (the management and
 * discovery settings) and the node serves {@code /ready} (an Up member) and {@code /alive} on the
 * management port for the pod's probes.
 */
public final class ClusterBootstrapping {
  /** The setting that chooses the mode: {@value}. */
  public static final String SETTING = "dpuvpc.cluster.bootstrap";
  /** The environment variable read where the config does not set {@value #SETTING}: {@value}. */
  public static final String ENV = "VPC_CLUSTER_BOOTSTRAP";
  /** The management and discovery settings of the {@code kubernetes-api} mode: {@value}. */
  public static final String RESOURCE = "dpuvpc-kubernetes.conf";

  private ClusterBootstrapping() {}

  /** The ways a controller node joins its cluster. */
  public enum Mode {
    /** Join the configured seed nodes; none: form a new cluster alone. */
    SEED_NODES("seed-nodes"),
    /** Pekko Management Cluster Bootstrap with the Kubernetes API discovery. */
    KUBERNETES_API("kubernetes-api");

    private final String value;

    Mode(String value) {
      this.value = value;
    }

    /** The setting's value for this mode. */
    public String value() {
      return value;
    }

    static Mode of(String value, String source) {
      return Arrays.stream(values()).filter(m -> m.value.equals(value.strip())).findFirst()
          .orElseThrow(() -> new IllegalArgumentException(source + " = \"" + value + "\": expected "
              + Arrays.stream(values()).map(Mode::value).toList()));
    }
  }

  /**
   * The mode {@code config} sets at {@value #SETTING}, else the one {@code env} sets at
   * {@value #ENV}, else {@link Mode#SEED_NODES}.
   *
   * @throws IllegalArgumentException for any other value, naming where it came from
   */
  public static Mode mode(Config config, Map<String, String> env) {
    if (config.hasPath(SETTING)) {
      return Mode.of(config.getString(SETTING), SETTING);
    }
    String fromEnv = env.get(ENV);
    return fromEnv == null || fromEnv.isBlank() ? Mode.SEED_NODES : Mode.of(fromEnv, "environment " + ENV);
  }

  /** The settings {@code mode} adds to the node's config: {@value #RESOURCE} for kubernetes-api, else none. */
  public static Config config(Mode mode) {
    return mode == Mode.KUBERNETES_API
        ? ConfigFactory.parseResources(ClusterBootstrapping.class.getClassLoader(), RESOURCE)
        : ConfigFactory.empty();
  }

  /**
   * Starts the management HTTP endpoint (contact point and health checks) and Cluster Bootstrap on
   * {@code system}, which must have been created with {@link #config(Mode)} in its config. The
   * bootstrap goes on in the background; a management endpoint that cannot listen terminates the
   * system, since no other replica could then find this one (the pod is restarted).
   *
   * @return the management endpoint's address, once it listens
   * @throws IllegalStateException when the bootstrap cannot start (the Kubernetes API discovery
   *     reads the service account's CA certificate at once: outside a pod, or with
   *     automountServiceAccountToken off, it is missing); the system is terminated then
   */
  public static CompletionStage<Uri> start(ActorSystem<?> system) {
    CompletionStage<Uri> management;
    try {
      management = PekkoManagement.get(system).start();
      ClusterBootstrap.get(system).start();
    } catch (Exception e) { // the Scala code throws NoSuchFileException unchecked
      system.terminate();
      throw new IllegalStateException("Cluster Bootstrap cannot start (" + e
          + "): the kubernetes-api discovery needs the pod's service account token and CA"
          + " (pekko.discovery.kubernetes-api.api-ca-path, api-token-path)", e);
    }
    management.whenComplete((uri, failure) -> {
      if (failure != null) {
        system.log().error("Pekko Management could not start ({}); stopping this node", failure.toString());
        system.terminate();
      } else {
        system.log().info("Pekko Management at {}; Cluster Bootstrap looks for the other replicas", uri);
      }
    });
    return management;
  }
}
