package io.dpuvpc.actors.entity;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;

/**
 * The configuration of entity tests: Pekko's in-memory persistence test journal, and every
 * message through the Jackson CBOR serializer ({@code serialize-messages = on}) so that a message
 * that would not cross the wire between cluster nodes fails here.
 */
final class EntityTestConfig {
  private EntityTestConfig() {}

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
