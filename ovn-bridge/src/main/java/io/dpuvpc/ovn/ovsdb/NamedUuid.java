package io.dpuvpc.ovn.ovsdb;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A reference to a row inserted earlier in the same transaction by its {@code uuid-name}
 * (RFC 7047 section 5.1, {@code <named-uuid>}).
 */
public record NamedUuid(String name) {
    // Compiled once: String.matches would compile it for every row of every transaction.
    private static final Pattern ID = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    public NamedUuid {
        Objects.requireNonNull(name, "name");
        if (!ID.matcher(name).matches()) {
            throw new IllegalArgumentException("uuid-name '" + name + "' must be an <id>: a letter or '_' then letters, digits or '_' (RFC 7047 section 3.1)");
        }
    }
}
