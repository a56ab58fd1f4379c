package io.dpuvpc.app.client;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * An error the admin API answered: its Kubernetes {@code Status} (code, reason, message and the
 * causes' field paths), or for a body that is no Status (a proxy's page, a route that does not
 * exist) the HTTP code and the text. The exception's message is what {@code vpc} prints: the
 * Status message, then each cause on its own line.
 */
public final class AdminApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** YAML is a superset of JSON: one reader for error bodies of either format. */
    private static final ObjectMapper READER = new ObjectMapper(new YAMLFactory());

    /** One field's problem from {@code details.causes}; {@code field} may be empty. */
    public record Cause(String field, String message) {
        /** {@code field: message}, without repeating the field when the message starts with it. */
        public String line() {
            return field.isEmpty() || message.startsWith(field) ? message : field + ": " + message;
        }
    }

    private final int code;
    private final String reason;
    private final String statusMessage;
    private final List<Cause> causes;

    public AdminApiException(int code, String reason, String statusMessage, List<Cause> causes) {
        super(text(statusMessage, causes), null, false, false);
        this.code = code;
        this.reason = reason;
        this.statusMessage = statusMessage;
        this.causes = List.copyOf(causes);
    }

    /** The error of an answer with code {@code code} and this body (JSON or YAML Status, or anything). */
    public static AdminApiException of(int code, String body) {
        JsonNode status = statusOf(body);
        if (status == null) {
            String text = body == null ? "" : body.strip();
            return new AdminApiException(code, "", "the admin API answered HTTP " + code
                    + (text.isEmpty() ? "" : ": " + text), List.of());
        }
        List<Cause> causes = new ArrayList<>();
        for (JsonNode cause : status.path("details").path("causes")) {
            causes.add(new Cause(cause.path("field").asText(""), cause.path("message").asText("")));
        }
        String message = status.path("message").asText("");
        return new AdminApiException(code, status.path("reason").asText(""),
                message.isEmpty() ? "the admin API answered HTTP " + code : message, causes);
    }

    /** The same error with {@code context} before its message, e.g. which document it was about. */
    public AdminApiException withContext(String context) {
        return new AdminApiException(code, reason, context + ": " + statusMessage, causes);
    }

    public int code() {
        return code;
    }

    /** The Status's CamelCase reason, e.g. {@code NotFound}; empty when the body was no Status. */
    public String reason() {
        return reason;
    }

    public String statusMessage() {
        return statusMessage;
    }

    public List<Cause> causes() {
        return causes;
    }

    private static JsonNode statusOf(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode tree = READER.readTree(body);
            return tree != null && tree.isObject() && "Status".equals(tree.path("kind").asText()) ? tree : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private static String text(String message, List<Cause> causes) {
        StringBuilder text = new StringBuilder(message);
        causes.forEach(c -> text.append('\n').append(c.line()));
        return text.toString();
    }
}
