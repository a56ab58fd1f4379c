package io.dpuvpc.actors.entity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.serialization.jackson.JacksonMigration;

/**
 * Reads {@link DpuVpcEntity.NetworkAttached} events of version 1, which held only the network and
 * its subnet. Version 2 added {@code externallyRouted} and {@code masquerade}, which the VPC's
 * gateways need. A version 1 event gets the spec's defaults (not externally routed, masqueraded):
 * the journal never knew better, and after recovery every network joins its VPC again with its
 * real flags, which the VPC then persists as a version 2 event when they differ.
 */
public final class NetworkAttachedMigration extends JacksonMigration {

  @Override
  public int currentVersion() {
    return 2;
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    if (fromVersion < 2 && json instanceof ObjectNode event) {
      if (!event.has("externallyRouted")) {
        event.put("externallyRouted", false);
      }
      if (!event.has("masquerade")) {
        event.put("masquerade", true);
      }
    }
    return json;
  }
}
