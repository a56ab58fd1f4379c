package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.assertj.core.api.RecursiveComparisonAssert;

/**
 * The configuration of entity tests: Pekko's in-memory persistence test journal, and every
 * message through the Jackson CBOR serializer ({@code serialize-messages = on}) so that a message
 * that would not cross the wire between cluster nodes fails here.
 */
final class EntityTestConfig {
  private EntityTestConfig() {}

  /**
   * The fields a creation fills with a random uid and the clock's time, and the status's metadata
   * built from them: tests that pin commands, events and states compare without them;
   * ResourceMetadataTest pins them.
   */
  static final String[] METADATA = {"uid", "creationTimestamp", "metadata"};

  /** Compares {@code actual} field by field without {@link #METADATA}. */
  static RecursiveComparisonAssert<?> assertWithoutMetadata(Object actual) {
    return assertThat(actual).usingRecursiveComparison().ignoringFields(METADATA);
  }

  static Config config() {
    return ConfigFactory.parseString("""
        pekko.actor.serialization-bindings { "io.dpuvpc.actors.CborSerializable" = jackson-cbor }
        pekko.actor.serialize-messages = on
        pekko.actor.no-serialization-verification-needed-class-prefix = ["org.apache.pekko."]
        # Soon enough for a test to see a relabelled node's interface withdrawn.
        dpuvpc.entities.service-interface-refresh = 1s
        """).withFallback(PersistenceTestKitPlugin.getInstance().config()).withFallback(ConfigFactory.load());
  }

  /** Retries {@code assertion} for up to 10 s: entities look their prerequisites up asynchronously. */
  static void eventually(Runnable assertion) {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
