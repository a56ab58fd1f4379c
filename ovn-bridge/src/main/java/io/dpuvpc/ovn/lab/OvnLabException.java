package io.dpuvpc.ovn.lab;

/** A lab process or tool failed: the message says which, and quotes its output or log. */
public class OvnLabException extends RuntimeException {
    public OvnLabException(String message) {
        super(message);
    }

    public OvnLabException(String message, Throwable cause) {
        super(message, cause);
    }
}
