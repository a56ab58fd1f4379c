package io.dpuvpc.app.client;

import java.util.stream.Collectors;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.http.document.Document;
import io.dpuvpc.http.document.KindNames;
import io.dpuvpc.http.document.ServedKind;

/**
 * The admin API's resource paths ({@code /apis/{group}/{version}[/namespaces/{ns}]/{plural}[/{name}]})
 * and the names kubectl prints for resources ({@code dpuvpc.vpc.dpu.nvidia.com/bluevpc}).
 */
public final class ResourcePaths {
    private ResourcePaths() {}

    /** The kind a user typed (see {@link KindNames#resolve}); unknown names list the served ones. */
    public static ServedKind kind(String name) {
        return KindNames.resolve(name).orElseThrow(() -> new IllegalArgumentException("unknown kind \"" + name
                + "\": the admin API serves " + KindNames.served().stream().map(ServedKind::plural)
                .collect(Collectors.joining(", ")) + " (each also by its kind or singular name, e.g. DPUVPC or dpuvpc)"));
    }

    /**
     * The collection: in {@code namespace} for a namespaced kind, or across every namespace when
     * it is null; a cluster-scoped kind's ignores the namespace.
     */
    public static String collection(ServedKind kind, String namespace) {
        String prefix = "/apis/" + kind.group() + "/" + kind.version();
        return kind.namespaced() && namespace != null
                ? prefix + "/namespaces/" + namespace + "/" + kind.plural()
                : prefix + "/" + kind.plural();
    }

    /** One resource; {@code namespace} is required for a namespaced kind and ignored otherwise. */
    public static String item(ServedKind kind, String namespace, String name) {
        if (kind.namespaced() && (namespace == null || namespace.isEmpty())) {
            throw new IllegalArgumentException(kind.kindName() + " is namespaced: give the namespace of \"" + name + "\"");
        }
        return collection(kind, namespace) + "/" + name;
    }

    /** Where a document is applied or deleted. */
    public static String item(Document document) {
        ResourceKey key = document.key();
        return item(KindNames.of(document.kind()), key.namespace(), key.name());
    }

    /** {@code dpuvpc.vpc.dpu.nvidia.com/bluevpc}, as kubectl names a resource in its output. */
    public static String displayName(ServedKind kind, String name) {
        return kind.singular() + "." + kind.group() + "/" + name;
    }

    public static String displayName(Document document) {
        return displayName(KindNames.of(document.kind()), document.key().name());
    }
}
