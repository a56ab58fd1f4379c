package io.dpuvpc.ovn.ovsdb;

import java.util.Locale;

/**
 * The server answered with an error: a JSON-RPC {@code error} (e.g. "unknown database") or an
 * operation {@code error} inside a transaction result (RFC 7047 sections 3.1 and 5.2). The
 * subclasses name the errors callers act on; {@link #of} picks the one for an error string.
 */
public class OvsdbErrorException extends OvsdbException {
    private final String error;
    private final String details;

    public OvsdbErrorException(String error, String details, String context) {
        super(context + ": " + error + (details == null || details.isEmpty() ? "" : " (" + details + ")"));
        this.error = error;
        this.details = details;
    }

    /** The RFC 7047 error string, e.g. "constraint violation". */
    public String error() {
        return error;
    }

    /** The server's free-text details, or null. */
    public String details() {
        return details;
    }

    /** The typed exception for an RFC 7047 error string. */
    public static OvsdbErrorException of(String error, String details, String context) {
        return switch (error.toLowerCase(Locale.ROOT)) {
            case "referential integrity violation" -> new ReferentialIntegrityViolation(error, details, context);
            case "constraint violation" -> new ConstraintViolation(error, details, context);
            case "resources exhausted" -> new ResourcesExhausted(error, details, context);
            case "i/o error" -> new IoError(error, details, context);
            case "duplicate uuid-name" -> new DuplicateUuidName(error, details, context);
            case "domain error" -> new DomainError(error, details, context);
            case "range error" -> new RangeError(error, details, context);
            case "timed out" -> new TimedOut(error, details, context);
            case "not supported" -> new NotSupported(error, details, context);
            case "aborted" -> new Aborted(error, details, context);
            case "not owner" -> new NotOwner(error, details, context);
            case "unknown database" -> new UnknownDatabase(error, details, context);
            case "unknown method" -> new UnknownMethod(error, details, context);
            default -> new OvsdbErrorException(error, details, context);
        };
    }

    /** A row still referenced by a strong reference would be deleted, or a reference dangles. */
    public static final class ReferentialIntegrityViolation extends OvsdbErrorException {
        ReferentialIntegrityViolation(String e, String d, String c) { super(e, d, c); }
    }

    /** A value violates its column's constraints or a table's index (a duplicate name, say). */
    public static final class ConstraintViolation extends OvsdbErrorException {
        ConstraintViolation(String e, String d, String c) { super(e, d, c); }
    }

    public static final class ResourcesExhausted extends OvsdbErrorException {
        ResourcesExhausted(String e, String d, String c) { super(e, d, c); }
    }

    public static final class IoError extends OvsdbErrorException {
        IoError(String e, String d, String c) { super(e, d, c); }
    }

    public static final class DuplicateUuidName extends OvsdbErrorException {
        DuplicateUuidName(String e, String d, String c) { super(e, d, c); }
    }

    public static final class DomainError extends OvsdbErrorException {
        DomainError(String e, String d, String c) { super(e, d, c); }
    }

    public static final class RangeError extends OvsdbErrorException {
        RangeError(String e, String d, String c) { super(e, d, c); }
    }

    /** A {@code wait} operation's condition did not hold before its timeout. */
    public static final class TimedOut extends OvsdbErrorException {
        TimedOut(String e, String d, String c) { super(e, d, c); }
    }

    public static final class NotSupported extends OvsdbErrorException {
        NotSupported(String e, String d, String c) { super(e, d, c); }
    }

    /** The transaction held an {@code abort} operation. */
    public static final class Aborted extends OvsdbErrorException {
        Aborted(String e, String d, String c) { super(e, d, c); }
    }

    /** An {@code assert} named a lock this session does not own. */
    public static final class NotOwner extends OvsdbErrorException {
        NotOwner(String e, String d, String c) { super(e, d, c); }
    }

    public static final class UnknownDatabase extends OvsdbErrorException {
        UnknownDatabase(String e, String d, String c) { super(e, d, c); }
    }

    /** The server does not know the JSON-RPC method (older servers lack the monitor extensions). */
    public static final class UnknownMethod extends OvsdbErrorException {
        UnknownMethod(String e, String d, String c) { super(e, d, c); }
    }
}
