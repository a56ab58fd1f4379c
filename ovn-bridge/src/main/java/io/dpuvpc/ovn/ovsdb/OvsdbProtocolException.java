package io.dpuvpc.ovn.ovsdb;

/** The peer sent something that is not valid JSON-RPC or OVSDB: the connection is closed. */
public class OvsdbProtocolException extends OvsdbException {
    public OvsdbProtocolException(String message) {
        super(message);
    }

    public OvsdbProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
