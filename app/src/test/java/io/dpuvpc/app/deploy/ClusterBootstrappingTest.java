package io.dpuvpc.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import io.dpuvpc.ovn.lab.Pki;
import io.dpuvpc.app.cluster.ClusterBootstrapping;
import io.dpuvpc.app.cluster.ClusterBootstrapping.Mode;
import io.dpuvpc.app.cluster.ControllerNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The switch between seed nodes and Cluster Bootstrap, and what the kubernetes-api mode configures. */
class ClusterBootstrappingTest {
  private static final Config KUBERNETES = ConfigFactory.parseMap(Map.of(ClusterBootstrapping.SETTING, "kubernetes-api"));

  @Test
  void seedNodesUnlessTheConfigOrTheEnvironmentSaysKubernetesApi() {
    assertThat(ClusterBootstrapping.mode(ConfigFactory.empty(), Map.of())).isEqualTo(Mode.SEED_NODES);
    assertThat(ClusterBootstrapping.mode(ConfigFactory.empty(), Map.of(ClusterBootstrapping.ENV, "kubernetes-api")))
        .isEqualTo(Mode.KUBERNETES_API);
    assertThat(ClusterBootstrapping.mode(KUBERNETES, Map.of())).isEqualTo(Mode.KUBERNETES_API);
    // The config wins over the environment.
    assertThat(ClusterBootstrapping.mode(ConfigFactory.parseMap(Map.of(ClusterBootstrapping.SETTING, "seed-nodes")),
        Map.of(ClusterBootstrapping.ENV, "kubernetes-api"))).isEqualTo(Mode.SEED_NODES);
  }

  @Test
  void anUnknownModeIsAnErrorNamingWhereItCameFrom() {
    assertThatThrownBy(() -> ClusterBootstrapping.mode(ConfigFactory.parseMap(Map.of(ClusterBootstrapping.SETTING, "dns")), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dpuvpc.cluster.bootstrap = \"dns\"")
        .hasMessageContaining("kubernetes-api");
    assertThatThrownBy(() -> ClusterBootstrapping.mode(ConfigFactory.empty(), Map.of(ClusterBootstrapping.ENV, "k8s")))
        .hasMessageContaining("VPC_CLUSTER_BOOTSTRAP");
  }

  @Test
  void kubernetesApiSettingsLoadAndNameTheKubernetesApiDiscovery() {
    Config config = ClusterBootstrapping.config(Mode.KUBERNETES_API).withFallback(ConfigFactory.load()).resolve();
    assertThat(config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"))
        .isEqualTo("kubernetes-api");
    assertThat(config.getString("pekko.discovery.method")).isEqualTo("kubernetes-api");
    // The discovery method's section exists (from pekko-discovery-kubernetes-api) and names its class.
    assertThat(config.getString("pekko.discovery.kubernetes-api.class"))
        .isEqualTo("org.apache.pekko.discovery.kubernetes.KubernetesApiServiceDiscovery");
    assertThat(config.getString("pekko.discovery.kubernetes-api.pod-label-selector")).isEqualTo("app.kubernetes.io/name=%s");
    assertThat(config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.service-name"))
        .isEqualTo("dpu-vpc-controller");
    assertThat(config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.port-name")).isEqualTo("management");
    assertThat(config.getInt("pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr")).isEqualTo(3);
    assertThat(config.getInt("pekko.management.http.port")).isEqualTo(8558);
    assertThat(config.getString("pekko.management.health-checks.readiness-checks.cluster-membership"))
        .isEqualTo("org.apache.pekko.management.cluster.scaladsl.ClusterMembershipCheck");
    assertThat(config.getString("pekko.management.health-checks.readiness-path")).isEqualTo("ready");
    assertThat(config.getString("pekko.management.health-checks.liveness-path")).isEqualTo("alive");
    // No cluster management routes on the pod network.
    assertThat(config.getString("pekko.management.http.routes.cluster-management")).isEmpty();
    // Without VPC_MANAGEMENT_HOST the reference default stays (InetAddress.getLocalHost).
    assertThat(config.getString("pekko.management.http.hostname")).isEqualTo("<hostname>");
    assertThat(ClusterBootstrapping.config(Mode.SEED_NODES).isEmpty()).isTrue();
  }

  @Test
  void theEnvironmentVariablesTheManifestsSetOverrideTheDefaults() {
    Config env = ConfigFactory.parseMap(Map.of("VPC_CLUSTER_REQUIRED_CONTACT_POINTS", "5",
        "VPC_CLUSTER_BOOTSTRAP_SERVICE_NAME", "other", "VPC_MANAGEMENT_HOST", "10.1.2.3"));
    Config config = ClusterBootstrapping.config(Mode.KUBERNETES_API).withFallback(env)
        .resolve(ConfigResolveOptions.noSystem());
    assertThat(config.getInt("pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr")).isEqualTo(5);
    assertThat(config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.service-name")).isEqualTo("other");
    assertThat(config.getString("pekko.management.http.hostname")).isEqualTo("10.1.2.3");
  }

  @Test
  void aControllerNodeInKubernetesApiModeTakesTheManagementSettings() {
    ControllerNode.Settings kubernetes = ControllerNode.Settings.loopback("dpuvpc", 0, KUBERNETES);
    Config config = ControllerNode.config(kubernetes);
    assertThat(config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"))
        .isEqualTo("kubernetes-api");
    assertThat(config.getInt("pekko.management.http.port")).isEqualTo(8558);
    // The node's own settings still come first.
    assertThat(config.getString("pekko.remote.artery.canonical.hostname")).isEqualTo("127.0.0.1");
    assertThat(config.getStringList("pekko.cluster.roles")).containsExactly("controller");

    Config seeds = ControllerNode.config(ControllerNode.Settings.loopback("dpuvpc", 0, ConfigFactory.empty()));
    assertThat(seeds.getString("pekko.discovery.method")).isNotEqualTo("kubernetes-api");
  }

  /**
   * A real start of the management endpoint and Cluster Bootstrap (without a Kubernetes API
   * server its discovery fails and retries): /alive answers 200 and /ready 500 while this node is
   * no member of any cluster, the pods' probes as the manifests define them.
   */
  @Test
  void theManagementEndpointServesTheProbesAndBootstrapStarts(@TempDir Path dir) throws Exception {
    // The service account's files as a pod has them (the discovery reads the CA at start-up).
    Path ca = Pki.create(dir.resolve("pki")).caCertificate();
    Path token = Files.writeString(dir.resolve("token"), "not-a-real-token");
    Config config = loopbackSystem(Map.of("pekko.discovery.kubernetes-api.api-ca-path", ca.toString(),
        "pekko.discovery.kubernetes-api.api-token-path", token.toString()));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bootstrap-test", config);
    try {
      Uri uri = ClusterBootstrapping.start(system).toCompletableFuture().get(20, TimeUnit.SECONDS);
      String base = "http://127.0.0.1:" + uri.port();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      assertThat(status(http, base + "/alive")).isEqualTo(200);
      assertThat(status(http, base + "/ready")).isEqualTo(500);
      assertThat(ClusterBootstrap.get(system).settings().getContactPointDiscoveryMethod())
          .isEqualTo("kubernetes-api");
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** Outside a pod (no service account files) the start fails at once, saying why, and stops the system. */
  @Test
  void withoutTheServiceAccountFilesTheStartFailsAndSaysWhy(@TempDir Path dir) throws Exception {
    Config config = loopbackSystem(Map.of("pekko.discovery.kubernetes-api.api-ca-path",
        dir.resolve("missing-ca.crt").toString()));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bootstrap-test-no-sa", config);
    try {
      assertThatThrownBy(() -> ClusterBootstrapping.start(system))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("service account")
          .hasMessageContaining("missing-ca.crt");
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      system.terminate();
    }
  }

  /** A cluster-provider system on loopback and free ports, in kubernetes-api mode, with {@code settings} first. */
  private static Config loopbackSystem(Map<String, String> settings) {
    return ConfigFactory.parseMap(settings)
        .withFallback(ConfigFactory.parseString("""
            pekko.actor.provider = cluster
            pekko.remote.artery.canonical.hostname = "127.0.0.1"
            pekko.remote.artery.canonical.port = 0
            pekko.management.http.hostname = "127.0.0.1"
            pekko.management.http.port = 0
            pekko.management.cluster.bootstrap.contact-point-discovery.exponential-backoff-max = 2s
            pekko.coordinated-shutdown.exit-jvm = off
            """))
        .withFallback(ClusterBootstrapping.config(Mode.KUBERNETES_API))
        .withFallback(ConfigFactory.load()).resolve();
  }

  private static int status(HttpClient http, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
