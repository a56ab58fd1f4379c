package io.dpuvpc.simulator.fleet;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition on state that changes elsewhere (a monitored cache, a real server read
 * with {@code ovn-nbctl}) and has no event to wait on: checks it every {@code interval}.
 */
public final class Poll {
    private Poll() {
    }

    /** @throws IllegalStateException naming {@code what} when it is not true within {@code timeout} */
    public static void until(String what, Duration timeout, Duration interval, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within " + timeout + ": " + what);
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for: " + what, e);
            }
        }
    }
}
