package io.dpuvpc.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A member restarted on its old address tries its Join again after Pekko's 10 s, not sooner: with
 * 2 s its shard regions registered while the coordinators still held its old incarnation's, and
 * messages to shards homed there were lost for minutes ({@code vpc chaos}, docs/RELIABILITY.md).
 */
class ClusterJoinRetryTest {
  @Test
  void controllersAndNodeAgentsKeepPekkosTenSecondsBetweenJoins() {
    Config controller = ControllerNode.config(ControllerNode.Settings.loopback("dpuvpc", 0, ConfigFactory.empty()));
    Config agent = NodeProcess.memberConfig("127.0.0.1", 0);
    for (Config config : new Config[] {controller, agent}) {
      assertThat(config.getDuration("pekko.cluster.retry-unsuccessful-join-after")).isEqualTo(Duration.ofSeconds(10));
    }
  }
}
