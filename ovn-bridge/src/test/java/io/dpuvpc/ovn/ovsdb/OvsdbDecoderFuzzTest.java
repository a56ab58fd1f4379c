package io.dpuvpc.ovn.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.dpuvpc.ovn.lab.OvnCentral;
import io.dpuvpc.ovn.northbound.NbTables;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing (Jazzer, fuzzing mode: the surefire execution {@code fuzz} sets
 * {@code JAZZER_FUZZ}) of what a Northbound server can send the client: bytes into the client's
 * own pipeline (framing, JSON, the JSON-RPC session) with notifications applied to a cache of the
 * real Northbound schema as {@code OvsdbClient} applies them. Seeds: {@code
 * OvsdbDecoderFuzzTestInputs} (update, update2, update3, replies, echo).
 *
 * <p>Every input must end in one of two ways: handled, or the connection closed with an {@link
 * OvsdbException} that says what was wrong. A crash is any other exception (a
 * NullPointerException, an index out of bounds...), an input that takes over 10 s (a hang),
 * or an input buffer not released (a leak). The figures (executions, outcomes, slowest input) are
 * printed after the run.
 */
class OvsdbDecoderFuzzTest {
    private static DatabaseSchema schema;
    private static final AtomicLong executions = new AtomicLong();
    private static final AtomicLong slowestNanos = new AtomicLong();
    private static final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();

    @BeforeAll
    static void readTheNorthboundSchema() throws Exception {
        schema = DatabaseSchema.fromJson(JsonRpcCodec.MAPPER.readTree(Files.readString(OvnCentral.NB_SCHEMA)));
    }

    @FuzzTest(maxExecutions = 300_000)
    @DictionaryEntries({"\"update\"", "\"update2\"", "\"update3\"", "\"method\"", "\"params\"", "\"id\"", "\"result\"",
        "\"error\"", "\"new\"", "\"old\"", "\"initial\"", "\"insert\"", "\"modify\"", "\"delete\"", "[\"map\",[",
        "[\"set\",[", "[\"uuid\",\"", "[\"named-uuid\",\"", "\"Logical_Switch\"", "\"Logical_Switch_Port\"",
        "\"Logical_Router\"", "\"external_ids\"", "\"ports\"", "\"addresses\"", "\"m1\"", "\"_server\"",
        "00000000-0000-0000-0000-00000000000a", "9223372036854775807", "1e308", "\\u0000", "\\ud800"})
    void whatAServerSendsIsHandledOrClosesTheConnectionWithAProtocolError(byte[] input) {
        DatabaseCache cache = new DatabaseCache(schema, NbTables.monitorRequest());
        Throwable[] closedWith = {null};
        JsonRpcSession session = new JsonRpcSession(OvsdbEndpoint.parse("tcp:127.0.0.1:6641"), new JsonRpcSession.Listener() {
            @Override
            public void notification(JsonRpcSession s, String method, JsonNode params) {
                // As OvsdbClient.onUpdate applies a monitor's notifications.
                switch (method) {
                    case "update" -> cache.dispatch(cache.apply(params.path(1), false));
                    case "update2" -> cache.dispatch(cache.apply(params.path(1), true));
                    case "update3" -> {
                        cache.dispatch(cache.apply(params.path(2), true));
                        cache.lastTxnId(params.path(1).asText());
                    }
                    default -> { }
                }
            }

            @Override
            public void closed(JsonRpcSession s, Throwable cause) {
                closedWith[0] = cause;
            }
        }, 10, Duration.ZERO);
        EmbeddedChannel channel = new EmbeddedChannel(new JsonFrameDecoder(1 << 20), new JsonRpcCodec(), session);
        ByteBuf bytes = Unpooled.wrappedBuffer(input);
        long start = System.nanoTime();
        boolean open;
        try {
            channel.writeInbound(bytes);
            channel.checkException();
        } catch (Exception e) {
            // Only an embedded channel does this: closing it destroys its pipeline at once, so the
            // decoder's error about the bytes after a bad message has no handler left to reach. A
            // real channel closes after the read, and the session turns that error into an
            // OvsdbProtocolException. Before the session closed, any exception is a finding.
            if (closedWith[0] == null) {
                throw e;
            }
        } finally {
            open = channel.isOpen();
            channel.finishAndReleaseAll();
        }
        long took = System.nanoTime() - start;
        slowestNanos.accumulateAndGet(took, Math::max);
        executions.incrementAndGet();
        Throwable cause = closedWith[0];
        outcomes.computeIfAbsent(open ? "handled" : cause == null ? "closed" : cause.getClass().getSimpleName(),
            k -> new AtomicLong()).incrementAndGet();
        if (cause != null && !(cause instanceof OvsdbException)) {
            throw new AssertionError("the connection was closed with " + cause + ", not an OvsdbException naming the problem",
                cause);
        }
        if (cause != null && (cause.getMessage() == null || cause.getMessage().isBlank())) {
            throw new AssertionError("a protocol error without a message", cause);
        }
        // (No input at all is Netty's shared empty buffer, which is never released.)
        if (input.length > 0 && bytes.refCnt() != 0) {
            throw new AssertionError("the input buffer was not released (refCnt " + bytes.refCnt() + "): a leak; input: "
                + new String(input, StandardCharsets.UTF_8));
        }
        // Generous: the first inputs pay for class loading and the JIT, on a machine that may be busy.
        if (took > Duration.ofSeconds(10).toNanos()) {
            throw new AssertionError(String.format("one input of %d bytes took %.1f s: a hang", input.length, took / 1e9));
        }
    }

    @AfterAll
    static void printTheFigures() {
        System.out.printf("OVSDB decoder fuzzed: %,d executions, slowest input %.1f ms, outcomes %s%n", executions.get(),
            slowestNanos.get() / 1e6, new TreeMap<>(outcomes));
        assertThat(executions.get()).as("inputs run (seeds in regression mode, the budget when fuzzing)").isPositive();
    }
}
