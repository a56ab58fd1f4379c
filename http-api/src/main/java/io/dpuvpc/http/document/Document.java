package io.dpuvpc.http.document;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import io.dpuvpc.actors.model.TemplateMetadata;
import io.dpuvpc.actors.validation.FieldError;
import io.dpuvpc.actors.validation.SpecValidator;
import io.dpuvpc.actors.validation.LabelSelectorValidator;
import io.dpuvpc.actors.validation.Names;
import io.dpuvpc.actors.validation.ValidationReasons;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One resource as a client sent it: kind and apiVersion, key, labels and annotations, the
 * resourceVersion it was read at (for optimistic concurrency; absent on create) and its spec as the
 * domain record of {@link ServedKind#specType()}, null when the document had no spec.
 *
 * <p>A ServiceInterface's spec is a {@link ServiceInterfaceTemplate} whose metadata is this
 * document's labels and annotations: that is where the entity and its validator read the
 * unknown-mac annotation. The constructor holds the two equal.
 */
public record Document(
        ResourceKind kind,
        String apiVersion,
        ResourceKey key,
        Map<String, String> labels,
        Map<String, String> annotations,
        Optional<String> resourceVersion,
        Object spec) {

    public Document {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        ServedKind served = KindNames.of(kind);
        if (!served.apiVersion().equals(apiVersion)) {
            throw new IllegalArgumentException(kind.kindName() + " is served as " + served.apiVersion() + ", not " + apiVersion);
        }
        if (key.kind() != kind) {
            throw new IllegalArgumentException("key " + key + " is not of kind " + kind.kindName());
        }
        labels = sortedCopy(labels);
        annotations = sortedCopy(annotations);
        resourceVersion = resourceVersion == null ? Optional.empty() : resourceVersion;
        if (spec != null && !served.specType().isInstance(spec)) {
            throw new IllegalArgumentException(kind.kindName() + "'s spec is a " + served.specType().getSimpleName()
                    + ", not a " + spec.getClass().getSimpleName());
        }
        if (spec instanceof ServiceInterfaceTemplate template
                && !template.metadata().equals(new TemplateMetadata(labels, annotations))) {
            throw new IllegalArgumentException(
                    "a ServiceInterface's spec carries the document's labels and annotations: they differ");
        }
    }

    /** A document with the apiVersion its kind is served as. */
    public static Document of(ResourceKey key, Map<String, String> labels, Map<String, String> annotations,
                              Optional<String> resourceVersion, Object spec) {
        return new Document(key.kind(), KindNames.of(key.kind()).apiVersion(), key, labels, annotations,
                resourceVersion, spec);
    }

    /** The spec as {@code type}; throws when the document is of another kind. */
    public <T> T specAs(Class<T> type) {
        if (!KindNames.of(kind).specType().equals(type)) {
            throw new IllegalStateException(kind.kindName() + "'s spec is not a " + type.getSimpleName());
        }
        return type.cast(spec);
    }

    /**
     * The domain validators' errors for this document (paths such as {@code metadata.name} and
     * {@code spec.bridgedNetwork.ipam.ipv4.subnet}), with the namespace's and labels' format
     * checked as Kubernetes checks them. Empty when the document may be applied as far as it alone
     * can tell; references to other resources are checked when applied.
     */
    public List<FieldError> validate() {
        List<FieldError> errors = new ArrayList<>();
        if (!key.namespace().isEmpty() && !Names.isDns1123Label(key.namespace())) {
            errors.add(new FieldError("metadata.namespace", ValidationReasons.INVALID_NAME,
                    "metadata.namespace: \"" + key.namespace() + "\" is not a valid namespace: use at most "
                            + Names.LABEL_MAX + " lower-case letters, digits and '-', starting and ending with a letter or digit"));
        }
        errors.addAll(LabelSelectorValidator.validateLabels("metadata.labels", labels));
        String name = key.name();
        errors.addAll(SpecValidator.validate(kind, name, spec));
        return List.copyOf(errors);
    }

    private static Map<String, String> sortedCopy(Map<String, String> map) {
        return map == null || map.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(map));
    }
}
