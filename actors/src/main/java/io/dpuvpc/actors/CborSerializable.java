package io.dpuvpc.actors;

/**
 * Marker for the messages, events and state that Pekko serializes with Jackson CBOR.
 *
 * <p>The persistence and cluster configuration binds this interface to the {@code jackson-cbor}
 * serializer. Types implementing it must be plain immutable data: no cycles, no {@code Optional}
 * fields, immutable collection copies.
 */
public interface CborSerializable {}
