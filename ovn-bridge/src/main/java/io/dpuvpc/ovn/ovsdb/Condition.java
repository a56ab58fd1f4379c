package io.dpuvpc.ovn.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.UUID;

/**
 * A {@code <condition>} of a {@code where} clause (RFC 7047 section 5.1):
 * {@code [column, function, value]}.
 */
public record Condition(String column, String function, Object value) {
    public Condition {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(value, "value");
    }

    public static Condition eq(String column, Object value) {
        return new Condition(column, "==", value);
    }

    public static Condition ne(String column, Object value) {
        return new Condition(column, "!=", value);
    }

    public static Condition lt(String column, Object value) {
        return new Condition(column, "<", value);
    }

    public static Condition le(String column, Object value) {
        return new Condition(column, "<=", value);
    }

    public static Condition gt(String column, Object value) {
        return new Condition(column, ">", value);
    }

    public static Condition ge(String column, Object value) {
        return new Condition(column, ">=", value);
    }

    public static Condition includes(String column, Object value) {
        return new Condition(column, "includes", value);
    }

    public static Condition excludes(String column, Object value) {
        return new Condition(column, "excludes", value);
    }

    /** The row with this {@code _uuid}. */
    public static Condition uuid(UUID uuid) {
        return eq("_uuid", uuid);
    }

    public JsonNode toJson() {
        return OvsdbValues.JSON.arrayNode().add(column).add(function).add(OvsdbValues.toJson(value));
    }
}
