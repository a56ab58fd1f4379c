package io.dpuvpc.http.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.validation.FieldError;
import io.dpuvpc.http.document.DocumentException;
import io.dpuvpc.http.document.DocumentProblem;
import java.util.List;

/**
 * An error answer in the shape of Kubernetes' {@code Status} (what kubectl prints): HTTP code, a
 * CamelCase reason, a message that says what to do, and per field a cause with its path. Clients
 * that know Kubernetes read it without learning anything new.
 */
public record ApiStatus(int code, String reason, String message, ResourceKey key, List<Cause> causes) {

    /** One field's problem: {@code field} in Kubernetes notation, e.g. {@code spec.nodeSelector}. */
    public record Cause(String reason, String field, String message) {}

    public ApiStatus {
        causes = causes == null ? List.of() : List.copyOf(causes);
    }

    public static ApiStatus of(int code, String reason, String message) {
        return new ApiStatus(code, reason, message, null, List.of());
    }

    public static ApiStatus badDocument(DocumentException e) {
        int code = e.httpStatus();
        List<Cause> causes = e.problems().stream()
                .map(p -> new Cause(p.reason(), p.fieldPath(), p.message())).toList();
        return new ApiStatus(code, reasonOf(code), e.getMessage(), null, causes);
    }

    public static ApiStatus invalid(ResourceKey key, List<FieldError> errors) {
        List<Cause> causes = errors.stream().map(e -> new Cause(e.reason(), e.fieldPath(), e.message())).toList();
        String message = key.kind().kindName() + " \"" + key.name() + "\" is invalid: "
                + String.join("; ", errors.stream().map(FieldError::message).toList());
        return new ApiStatus(422, "Invalid", message, key, causes);
    }

    /** The problems of document {@code index} of a body, with their paths under {@code documents[index]}. */
    public static ApiStatus invalidDocument(int index, int count, ResourceKey key, List<FieldError> errors) {
        if (count == 1) {
            return invalid(key, errors);
        }
        String prefix = "documents[" + index + "]";
        List<Cause> causes = errors.stream()
                .map(e -> new Cause(e.reason(), DocumentProblem.of(prefix, e).fieldPath(), e.message())).toList();
        String message = "document " + index + " (" + key.kind().kindName() + " \"" + key.name() + "\") is invalid: "
                + String.join("; ", errors.stream().map(FieldError::message).toList());
        return new ApiStatus(422, "Invalid", message, key, causes);
    }

    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode status = f.objectNode();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure");
        status.put("message", message);
        status.put("reason", reason);
        if (key != null || !causes.isEmpty()) {
            ObjectNode details = status.putObject("details");
            if (key != null) {
                details.put("name", key.name());
                details.put("kind", key.kind().kindName());
            }
            if (!causes.isEmpty()) {
                ArrayNode list = details.putArray("causes");
                causes.forEach(c -> list.addObject().put("reason", c.reason()).put("field", c.field())
                        .put("message", c.message()));
            }
        }
        status.put("code", code);
        return status;
    }

    /** Kubernetes' reason for an HTTP code. */
    static String reasonOf(int code) {
        return switch (code) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 408 -> "Timeout";
            case 409 -> "Conflict";
            case 413 -> "RequestEntityTooLarge";
            case 415 -> "UnsupportedMediaType";
            case 422 -> "Invalid";
            case 503 -> "ServiceUnavailable";
            default -> "InternalError";
        };
    }
}
