package io.dpuvpc.k8s;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.validation.FieldError;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link ResourceSink} that records each call, for tests to await and inspect. */
class RecordingSink implements ResourceSink {

    sealed interface Call permits Applied, Rejected, Deleted {
        ResourceKey key();
    }

    record Applied(ResourceKey key, Object spec, long generation) implements Call {}

    record Rejected(ResourceKey key, long generation, List<FieldError> errors) implements Call {}

    record Deleted(ResourceKey key) implements Call {}

    final List<Call> calls = new CopyOnWriteArrayList<>();

    @Override
    public void apply(ResourceKey key, Object spec, long generation) {
        calls.add(new Applied(key, spec, generation));
    }

    @Override
    public void reject(ResourceKey key, long generation, List<FieldError> errors) {
        calls.add(new Rejected(key, generation, errors));
    }

    @Override
    public void delete(ResourceKey key) {
        calls.add(new Deleted(key));
    }

    List<Call> of(ResourceKey key) {
        return calls.stream().filter(c -> c.key().equals(key)).toList();
    }
}
