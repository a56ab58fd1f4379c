package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.CborSerializable;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@code NetworkAttached} event written by version 1 (network and subnet only, manifest without
 * a version) is still read, through {@link NetworkAttachedMigration} configured in the module's
 * reference.conf, with the spec's defaults for the flags version 2 added.
 */
class NetworkAttachedMigrationTest {
  @RegisterExtension
  final EntityHarness h = new EntityHarness();

  /** The shape of the event as version 1 wrote it, field for field. */
  record NetworkAttachedV1(String network, String subnet) implements CborSerializable {}

  private Serialization serialization() {
    return SerializationExtension.get(h.testKit.system());
  }

  @Test
  void versionOneEventIsReadWithTheSpecDefaults() {
    Serialization serialization = serialization();
    var v1 = new NetworkAttachedV1("red-a", "192.178.0.0/16");
    byte[] bytes = serialization.serialize(v1).get();
    int serializerId = serialization.findSerializerFor(v1).identifier();
    // Version 1 had no migration, so its manifest was the bare class name.
    String v1Manifest = DpuVpcEntity.NetworkAttached.class.getName();

    Object read = serialization.deserialize(bytes, serializerId, v1Manifest).get();

    assertThat(read).isEqualTo(new DpuVpcEntity.NetworkAttached("red-a", "192.178.0.0/16", false, true));
  }

  @Test
  void versionTwoIsWrittenWithItsVersionAndRoundTrips() {
    Serialization serialization = serialization();
    var v2 = new DpuVpcEntity.NetworkAttached("red-a", "192.178.0.0/16", true, false);
    var serializer = serialization.findSerializerFor(v2);

    assertThat(Serializers.manifestFor(serializer, v2)).isEqualTo(DpuVpcEntity.NetworkAttached.class.getName() + "#2");
    byte[] bytes = serialization.serialize(v2).get();
    assertThat(serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, v2)).get())
        .isEqualTo(v2);
  }

  @Test
  void withoutTheMigrationVersionOneWouldLoseTheMasqueradeDefault() {
    // Why the migration exists: Jackson fills a missing primitive with false, which for masquerade
    // would silently turn NAT off for every network attached before version 2.
    var migration = new NetworkAttachedMigration();
    var json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("network", "n").put("subnet", "s");
    assertThat(migration.transform(1, json).get("masquerade").asBoolean()).isTrue();
    assertThat(migration.transform(1, json.deepCopy().put("masquerade", false)).get("masquerade").asBoolean()).isFalse();
  }
}
