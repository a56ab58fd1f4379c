package io.dpuvpc.k8s;

import io.dpuvpc.actors.model.ResourceKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ResourceSink} that records each call, for tests to await and inspect. Applies are
 * accepted at an entity generation of its own counting (from 100, so that tests see the two
 * counters differ); deletes complete at once.
 */
class RecordingSink implements ResourceSink {

    sealed interface Call permits Applied, Deleted, Labels {}

    record Applied(ResourceKey key, Object spec) implements Call {}

    record Deleted(ResourceKey key) implements Call {}

    record Labels(String node, Map<String, String> labels) implements Call {}

    final List<Call> calls = new CopyOnWriteArrayList<>();
    final AtomicLong entityGenerations = new AtomicLong(100);

    @Override
    public CompletionStage<Outcome> apply(ResourceKey key, Object spec) {
        calls.add(new Applied(key, spec));
        return CompletableFuture.completedFuture(new Outcome.Accepted(entityGenerations.incrementAndGet()));
    }

    @Override
    public CompletionStage<Void> delete(ResourceKey key) {
        calls.add(new Deleted(key));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void nodeLabels(String node, Map<String, String> labels) {
        calls.add(new Labels(node, labels));
    }

    List<Call> of(ResourceKey key) {
        return calls.stream().filter(c -> c instanceof Applied a && a.key().equals(key)
                || c instanceof Deleted d && d.key().equals(key)).toList();
    }
}
