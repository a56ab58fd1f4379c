package io.dpuvpc.http.document;

/** Field paths in the notation of Kubernetes and of our validators: {@code a.b[2].c}, {@code labels[key]}. */
final class FieldPaths {
    private FieldPaths() {}

    static String child(String parent, String field) {
        return parent.isEmpty() ? field : parent + "." + field;
    }

    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** A map entry, as the validators write them: {@code spec.parameters[ovn-nb-endpoint]}. */
    static String key(String parent, String key) {
        return parent + "[" + key + "]";
    }

    /** How a message names a path; the body itself has the empty path. */
    static String name(String path) {
        return path.isEmpty() ? "the body" : path;
    }
}
