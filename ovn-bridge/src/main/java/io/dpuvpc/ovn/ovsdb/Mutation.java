package io.dpuvpc.ovn.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** A {@code <mutation>} (RFC 7047 section 5.1): {@code [column, mutator, value]}. */
public record Mutation(String column, String mutator, Object value) {
    public Mutation {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(mutator, "mutator");
        Objects.requireNonNull(value, "value");
    }

    /** Adds elements to a set, or key/value pairs to a map (existing keys keep their value). */
    public static Mutation insert(String column, Object value) {
        return new Mutation(column, "insert", value);
    }

    /** Removes elements from a set, map keys (a set of keys) or exact pairs (a map). */
    public static Mutation delete(String column, Object value) {
        return new Mutation(column, "delete", value);
    }

    public static Mutation add(String column, Object value) {
        return new Mutation(column, "+=", value);
    }

    public static Mutation subtract(String column, Object value) {
        return new Mutation(column, "-=", value);
    }

    public static Mutation multiply(String column, Object value) {
        return new Mutation(column, "*=", value);
    }

    public static Mutation divide(String column, Object value) {
        return new Mutation(column, "/=", value);
    }

    public static Mutation remainder(String column, Object value) {
        return new Mutation(column, "%=", value);
    }

    public JsonNode toJson() {
        return OvsdbValues.JSON.arrayNode().add(column).add(mutator).add(OvsdbValues.toJson(value));
    }
}
