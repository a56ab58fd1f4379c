package io.dpuvpc.ovn.ovsdb;

/**
 * Told when the client is connected (schemas read, monitors re-established) and when it loses
 * the connection. Called on the client's I/O thread: enqueue, never block.
 */
public interface ConnectionListener {
    default void connected(OvsdbEndpoint endpoint) {
    }

    default void disconnected(OvsdbEndpoint endpoint, Throwable cause) {
    }
}
