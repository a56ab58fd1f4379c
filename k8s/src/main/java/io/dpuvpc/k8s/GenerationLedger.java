package io.dpuvpc.k8s;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.validation.FieldError;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which Kubernetes generation each entity generation stands for, and the latest rejection.
 *
 * <p>The two counters differ: Kubernetes bumps {@code metadata.generation} on every spec change,
 * the entity on every change of its domain spec (for a ServiceInterface, labels and annotations
 * too), and after a controller restart the informers apply every object again, which the entity
 * accepts at its current generation. The conditions the entities compute carry their own
 * generation; the status written to Kubernetes must carry the object's, so each accepted apply
 * records the pair. In memory only: the informers' first listing after a restart refills it.
 */
public final class GenerationLedger {
    /** Pairs kept per resource: enough for applies in flight while the status lags behind. */
    static final int HISTORY = 16;

    /** A spec refused at this Kubernetes generation, by the validators or by the entity. */
    public record Rejection(long generation, List<FieldError> errors) {
        public Rejection {
            errors = List.copyOf(errors);
        }
    }

    private record Pair(long kubernetes, long entity) {}

    private static final class Book {
        final Deque<Pair> accepted = new ArrayDeque<>();
        Rejection rejection;
    }

    /** Guarded by this: calls come from informer threads and the status publisher's, and are short. */
    private final Map<ResourceKey, Book> books = new HashMap<>();

    public synchronized void accepted(ResourceKey key, long kubernetesGeneration, long entityGeneration) {
        books.compute(key, (k, book) -> {
            Book b = book == null ? new Book() : book;
            b.accepted.removeIf(p -> p.kubernetes() == kubernetesGeneration);
            b.accepted.addLast(new Pair(kubernetesGeneration, entityGeneration));
            while (b.accepted.size() > HISTORY) {
                b.accepted.removeFirst();
            }
            if (b.rejection != null && b.rejection.generation() <= kubernetesGeneration) {
                b.rejection = null;
            }
            return b;
        });
    }

    public synchronized void rejected(ResourceKey key, long kubernetesGeneration, List<FieldError> errors) {
        books.compute(key, (k, book) -> {
            Book b = book == null ? new Book() : book;
            if (b.rejection == null || b.rejection.generation() <= kubernetesGeneration) {
                b.rejection = new Rejection(kubernetesGeneration, errors);
            }
            return b;
        });
    }

    public synchronized void forget(ResourceKey key) {
        books.remove(key);
    }

    /** The rejection of the spec at {@code currentGeneration}, if that spec was refused. */
    public synchronized Optional<Rejection> rejection(ResourceKey key, long currentGeneration) {
        Book book = books.get(key);
        if (book == null) {
            return Optional.empty();
        }
        Rejection r = book.rejection;
        return r != null && r.generation() == currentGeneration ? Optional.of(r) : Optional.empty();
    }

    /**
     * The Kubernetes generation whose spec the entity held at {@code entityGeneration}: the latest
     * accepted one at or below it. Empty before any accepted apply (an owned ServiceInterface, or
     * a reply still in flight).
     */
    public synchronized OptionalLong kubernetesGeneration(ResourceKey key, long entityGeneration) {
        Book book = books.get(key);
        if (book == null) {
            return OptionalLong.empty();
        }
        long best = -1;
        long bestEntity = -1;
        for (Pair p : book.accepted) {
            if (p.entity() <= entityGeneration && (p.entity() > bestEntity
                    || (p.entity() == bestEntity && p.kubernetes() > best))) {
                best = p.kubernetes();
                bestEntity = p.entity();
            }
        }
        return best < 0 ? OptionalLong.empty() : OptionalLong.of(best);
    }
}
