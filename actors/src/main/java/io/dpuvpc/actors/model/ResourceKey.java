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

  @Override
  public String toString() {
    return namespace.isEmpty()
        ? kind.kindName() + "/" + name
        : kind.kindName() + "/" + namespace + "/" + name;
  }
}
