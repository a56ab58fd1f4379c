package io.dpuvpc.persistence.cassandra;

/** The embedded Cassandra could not be resolved, started or stopped; the message says why. */
public class CassandraLaunchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CassandraLaunchException(String message) {
        super(message);
    }

    public CassandraLaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
