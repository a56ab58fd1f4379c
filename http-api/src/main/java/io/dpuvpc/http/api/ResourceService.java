package io.dpuvpc.http.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.validation.FieldError;
import io.dpuvpc.http.document.Document;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

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

    /**
     * {@code kind}'s resources (in {@code namespace} when given) as they change, until the stream
     * is cancelled: first every one that exists (ADDED), then each change (ADDED, MODIFIED,
     * DELETED). A watcher that cannot keep up gets an ERROR event (410) and the end of the stream,
     * and lists again; a controller that cannot start the watch, an ERROR event (503).
     */
    Source<WatchEvent, NotUsed> watch(ResourceKind kind, Optional<String> namespace);

    /** One event of a watch, as Kubernetes sends them: its type and the object (a Status for ERROR). */
    record WatchEvent(String type, ObjectNode object) {
        public static final String ADDED = "ADDED";
        public static final String MODIFIED = "MODIFIED";
        public static final String DELETED = "DELETED";
        public static final String ERROR = "ERROR";
    }

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
