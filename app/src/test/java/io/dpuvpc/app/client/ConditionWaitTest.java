package io.dpuvpc.app.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ConditionWaitTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A clock that moves only when slept on, recording each sleep. */
    static final class FakeClock implements ConditionWait.Clock {
        long now;
        final List<Duration> sleeps = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(Duration duration) {
            sleeps.add(duration);
            now += duration.toNanos();
        }
    }

    private static JsonNode withReady(String status, String reason, String message) throws Exception {
        return MAPPER.readTree("{\"metadata\":{\"name\":\"vf-1\"},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\""
                + status + "\",\"reason\":\"" + reason + "\",\"message\":\"" + message + "\"}]}}");
    }

    @Test
    void theTimeoutSaysWhatTheConditionLastWas() throws Exception {
        FakeClock clock = new FakeClock();
        JsonNode waiting = withReady("False", "AwaitingPort", "no DPU agent has reported the port");

        ConditionWait.TimedOut e = assertThrows(ConditionWait.TimedOut.class, () -> ConditionWait.await(
                () -> Optional.of(waiting), ConditionWait.parseFor("condition=Ready"),
                "serviceinterface.svc.dpu.nvidia.com/vf-1", Duration.ofSeconds(2), Duration.ofMillis(500), clock));

        assertEquals("timed out after 2s waiting for serviceinterface.svc.dpu.nvidia.com/vf-1 to have condition Ready=True: "
                + "Ready is False (AwaitingPort): no DPU agent has reported the port", e.getMessage());
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofMillis(500)),
                clock.sleeps);
    }

    @Test
    void theWaitEndsWhenTheConditionTurns() throws Exception {
        FakeClock clock = new FakeClock();
        List<Optional<JsonNode>> answers = new ArrayList<>(List.of(Optional.empty(),
                Optional.of(withReady("False", "AwaitingPort", "")), Optional.of(withReady("True", "Ready", ""))));

        ConditionWait.await(() -> answers.remove(0), ConditionWait.parseFor("condition=Ready"), "x",
                Duration.ofSeconds(60), Duration.ofMillis(500), clock);

        assertEquals(2, clock.sleeps.size());
    }

    @Test
    void timeoutsNameAMissingResourceOrConditionAndADeleteNotDone() throws Exception {
        ConditionWait.Target ready = ConditionWait.parseFor("condition=Ready=False");
        JsonNode bare = MAPPER.readTree("{\"metadata\":{\"name\":\"a\"}}");

        assertEquals("timed out after 60s waiting for a to have condition Ready=False: it does not exist",
                ConditionWait.timeoutMessage(ready, "a", Duration.ofSeconds(60), Optional.empty()));
        assertEquals("timed out after 5m waiting for a to have condition Ready=False: it has no Ready condition yet",
                ConditionWait.timeoutMessage(ready, "a", Duration.ofMinutes(5), Optional.of(bare)));
        assertEquals("timed out after 30s waiting for a to be deleted: it still exists",
                ConditionWait.timeoutMessage(ConditionWait.parseFor("delete"), "a", Duration.ofSeconds(30), Optional.of(bare)));
    }

    @Test
    void forAndTimeoutParseAsKubectlTakesThem() {
        assertEquals(new ConditionWait.Target.Condition("Ready", "True"), ConditionWait.parseFor("condition=Ready"));
        assertEquals(new ConditionWait.Target.Condition("Observed", "False"), ConditionWait.parseFor("condition=Observed=false"));
        assertEquals(ConditionWait.Target.Deleted.INSTANCE, ConditionWait.parseFor("delete"));
        assertThrows(IllegalArgumentException.class, () -> ConditionWait.parseFor("Ready"));
        assertThrows(IllegalArgumentException.class, () -> ConditionWait.parseFor("condition=Ready=Maybe"));
        assertEquals(Duration.ofSeconds(60), ConditionWait.parseDuration("60s"));
        assertEquals(Duration.ofSeconds(90), ConditionWait.parseDuration("1m30s"));
        assertEquals(Duration.ofMillis(500), ConditionWait.parseDuration("500ms"));
        assertEquals(Duration.ofSeconds(45), ConditionWait.parseDuration("45"));
        assertThrows(IllegalArgumentException.class, () -> ConditionWait.parseDuration("1x"));
        assertThrows(IllegalArgumentException.class, () -> ConditionWait.parseDuration("s"));
    }
}
