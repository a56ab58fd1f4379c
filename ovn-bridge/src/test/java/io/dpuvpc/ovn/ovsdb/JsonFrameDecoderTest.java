package io.dpuvpc.ovn.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.json.JsonObjectDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class JsonFrameDecoderTest {
    /** Texts with what a bracket counter can trip on: brackets, quotes and backslashes in strings. */
    private static final List<String> TEXTS = List.of(
        "{\"id\":1,\"method\":\"echo\",\"params\":[]}",
        "{\"match\":\"outport == \\\"lsp1\\\" && ip4.dst == {10.0.0.1, 10.0.0.2}\"}",
        "{\"a\":\"ends in a backslash \\\\\",\"b\":\"]}\"}",
        "{\"a\":\"\\\\\\\"\",\"b\":[[],[{}],\"[\"]}",
        "[\"update\",{\"u\":\"\\u005c\\\"\"}]",
        "{\"ünïcode\":\"💡 ]}\"}");

    private static String stream() {
        return String.join(" \r\n\t", TEXTS) + "\n";
    }

    @Test
    void framesEveryTextWhereverTheReadsSplitTheStream() {
        byte[] bytes = stream().getBytes(StandardCharsets.UTF_8);
        for (int split = 1; split < bytes.length; split++) {
            EmbeddedChannel channel = new EmbeddedChannel(new JsonFrameDecoder(1 << 20));
            channel.writeInbound(Unpooled.copiedBuffer(bytes, 0, split));
            channel.writeInbound(Unpooled.copiedBuffer(bytes, split, bytes.length - split));
            assertThat(frames(channel)).as("split at %d", split).containsExactlyElementsOf(TEXTS);
            assertThat(channel.finish()).isFalse();
        }
        EmbeddedChannel byteByByte = new EmbeddedChannel(new JsonFrameDecoder(1 << 20));
        for (byte b : bytes) {
            byteByByte.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(frames(byteByByte)).containsExactlyElementsOf(TEXTS);
    }

    @Test
    void framesAsNettysDecoderDidForRandomOvsdbLikeMessagesInRandomReads() {
        Random random = new Random(7047);
        for (int round = 0; round < 200; round++) {
            StringBuilder text = new StringBuilder();
            int messages = 1 + random.nextInt(20);
            for (int m = 0; m < messages; m++) {
                text.append(randomMessage(random)).append(random.nextBoolean() ? "\n" : "");
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            long seed = random.nextLong();
            assertThat(frameInRandomReads(() -> new JsonFrameDecoder(1 << 20), bytes, seed))
                .as("round %d", round)
                .hasSize(messages)
                .containsExactlyElementsOf(frameInRandomReads(() -> new JsonObjectDecoder(1 << 20), bytes, seed));
        }
    }

    @Test
    void aTextLongerThanTheLimitFailsWhetherItsEndHasArrivedOrNot() {
        String longText = "{\"a\":\"" + "x".repeat(100) + "\"}";

        EmbeddedChannel whole = new EmbeddedChannel(new JsonFrameDecoder(64));
        assertThatThrownBy(() -> whole.writeInbound(Unpooled.copiedBuffer(longText, StandardCharsets.UTF_8)))
            .isInstanceOf(TooLongFrameException.class).hasMessageContaining("longer than 64");

        EmbeddedChannel partial = new EmbeddedChannel(new JsonFrameDecoder(64));
        assertThatThrownBy(() -> partial.writeInbound(Unpooled.copiedBuffer(longText.substring(0, 80), StandardCharsets.UTF_8)))
            .isInstanceOf(TooLongFrameException.class).hasMessageContaining("80 bytes discarded");

        EmbeddedChannel atTheLimit = new EmbeddedChannel(new JsonFrameDecoder(longText.length()));
        atTheLimit.writeInbound(Unpooled.copiedBuffer(longText, StandardCharsets.UTF_8));
        assertThat(frames(atTheLimit)).containsExactly(longText);
    }

    @Test
    void aStreamThatIsNotJsonIsRefusedAndTheRestOfItDropped() {
        EmbeddedChannel channel = new EmbeddedChannel(new JsonFrameDecoder(1 << 20));
        channel.writeInbound(Unpooled.copiedBuffer("{\"ok\":1}", StandardCharsets.UTF_8));
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.copiedBuffer("  HTTP/1.1 400", StandardCharsets.UTF_8)))
            .isInstanceOf(CorruptedFrameException.class).hasMessageContaining("not byte 0x48");
        ByteBuf after = Unpooled.copiedBuffer("{\"later\":1}", StandardCharsets.UTF_8);
        channel.writeInbound(after);

        assertThat(frames(channel)).containsExactly("{\"ok\":1}");
        assertThat(after.refCnt()).isZero();
    }

    @Test
    void theFramesShareTheInputAndReleaseItWhenReleased() {
        EmbeddedChannel channel = new EmbeddedChannel(new JsonFrameDecoder(1 << 20));
        ByteBuf input = Unpooled.copiedBuffer("{\"a\":1}{\"b\":2}", StandardCharsets.UTF_8);
        channel.writeInbound(input);
        ByteBuf first = channel.readInbound();
        ByteBuf second = channel.readInbound();
        assertThat(first.toString(StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(second.toString(StandardCharsets.UTF_8)).isEqualTo("{\"b\":2}");

        first.release();
        second.release();
        assertThat(input.refCnt()).isZero();
    }

    private static List<String> frameInRandomReads(Supplier<ChannelHandler> decoder, byte[] bytes, long seed) {
        Random reads = new Random(seed);
        EmbeddedChannel channel = new EmbeddedChannel(decoder.get());
        int at = 0;
        while (at < bytes.length) {
            int n = Math.min(bytes.length - at, 1 + reads.nextInt(64));
            channel.writeInbound(Unpooled.copiedBuffer(bytes, at, n));
            at += n;
        }
        List<String> frames = frames(channel);
        channel.finishAndReleaseAll();
        return frames;
    }

    /** A message shaped like an OVSDB update: nested objects and arrays, uuids, strings with escapes. */
    private static String randomMessage(Random random) {
        ObjectNode message = OvsdbValues.JSON.objectNode();
        message.put("method", "update3");
        ArrayNode params = message.putArray("params");
        params.add("monitor-" + random.nextInt(10));
        ObjectNode tables = params.addObject();
        for (int t = random.nextInt(3); t >= 0; t--) {
            ObjectNode rows = tables.putObject("Table" + t);
            for (int r = random.nextInt(5); r >= 0; r--) {
                ObjectNode row = rows.putObject(new java.util.UUID(random.nextLong(), random.nextLong()).toString())
                    .putObject("modify");
                row.put("name", randomString(random));
                ArrayNode map = row.putArray("external_ids").add("map").addArray();
                for (int e = random.nextInt(3); e > 0; e--) {
                    map.addArray().add(randomString(random)).add(randomString(random));
                }
                row.put("tag", random.nextLong());
            }
        }
        message.putNull("id");
        return message.toString();
    }

    private static String randomString(Random random) {
        String alphabet = "ab{}[]\"\\ \u00e9\n/:";
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    private static List<String> frames(EmbeddedChannel channel) {
        List<String> frames = new ArrayList<>();
        for (ByteBuf frame = channel.readInbound(); frame != null; frame = channel.readInbound()) {
            frames.add(frame.toString(StandardCharsets.UTF_8));
            frame.release();
        }
        return frames;
    }
}
