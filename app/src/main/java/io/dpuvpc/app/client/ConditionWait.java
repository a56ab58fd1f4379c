package io.dpuvpc.app.client;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code vpc wait}: polls one resource until a condition has a status ({@code --for=condition=Ready},
 * {@code --for=condition=Ready=False}) or the resource is gone ({@code --for=delete}), or the
 * timeout passes; the timeout's message says what the condition last was.
 */
public final class ConditionWait {

    /** What to wait for. */
    public sealed interface Target {
        /** The condition {@code type} with status {@code status} (True, False or Unknown). */
        record Condition(String type, String status) implements Target {}

        /** The resource no longer exists (GET answers 404). */
        enum Deleted implements Target { INSTANCE }
    }

    /** Time, replaceable in tests. */
    public interface Clock {
        long nanoTime();

        void sleep(Duration duration) throws InterruptedException;

        Clock SYSTEM = new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(Duration duration) throws InterruptedException {
                Thread.sleep(duration.toMillis());
            }
        };
    }

    private static final Pattern FOR_CONDITION = Pattern.compile("condition=([A-Za-z][A-Za-z0-9_.-]*)(?:=(\\w+))?");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    private ConditionWait() {}

    /** {@code --for}: {@code condition=TYPE[=STATUS]} (STATUS defaults to True) or {@code delete}. */
    public static Target parseFor(String value) {
        if (value.equalsIgnoreCase("delete")) {
            return Target.Deleted.INSTANCE;
        }
        Matcher m = FOR_CONDITION.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("--for must be condition=TYPE, condition=TYPE=STATUS or delete "
                    + "(e.g. --for=condition=Ready), not \"" + value + "\"");
        }
        String status = m.group(2) == null ? "True" : m.group(2);
        for (String known : new String[] {"True", "False", "Unknown"}) {
            if (known.equalsIgnoreCase(status)) {
                return new Target.Condition(m.group(1), known);
            }
        }
        throw new IllegalArgumentException("--for=condition=" + m.group(1) + "=STATUS: STATUS is True, False or Unknown, not \""
                + status + "\"");
    }

    /** A duration as kubectl takes one: {@code 60s}, {@code 2m}, {@code 1m30s}, {@code 500ms}, {@code 1h}; a bare number is seconds. */
    public static Duration parseDuration(String value) {
        String text = value.strip();
        if (text.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(text));
        }
        Matcher m = DURATION_PART.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            end = m.end();
        }
        if (end == 0 || end != text.length()) {
            throw new IllegalArgumentException("a duration is e.g. 60s, 2m, 1m30s or 500ms, not \"" + value + "\"");
        }
        return total;
    }

    /**
     * Polls {@code fetch} (the resource, empty when it does not exist) every {@code interval} until
     * {@code target} holds; returns normally when it does, throws {@link TimedOut} after {@code timeout}.
     */
    public static void await(Supplier<Optional<JsonNode>> fetch, Target target, String name, Duration timeout,
                             Duration interval, Clock clock) throws InterruptedException {
        long deadline = clock.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<JsonNode> resource = fetch.get();
            if (holds(target, resource)) {
                return;
            }
            long left = deadline - clock.nanoTime();
            if (left <= 0) {
                throw new TimedOut(timeoutMessage(target, name, timeout, resource));
            }
            clock.sleep(Duration.ofNanos(Math.min(left, interval.toNanos())));
        }
    }

    static boolean holds(Target target, Optional<JsonNode> resource) {
        if (target instanceof Target.Condition c) {
            return resource.flatMap(r -> ResourceTable.condition(r, c.type()))
                    .map(condition -> c.status().equalsIgnoreCase(condition.path("status").asText()))
                    .orElse(false);
        }
        return resource.isEmpty();
    }

    /** What the timeout says: the wait, then the condition's last status, reason and message. */
    static String timeoutMessage(Target target, String name, Duration timeout, Optional<JsonNode> last) {
        String waited = "timed out after " + ResourceTable.humanDuration(timeout) + " waiting for " + name;
        if (target instanceof Target.Condition c) {
            String wanted = waited + " to have condition " + c.type() + "=" + c.status();
            if (last.isEmpty()) {
                return wanted + ": it does not exist";
            }
            Optional<JsonNode> condition = ResourceTable.condition(last.get(), c.type());
            if (condition.isEmpty()) {
                return wanted + ": it has no " + c.type() + " condition yet";
            }
            JsonNode cond = condition.get();
            String reason = cond.path("reason").asText("");
            String message = cond.path("message").asText("");
            return wanted + ": " + c.type() + " is " + cond.path("status").asText("Unknown")
                    + (reason.isEmpty() ? "" : " (" + reason + ")") + (message.isEmpty() ? "" : ": " + message);
        }
        return waited + " to be deleted: it still exists";
    }

    /** The wait ran out of time; the message says what the resource last looked like. */
    public static final class TimedOut extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TimedOut(String message) {
            super(message, null, false, false);
        }
    }
}
