package io.dpuvpc.k8s;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.validation.FieldError;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Where {@link ResourceInformers} delivers what the API servers hold, already in the domain's
 * terms and already checked by the domain's validators (an invalid spec never gets here: it gets a
 * False condition instead). The wiring implements it by asking the entities; the informers know
 * nothing of actors. Calls come from the informers' event threads: implementations must not block.
 */
public interface ResourceSink {

    /** What the entity said to an apply. */
    sealed interface Outcome {
        /** Persisted, or already so, at the entity's own {@code generation}. */
        record Accepted(long generation) implements Outcome {}

        /** Refused by the entity (an immutable field changed, a reference it checks): nothing changed. */
        record Rejected(List<FieldError> errors) implements Outcome {
            public Rejected {
                errors = List.copyOf(errors);
            }
        }
    }

    /**
     * The resource exists with this valid domain {@code spec} (see {@link DomainSpecs#of}).
     * Delivered again whenever the spec, or for a ServiceInterface its labels and annotations,
     * change; not for status-only updates or resyncs.
     */
    CompletionStage<Outcome> apply(ResourceKey key, Object spec);

    /**
     * The resource is being deleted: completes once the entity is gone and every OVN row it owned
     * has been removed, which is when {@link ResourceInformers} lets Kubernetes delete the object
     * (it holds it with its finalizer until then).
     */
    CompletionStage<Void> delete(ResourceKey key);

    /** A DPU cluster Node's labels, which DPUVPC, DPUVirtualNetwork and DPUServiceInterface node selectors match. */
    void nodeLabels(String node, Map<String, String> labels);
}
