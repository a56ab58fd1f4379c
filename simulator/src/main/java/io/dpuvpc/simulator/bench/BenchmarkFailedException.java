package io.dpuvpc.simulator.bench;

/** A benchmark row did not do what it claims (wrong row count, an error reply): its figures would lie. */
public final class BenchmarkFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BenchmarkFailedException(String message) {
        super(message);
    }

    public BenchmarkFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
