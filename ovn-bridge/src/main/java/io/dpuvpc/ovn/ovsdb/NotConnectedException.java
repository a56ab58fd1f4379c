package io.dpuvpc.ovn.ovsdb;

/** No connection is up right now; nothing was sent. The client keeps reconnecting by itself. */
public class NotConnectedException extends OvsdbException {
    public NotConnectedException(String message) {
        super(message);
    }
}
