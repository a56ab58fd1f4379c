package io.dpuvpc.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.dpuvpc.app.cluster.ControllerNode;
import io.dpuvpc.persistence.cassandra.EmbeddedCassandra;
import io.dpuvpc.persistence.cassandra.LoopbackPorts;
import io.dpuvpc.persistence.cassandra.SharedCassandra;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.apache.pekko.cluster.MemberStatus;
import org.junit.jupiter.api.Test;

/**
 * A real controller node (Cassandra journal, shard regions) in the kubernetes-api mode: it joins
 * no seed node but forms its cluster through Cluster Bootstrap, and its management port answers the
 * pod's readiness probe once it is Up. The Kubernetes API discovery itself needs an API server (see
 * k8s/deploy/README.md for the run against one); here the bootstrap's discovery method is Pekko's
 * config discovery listing this node, everything else as shipped in dpuvpc-kubernetes.conf.
 */
class ControllerNodeBootstrapIT {
  @Test
  void aKubernetesModeNodeFormsItsClusterThroughBootstrapAndTurnsReady() throws Exception {
    EmbeddedCassandra cassandra = SharedCassandra.get();
    int management = LoopbackPorts.free();
    String keyspace = "bootstrap_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    Config overrides = ConfigFactory.parseString("""
            dpuvpc.cluster.bootstrap = kubernetes-api
            pekko.management.http.hostname = "127.0.0.1"
            pekko.management.http.port = %d
            pekko.management.cluster.bootstrap.contact-point-discovery {
              discovery-method = config
              required-contact-point-nr = 1
              stable-margin = 1s
            }
            pekko.discovery.config.services.dpu-vpc-controller.endpoints = [{host = "127.0.0.1", port = %d}]
            pekko.persistence.cassandra.journal.keyspace = %s
            pekko.persistence.cassandra.snapshot.keyspace = %s_snapshot
            """.formatted(management, management, keyspace, keyspace))
        .withFallback(ConfigFactory.parseString(cassandra.driverConfig()));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try (ControllerNode node = ControllerNode.start(ControllerNode.Settings.loopback("dpuvpc", 0, overrides), Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
          .until(() -> node.cluster().selfMember().status() == MemberStatus.up());
      await().atMost(Duration.ofSeconds(10)).until(() -> status(http, management, "/ready") == 200);
      assertThat(status(http, management, "/alive")).isEqualTo(200);
      assertThat(node.cluster().state().getMembers()).hasSize(1);
      assertThat(node.system().settings().config().getString("pekko.discovery.kubernetes-api.pod-label-selector"))
          .isEqualTo("app.kubernetes.io/name=%s");
    }
  }

  private static int status(HttpClient http, int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
