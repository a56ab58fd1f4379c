package io.dpuvpc.ovn.ovsdb;

/**
 * The connection went away before the reply came. The request may or may not have been carried
 * out by the server: callers that retry must make their writes idempotent (or guard them with
 * {@code wait}).
 */
public class ConnectionClosedException extends OvsdbException {
    public ConnectionClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
