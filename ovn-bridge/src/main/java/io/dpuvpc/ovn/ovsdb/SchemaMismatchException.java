package io.dpuvpc.ovn.ovsdb;

/** The server's schema lacks a database, table or column we need; the message names it. */
public class SchemaMismatchException extends OvsdbException {
    public SchemaMismatchException(String message) {
        super(message);
    }
}
