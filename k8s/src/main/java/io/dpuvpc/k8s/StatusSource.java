package io.dpuvpc.k8s;

import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.model.ResourceKey;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where the status publisher reads what the entities know. The wiring implements it by asking the
 * entities; it must not block.
 */
public interface StatusSource {

    /** {@code key}'s entity now; empty when it does not exist. */
    CompletionStage<Optional<Observed>> status(ResourceKey key);

    /**
     * An entity's conditions at its own {@code generation}; for a ServiceInterface whether its
     * logical switch port is bound and its MAC (null while unknown); for a DPUServiceInterface the
     * children it placed.
     */
    record Observed(long generation, Conditions conditions, Boolean portConnected, String mac, List<Child> children) {
        public Observed {
            children = children == null ? List.of() : List.copyOf(children);
        }

        public static Observed of(long generation, Conditions conditions) {
            return new Observed(generation, conditions, null, null, List.of());
        }
    }

    /** A ServiceInterface a DPUServiceInterface placed on {@code node}. */
    record Child(String node, String name) {}
}
