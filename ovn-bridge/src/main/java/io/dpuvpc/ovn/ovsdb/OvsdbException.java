package io.dpuvpc.ovn.ovsdb;

/** The root of everything this client throws or fails a future with. */
public class OvsdbException extends RuntimeException {
    public OvsdbException(String message) {
        super(message);
    }

    public OvsdbException(String message, Throwable cause) {
        super(message, cause);
    }
}
