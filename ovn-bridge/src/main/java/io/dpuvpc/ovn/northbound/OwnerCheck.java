package io.dpuvpc.ovn.northbound;

import io.dpuvpc.actors.model.ResourceKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Whether the resource that owns Northbound rows still exists. The bridge asks it about owners it
 * finds rows of but holds no intent for: rows of an owner that answers false are orphans (left by
 * a delete that happened while the controller was down, or by a crash between the delete and the
 * withdrawal) and are removed. An owner that cannot be checked is left alone.
 */
@FunctionalInterface
public interface OwnerCheck {

    CompletionStage<Boolean> exists(ResourceKey owner);

    /** Never collects: every owner is assumed to exist. */
    OwnerCheck NEVER_COLLECT = owner -> CompletableFuture.completedFuture(true);
}
