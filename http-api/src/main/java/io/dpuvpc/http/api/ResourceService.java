package io.dpuvpc.http.api;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.validation.FieldError;
import io.dpuvpc.http.document.Document;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What the admin API asks of the controller, whatever hosts the entities (a cluster's shards, or
 * one process in tests). Every stage completes; a controller that does not answer in time fails
 * it with {@link Unavailable}, which the API answers with 503.
 */
public interface ResourceService {

    CompletionStage<ApplyOutcome> apply(Document document);

    /**
     * What applying {@code document} now would refuse (a stale resourceVersion, an immutable field
     * changed), decided from the current state without writing anything; empty when it would be
     * accepted. A body of several documents is checked whole with this before any is applied.
     */
    CompletionStage<Optional<ApplyOutcome>> check(Document document);

    CompletionStage<Optional<ResourceView>> get(ResourceKey key);

    /** Every resource of {@code kind}, in {@code namespace} when given, sorted by namespace and name. */
    CompletionStage<List<ResourceView>> list(ResourceKind kind, Optional<String> namespace);

    /** {@code resourceVersion}: delete only if the resource is still at that version. */
    CompletionStage<DeleteOutcome> delete(ResourceKey key, Optional<String> resourceVersion);

    sealed interface ApplyOutcome {
        /** Persisted ({@code changed}) or already so; {@code created}: it did not exist before. */
        record Applied(ResourceView view, boolean created, boolean changed) implements ApplyOutcome {}

        /** Refused by the entity (an immutable field changed, a reference broken): nothing written. */
        record Invalid(ResourceKey key, List<FieldError> errors) implements ApplyOutcome {}

        /** The resource is not at the resourceVersion the document was read at: nothing written. */
        record Conflict(ResourceKey key, String message) implements ApplyOutcome {}
    }

    sealed interface DeleteOutcome {
        record Deleted(ResourceKey key) implements DeleteOutcome {}

        record NotFound(ResourceKey key) implements DeleteOutcome {}

        record Conflict(ResourceKey key, String message) implements DeleteOutcome {}
    }

    /** The controller did not answer (not ready, journal unreachable, overloaded). */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
