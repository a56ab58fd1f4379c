package io.dpuvpc.http.api;

import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.http.document.Document;
import io.dpuvpc.http.document.MediaKind;
import io.dpuvpc.http.document.Metadata;
import io.dpuvpc.http.document.ResourceDocuments;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * An in-memory {@link ResourceService} for the routes' unit tests: a map of {@link ResourceView}s.
 * It records every call it was given ({@link #applied}, {@link #deleted}, {@link #listed}), and a
 * test can script its answers: {@link #onApply} / {@link #onDelete} / {@link #onRead} replace the
 * default behaviour for a call (answer Invalid or Conflict, fail with {@link
 * ResourceService.Unavailable}, or return a stage that never completes: a hang).
 */
final class FakeResourceService implements ResourceService {

    /** One list call: the kind and the namespace it was asked for. */
    record Listed(ResourceKind kind, Optional<String> namespace) {}

    /** One delete call: the key and the resourceVersion guard. */
    record Deleted(ResourceKey key, Optional<String> resourceVersion) {}

    final Map<ResourceKey, ResourceView> resources = new ConcurrentHashMap<>();
    final List<Document> applied = new CopyOnWriteArrayList<>();
    final List<Deleted> deleted = new CopyOnWriteArrayList<>();
    final List<Listed> listed = new CopyOnWriteArrayList<>();
    private final AtomicLong versions = new AtomicLong(100);

    /** When it answers non-null, that is the answer to apply (the default stores the document). */
    volatile Function<Document, CompletionStage<ApplyOutcome>> onApply = d -> null;
    /** When it answers non-null, that is the answer to delete. */
    volatile Function<ResourceKey, CompletionStage<DeleteOutcome>> onDelete = k -> null;
    /** When non-null, every get and list fails with it (thrown from the stage). */
    volatile RuntimeException onRead;

    /** A view of {@code document} as the controller would hold it, at {@code resourceVersion}. */
    static ResourceView viewOf(Document document, String resourceVersion, Conditions conditions) {
        return new ResourceView(document.key(), document.labels(), document.annotations(), document.spec(),
                new Metadata("uid-" + document.key().name(), 1, resourceVersion, Instant.parse("2025-06-17T13:51:40Z")),
                conditions, Map.of());
    }

    /** Stores the documents of {@code yaml} (namespaced ones without a namespace in "default") as they are. */
    FakeResourceService seed(String yaml) {
        for (Document d : ResourceDocuments.parse(yaml, MediaKind.YAML)) {
            resources.put(d.key(), viewOf(d, "7", Conditions.EMPTY));
        }
        return this;
    }

    static <T> CompletionStage<T> unavailable(String message) {
        return CompletableFuture.failedFuture(new Unavailable(message, null));
    }

    @Override
    public CompletionStage<ApplyOutcome> apply(Document document) {
        applied.add(document);
        CompletionStage<ApplyOutcome> scripted = onApply.apply(document);
        if (scripted != null) {
            return scripted;
        }
        boolean created = !resources.containsKey(document.key());
        ResourceView view = viewOf(document, Long.toString(versions.incrementAndGet()), Conditions.EMPTY);
        resources.put(document.key(), view);
        return CompletableFuture.completedFuture(new ApplyOutcome.Applied(view, created, true));
    }

    /** What {@link #check} answers per document; by default nothing is refused in advance. */
    volatile Function<Document, Optional<ApplyOutcome>> onCheck = d -> Optional.empty();
    final List<Document> checked = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<Optional<ApplyOutcome>> check(Document document) {
        checked.add(document);
        return CompletableFuture.completedFuture(onCheck.apply(document));
    }

    @Override
    public CompletionStage<Optional<ResourceView>> get(ResourceKey key) {
        if (onRead != null) {
            return CompletableFuture.failedFuture(onRead);
        }
        return CompletableFuture.completedFuture(Optional.ofNullable(resources.get(key)));
    }

    /** What a watch sends after the ADDED events of what exists; by default nothing, and it never ends. */
    volatile org.apache.pekko.stream.javadsl.Source<WatchEvent, org.apache.pekko.NotUsed> afterAdded =
            org.apache.pekko.stream.javadsl.Source.<WatchEvent>maybe().mapMaterializedValue(p -> org.apache.pekko.NotUsed.getInstance());

    @Override
    public org.apache.pekko.stream.javadsl.Source<WatchEvent, org.apache.pekko.NotUsed> watch(ResourceKind kind,
                                                                                           Optional<String> namespace) {
        return org.apache.pekko.stream.javadsl.Source.completionStage(list(kind, namespace))
                .mapConcat(views -> views.stream().map(v -> new WatchEvent(WatchEvent.ADDED, v.render())).toList())
                .concat(afterAdded);
    }

    @Override
    public CompletionStage<List<ResourceView>> list(ResourceKind kind, Optional<String> namespace) {
        listed.add(new Listed(kind, namespace));
        if (onRead != null) {
            return CompletableFuture.failedFuture(onRead);
        }
        return CompletableFuture.completedFuture(resources.values().stream()
                .filter(v -> v.key().kind() == kind)
                .filter(v -> namespace.map(ns -> ns.equals(v.key().namespace())).orElse(true))
                .sorted(Comparator.comparing((ResourceView v) -> v.key().namespace()).thenComparing(v -> v.key().name()))
                .toList());
    }

    @Override
    public CompletionStage<DeleteOutcome> delete(ResourceKey key, Optional<String> resourceVersion) {
        deleted.add(new Deleted(key, resourceVersion));
        CompletionStage<DeleteOutcome> scripted = onDelete.apply(key);
        if (scripted != null) {
            return scripted;
        }
        ResourceView view = resources.get(key);
        if (view == null) {
            return CompletableFuture.completedFuture(new DeleteOutcome.NotFound(key));
        }
        if (resourceVersion.isPresent() && !resourceVersion.get().equals(view.metadata().resourceVersion())) {
            return CompletableFuture.completedFuture(new DeleteOutcome.Conflict(key, key.kind().kindName() + " \""
                    + key.name() + "\" is at resourceVersion " + view.metadata().resourceVersion() + ", not "
                    + resourceVersion.get() + ": read it again"));
        }
        resources.remove(key);
        return CompletableFuture.completedFuture(new DeleteOutcome.Deleted(key));
    }
}
