package io.dpuvpc.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CassandraPersistenceConfigTest {
  /**
   * The driver's own default waits up to 60 s between tries; a controller then refused writes for
   * 15 s after a 30 s outage had ended, and was all Ready 76 s after it (`vpc chaos`, BENCHMARKS.md).
   */
  @Test
  void theDriverTriesCassandraAgainAtMostFiveSecondsApartAfterAnOutage() {
    Config driver = CassandraPersistenceConfig.load(ConfigFactory.empty()).getConfig("datastax-java-driver");
    assertThat(driver.getString("advanced.reconnection-policy.class")).isEqualTo("ExponentialReconnectionPolicy");
    assertThat(driver.getDuration("advanced.reconnection-policy.base-delay")).isEqualTo(Duration.ofSeconds(1));
    assertThat(driver.getDuration("advanced.reconnection-policy.max-delay")).isEqualTo(Duration.ofSeconds(5));
    assertThat(driver.getBoolean("advanced.reconnect-on-init")).isTrue();
  }
}
