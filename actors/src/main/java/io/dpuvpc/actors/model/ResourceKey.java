package io.dpuvpc.actors.model;

import io.dpuvpc.actors.CborSerializable;
import java.util.Objects;

/**
 * Identifies one resource: its kind, namespace ({@code ""} for cluster-scoped kinds) and name.
 *
 * <p>{@link #toString()} gives {@code Kind/namespace/name} (or {@code Kind/name} when cluster
 * scoped), usable as an entity id and in OVN {@code external_ids}.
 */
public record ResourceKey(ResourceKind kind, String namespace, String name) implements CborSerializable {

  public ResourceKey {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    namespace = namespace == null ? "" : namespace;
    if (kind.clusterScoped() && !namespace.isEmpty()) {
      throw new IllegalArgumentException(
          kind.kindName() + " is cluster scoped: its key takes no namespace, got \"" + namespace + "\"");
    }
    if (!kind.clusterScoped() && namespace.isEmpty()) {
      throw new IllegalArgumentException(kind.kindName() + " is namespaced: its key needs a namespace");
    }
  }

  public static ResourceKey clusterScoped(ResourceKind kind, String name) {
    return new ResourceKey(kind, "", name);
  }

  public static ResourceKey namespaced(ResourceKind kind, String namespace, String name) {
    return new ResourceKey(kind, namespace, name);
  }

  /** A key of another kind in the same namespace, as references by name resolve (e.g. vpcName). */
  public ResourceKey sibling(ResourceKind otherKind, String otherName) {
    return new ResourceKey(otherKind, otherKind.clusterScoped() ? "" : namespace, otherName);
  }

  /** The inverse of {@link #toString()}: {@code Kind/namespace/name} or {@code Kind/name}. */
  public static ResourceKey parse(String text) {
    String[] parts = text == null ? new String[0] : text.split("/", -1);
    if (parts.length < 2 || parts.length > 3) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a resource key: write Kind/namespace/name, or Kind/name when cluster scoped");
    }
    for (ResourceKind kind : ResourceKind.values()) {
      if (kind.kindName().equals(parts[0])) {
        return parts.length == 3 ? new ResourceKey(kind, parts[1], parts[2]) : new ResourceKey(kind, "", parts[1]);
      }
    }
    throw new IllegalArgumentException("\"" + parts[0] + "\" in \"" + text + "\" is not a resource kind");
  }

  /**
   * Written out, as are {@link #hashCode()}: every entity and the Northbound bridge key maps by
   * resource, and the record's generated methods go through method handles that showed in the
   * controller's profile under load ({@code vpc simulate}, docs/BENCHMARKS.md).
   */
  @Override
  public boolean equals(Object o) {
    return this == o || o instanceof ResourceKey other && kind == other.kind && name.equals(other.name)
        && namespace.equals(other.namespace);
  }

  /** The kind's ordinal, not its identity hash: the same in every JVM. */
  @Override
  public int hashCode() {
    return 31 * (31 * kind.ordinal() + namespace.hashCode()) + name.hashCode();
  }

  @Override
  public String toString() {
    return namespace.isEmpty()
        ? kind.kindName() + "/" + name
        : kind.kindName() + "/" + namespace + "/" + name;
  }
}
