package io.dpuvpc.http.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpuvpc.actors.changes.ChangeFeed;
import io.dpuvpc.actors.changes.ChangeSubscription;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.http.api.ResourceService.WatchEvent;
import io.dpuvpc.http.document.KindNames;
import io.dpuvpc.http.document.ServedKind;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Source;

/**
 * One watch of a kind, as a stream: it subscribes to the members' change feeds
 * ({@link ChangeSubscription}), lists what exists once every feed has confirmed (ADDED events),
 * then reads each resource it is told may have changed and sends it when what it would send
 * differs from what it sent last (MODIFIED, DELETED when gone). The list therefore misses no
 * change: one that comes before the list is read is in it, and one that comes after is told.
 *
 * <p>Keys told while reads are in flight are gathered and deduplicated, so a resource that
 * changes often is read at the pace the watcher reads, not the pace it changes. Up to
 * {@link #BUFFER} keys may wait; beyond that the watcher is too far behind, and it gets an ERROR
 * event (410 Expired, as Kubernetes answers) and the end of the stream, to list again.
 *
 * <p>It remembers a 64-bit hash per resource, not the resource: a watch of 100,000 interfaces
 * holds a few megabytes.
 */
final class ResourceWatch {
    static final int BUFFER = 1 << 20;

    /** Thrown into the stream when the keys waiting to be read overflow {@link #BUFFER}. */
    static final class Behind extends RuntimeException {
        Behind() {
            super("the watch fell more than " + BUFFER + " changes behind: list again and watch from there");
        }
    }

    private final ResourceKind kind;
    private final Optional<String> namespace;
    private final Function<ResourceKey, CompletionStage<Optional<ResourceView>>> read;
    private final Supplier<CompletionStage<List<ResourceView>>> list;
    private final int parallelReads;
    // What was sent last, per resource: the hash of its rendered document.
    private final Map<ResourceKey, Long> sent = new ConcurrentHashMap<>();
    // How many reads of each resource were issued: an answer counts only if it is of the last one.
    private final Map<ResourceKey, Long> reads = new ConcurrentHashMap<>();

    /** A read's answer, numbered among the reads of its resource. */
    private record Answer(ResourceKey key, long number, Optional<ResourceView> view) {
        boolean latest(Map<ResourceKey, Long> reads) {
            return reads.getOrDefault(key, 0L) == number;
        }
    }

    ResourceWatch(ResourceKind kind, Optional<String> namespace, Function<ResourceKey, CompletionStage<Optional<ResourceView>>> read,
                  Supplier<CompletionStage<List<ResourceView>>> list, int parallelReads) {
        this.kind = kind;
        this.namespace = namespace;
        this.read = read;
        this.list = list;
        this.parallelReads = parallelReads;
    }

    /** The events; {@code subscribeWithin}: how long the feeds have to confirm before the watch fails (503). */
    Source<WatchEvent, NotUsed> events(ActorSystem<?> system, Duration subscribeWithin) {
        return Source.<WatchEvent, NotUsed>fromMaterializer((materializer, attributes) -> {
            Pair<BoundedSourceQueue<ResourceKey>, Source<ResourceKey, NotUsed>> told =
                    Source.<ResourceKey>queue(BUFFER).preMaterialize(materializer);
            BoundedSourceQueue<ResourceKey> queue = told.first();
            ChangeSubscription subscription = ChangeSubscription.open(system,
                    new ChangeFeed.Filter(kind, namespace.orElse("")), keys -> {
                        for (ResourceKey key : keys) {
                            if (queue.offer(key) == QueueOfferResult.dropped()) {
                                queue.fail(new Behind());
                                return;
                            }
                        }
                    });
            CompletionStage<List<ResourceView>> existing = subscription.ready().toCompletableFuture()
                    .orTimeout(subscribeWithin.toMillis(), TimeUnit.MILLISECONDS)
                    .handle((done, failure) -> failure)
                    .thenCompose(failure -> failure == null ? list.get() : CompletableFuture.failedFuture(
                            new ResourceService.Unavailable("the controllers' change feeds did not confirm the watch within "
                                    + subscribeWithin.toSeconds() + " s: try again", failure)));
            Source<WatchEvent, NotUsed> added = Source.completionStage(existing)
                    .mapConcat(views -> views.stream().map(this::added).toList());
            Source<WatchEvent, NotUsed> changed = told.second()
                    .conflateWithSeed(key -> {
                        LinkedHashSet<ResourceKey> keys = new LinkedHashSet<>();
                        keys.add(key);
                        return keys;
                    }, (keys, key) -> {
                        keys.add(key);
                        return keys;
                    })
                    .mapConcat(keys -> keys)
                    // Unordered: one slow read (an entity recovering, or busy persisting) must not
                    // hold back every answer after it. Of two reads of one resource in flight, only
                    // the later one's answer counts (it saw at least what the earlier one saw).
                    .mapAsyncUnordered(parallelReads, key -> {
                        long number = reads.merge(key, 1L, Long::sum);
                        return read.apply(key).thenApply(view -> new Answer(key, number, view));
                    })
                    .mapConcat(answer -> answer.latest(reads) ? changed(answer.key(), answer.view()).stream().toList()
                            : List.<WatchEvent>of());
            return added.concat(changed)
                    // The answer's headers are out once the stream runs: a failure is told as an event.
                    .recover(new PFBuilder<Throwable, WatchEvent>()
                            .match(Behind.class, e -> error(410, "Expired", e.getMessage()))
                            .match(ResourceService.Unavailable.class, e -> error(503, "ServiceUnavailable", e.getMessage()))
                            .build())
                    .watchTermination((notUsed, done) -> {
                        done.whenComplete((d, failure) -> {
                            subscription.close();
                            queue.complete();
                        });
                        return NotUsed.getInstance();
                    });
        }).mapMaterializedValue(ignored -> NotUsed.getInstance());
    }

    private WatchEvent added(ResourceView view) {
        ObjectNode object = view.render();
        sent.put(view.key(), hash(object.toString()));
        return new WatchEvent(WatchEvent.ADDED, object);
    }

    /** The event {@code key}'s resource now calls for, if any: nothing when it looks as last sent. */
    private Optional<WatchEvent> changed(ResourceKey key, Optional<ResourceView> view) {
        if (view.isEmpty()) {
            return sent.remove(key) == null ? Optional.empty() : Optional.of(new WatchEvent(WatchEvent.DELETED, deleted(key)));
        }
        ObjectNode object = view.get().render();
        long now = hash(object.toString());
        Long before = sent.put(key, now);
        if (before != null && before == now) {
            return Optional.empty();
        }
        return Optional.of(new WatchEvent(before == null ? WatchEvent.ADDED : WatchEvent.MODIFIED, object));
    }

    /** A deleted resource's last event carries its identity only: the watch keeps no copy of it. */
    private static ObjectNode deleted(ResourceKey key) {
        ServedKind served = KindNames.of(key.kind());
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        object.put("apiVersion", served.apiVersion());
        object.put("kind", served.kindName());
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("name", key.name());
        if (!key.namespace().isEmpty()) {
            metadata.put("namespace", key.namespace());
        }
        return object;
    }

    static WatchEvent error(int code, String reason, String message) {
        return new WatchEvent(WatchEvent.ERROR, ApiStatus.of(code, reason, message).toJson());
    }

    /** FNV-1a, 64 bits: a change that renders differently is told, with a chance of 2^-64 of being missed. */
    static long hash(String text) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            h ^= text.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
