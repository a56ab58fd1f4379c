package io.dpuvpc.http.document;

import java.time.Instant;

/**
 * The metadata the server keeps for a resource, rendered beside the user's: uid, generation
 * (bumped when the spec changes), resourceVersion (an opaque string) and creationTimestamp. Any may
 * be unknown (null, or generation 0) and is then left out.
 */
public record Metadata(String uid, long generation, String resourceVersion, Instant creationTimestamp) {

    public static final Metadata NONE = new Metadata(null, 0, null, null);
}
