package io.dpuvpc.simulator.ovs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error the emulated server answers with: RFC 7047's {@code error} string ("constraint
 * violation", "unknown database" ...) and free-text {@code details}, as one operation's result
 * or as a JSON-RPC error.
 */
final class OvsdbRequestException extends RuntimeException {
    private final String error;

    OvsdbRequestException(String error, String details) {
        super(details);
        this.error = error;
    }

    String error() {
        return error;
    }

    /** {@code {"error": ..., "details": ...}}, the shape of both an operation's and a JSON-RPC error. */
    ObjectNode toJson() {
        return JsonNodeFactory.instance.objectNode().put("error", error).put("details", getMessage());
    }
}
