package io.dpuvpc.k8s;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.validation.FieldError;
import java.util.List;

/**
 * Where {@link ResourceInformers} delivers what the API server holds, already in the domain's
 * terms. The wiring implements it by sending commands to the entities; the informers know nothing
 * of actors. Calls come from the informers' event threads, one at a time per kind: implementations
 * must not block.
 */
public interface ResourceSink {

    /**
     * The resource exists with this valid domain {@code spec} (see {@link DomainSpecs#of}) at this
     * {@code generation}. Delivered again whenever the spec, or for a ServiceInterface its labels
     * and annotations, change; not for status-only updates or resyncs.
     */
    void apply(ResourceKey key, Object spec, long generation);

    /**
     * The resource exists but its spec breaks the domain's rules: {@code errors} name the fields,
     * for a False condition at {@code generation}.
     */
    void reject(ResourceKey key, long generation, List<FieldError> errors);

    /** The resource is gone. */
    void delete(ResourceKey key);
}
