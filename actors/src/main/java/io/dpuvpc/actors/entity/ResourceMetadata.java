package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.CborSerializable;
import java.time.Instant;

/**
 * The Kubernetes-like metadata every resource's status carries besides its generation.
 *
 * <ul>
 *   <li>{@code uid}: chosen (a random UUID) when the resource is created, kept by every change,
 *       and new when a deleted resource is created again, so it tells two lives of one name apart.
 *       A resource created before uids were recorded gets one derived from its key and the
 *       generation it was created with (see {@link ResourceBookkeeping#uid}).</li>
 *   <li>{@code creationTimestamp}: when it was created, from the entity's clock; null for a
 *       resource created before it was recorded (the journal never knew).</li>
 *   <li>{@code resourceVersion}: the sequence number of the last event the entity persisted, in
 *       decimal. It changes whenever anything persisted about the resource changes (its spec, and
 *       what it persists beside it: a VPC's networks, a network's interfaces, a
 *       DPUServiceInterface's children, a node's facts), never for conditions or other
 *       observations, which are not persisted. It only grows, across deletion and re-creation
 *       too, so a version read from an earlier life never matches. Clients compare it for
 *       equality only, as Kubernetes asks them to: its being a number is not part of the contract.</li>
 * </ul>
 *
 * <p>All three are null while the resource does not exist ({@link #NONE}).
 */
public record ResourceMetadata(String uid, Instant creationTimestamp, String resourceVersion) implements CborSerializable {

  /** The metadata of a resource that does not exist. */
  public static final ResourceMetadata NONE = new ResourceMetadata(null, null, null);
}
