package io.dpuvpc.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A member restarted on its old address is let in on its second Join (the first makes the leader
 * down its old incarnation): controllers and node agents try again after 2 s, not Pekko's 10 s.
 * What it changes is measured by {@code vpc chaos} ("kill to new process ready"; docs/RELIABILITY.md).
 */
class ClusterJoinRetryTest {
  @Test
  void controllersAndNodeAgentsTryAJoinAgainAfterTwoSeconds() {
    Config controller = ControllerNode.config(ControllerNode.Settings.loopback("dpuvpc", 0, ConfigFactory.empty()));
    Config agent = NodeProcess.memberConfig("127.0.0.1", 0);
    for (Config config : new Config[] {controller, agent}) {
      assertThat(config.getDuration("pekko.cluster.retry-unsuccessful-join-after")).isEqualTo(Duration.ofSeconds(2));
    }
    assertThat(ConfigFactory.defaultReference().getDuration("pekko.cluster.retry-unsuccessful-join-after"))
        .as("Pekko's own default, which this overrides").isEqualTo(Duration.ofSeconds(10));
  }
}
