package io.dpuvpc.ovn.ovsdb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.json.JsonObjectDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code vpc bench framing}: splitting an OVSDB byte stream into its JSON texts, with
 * {@link JsonFrameDecoder} beside Netty's {@code JsonObjectDecoder} (the baseline, which the
 * client used before), on the same bytes in the same run.
 *
 * <p>Two streams, as a controller at fleet scale receives them: the reply to a monitor request
 * of a large Northbound (one text of megabytes: {@code rows} logical switch ports with the
 * columns and {@code external_ids} the bridge writes), and a run of small notifications
 * ({@code update3} of one row each, as a busy Northbound sends them). Each arrives in reads of
 * 64 KiB, as from a socket, in direct buffers made before the clock starts; the clock times the
 * decoder only (an embedded channel, the frames released as they come). Rounds alternate between
 * the two decoders; the median round counts.
 */
public final class JsonFramingBenchmark {
    static final int READ_BYTES = 64 * 1024;

    /** One decoder on one stream: its median round, in milliseconds, and the stream's size. */
    public record Row(String stream, String decoder, int bytes, int texts, double medianMillis) {
        public double megabytesPerSecond() {
            return bytes / 1e6 / (medianMillis / 1e3);
        }

        public double nanosPerByte() {
            return medianMillis * 1e6 / bytes;
        }
    }

    private JsonFramingBenchmark() {}

    /** Both decoders on both streams, {@code rounds} timed rounds each after {@code warmup} untimed. */
    public static List<Row> run(int rows, int notifications, int warmup, int rounds, Consumer<String> progress) {
        if (rows < 1 || notifications < 1 || warmup < 0 || rounds < 1) {
            throw new IllegalArgumentException("rows, notifications and rounds must be at least 1, warmup at least 0");
        }
        List<Row> result = new ArrayList<>();
        byte[] monitorReply = monitorReply(rows).getBytes(StandardCharsets.UTF_8);
        result.addAll(compare("monitor reply, " + rows + " rows", monitorReply, 1, warmup, rounds, progress));
        StringBuilder small = new StringBuilder();
        for (int i = 0; i < notifications; i++) {
            small.append(notification(i)).append('\n');
        }
        byte[] updates = small.toString().getBytes(StandardCharsets.UTF_8);
        result.addAll(compare(notifications + " one-row updates", updates, notifications, warmup, rounds, progress));
        return result;
    }

    private static List<Row> compare(String stream, byte[] bytes, int texts, int warmup, int rounds,
                                     Consumer<String> progress) {
        Supplier<ChannelHandler> ours = () -> new JsonFrameDecoder(Integer.MAX_VALUE);
        Supplier<ChannelHandler> netty = () -> new JsonObjectDecoder(Integer.MAX_VALUE);
        for (int i = 0; i < warmup; i++) {
            time(ours, bytes, texts);
            time(netty, bytes, texts);
        }
        double[] oursMillis = new double[rounds];
        double[] nettyMillis = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            nettyMillis[i] = time(netty, bytes, texts);
            oursMillis[i] = time(ours, bytes, texts);
        }
        progress.accept(String.format(Locale.ROOT, "%s: %,d bytes, %d warm-up and %d timed rounds each", stream,
            bytes.length, warmup, rounds));
        return List.of(new Row(stream, "JsonObjectDecoder (Netty, baseline)", bytes.length, texts, median(nettyMillis)),
            new Row(stream, "JsonFrameDecoder (ours)", bytes.length, texts, median(oursMillis)));
    }

    /** One round: the stream through a fresh decoder in 64 KiB reads; checks every text came out. */
    private static double time(Supplier<ChannelHandler> decoder, byte[] bytes, int texts) {
        List<ByteBuf> reads = new ArrayList<>();
        for (int at = 0; at < bytes.length; at += READ_BYTES) {
            int n = Math.min(READ_BYTES, bytes.length - at);
            reads.add(Unpooled.directBuffer(n).writeBytes(bytes, at, n));
        }
        EmbeddedChannel channel = new EmbeddedChannel(decoder.get());
        int framed = 0;
        long start = System.nanoTime();
        for (ByteBuf read : reads) {
            channel.writeInbound(read);
            for (ByteBuf frame = channel.readInbound(); frame != null; frame = channel.readInbound()) {
                framed++;
                frame.release();
            }
        }
        long took = System.nanoTime() - start;
        channel.finishAndReleaseAll();
        if (framed != texts) {
            throw new IllegalStateException(decoder.get().getClass().getSimpleName() + " framed " + framed + " texts, not "
                + texts);
        }
        return took / 1e6;
    }

    /** The reply to a monitor of Logical_Switch_Port: {@code rows} rows as the bridge writes them. */
    static String monitorReply(int rows) {
        ObjectNode reply = OvsdbValues.JSON.objectNode();
        ObjectNode table = reply.putObject("result").putObject("Logical_Switch_Port");
        for (int i = 0; i < rows; i++) {
            table.set(uuid(i).toString(), OvsdbValues.JSON.objectNode().set("initial", port(i)));
        }
        reply.putNull("error");
        reply.put("id", 7);
        return reply.toString();
    }

    /** An {@code update3} notification of one modified port. */
    static String notification(int i) {
        ObjectNode note = OvsdbValues.JSON.objectNode();
        note.put("method", "update3");
        ArrayNode params = note.putArray("params");
        params.add("nb-monitor");
        params.add(uuid(i + 1_000_000).toString());
        ObjectNode modify = OvsdbValues.JSON.objectNode();
        modify.putArray("up").add(true);
        params.addObject().putObject("Logical_Switch_Port").putObject(uuid(i).toString()).set("modify", modify);
        note.putNull("id");
        return note.toString();
    }

    private static ObjectNode port(int i) {
        String name = String.format(Locale.ROOT, "dpuvpc-si-tenant-%d-si-%d", i / 100, i);
        ObjectNode row = OvsdbValues.JSON.objectNode();
        row.put("name", name);
        row.putArray("addresses").add("set").addArray().add(String.format(Locale.ROOT,
            "0a:58:%02x:%02x:%02x:%02x dynamic", (i >> 24) & 0xff, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff));
        row.put("dynamic_addresses", String.format(Locale.ROOT, "0a:58:%02x:%02x:%02x:%02x 10.%d.%d.%d",
            (i >> 24) & 0xff, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff, i / 65536 % 256, i / 256 % 256, i % 256));
        row.putArray("up").add(true);
        ArrayNode ids = row.putArray("external_ids").add("map").addArray();
        ids.addArray().add("owner").add("dpuvpc");
        ids.addArray().add("owner-kind").add("ServiceInterface");
        ids.addArray().add("owner-namespace").add("tenant-" + i / 100);
        ids.addArray().add("owner-name").add("si-" + i);
        ids.addArray().add("owner-uid").add(uuid(i + 2_000_000).toString());
        row.putArray("options").add("map").addArray().addArray().add("requested-chassis").add("dpu-" + i / 10);
        return row;
    }

    private static UUID uuid(int i) {
        return new UUID(0x5ca1ab1e00000000L | i, 0xdeadbeefL * (i + 1));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The figures as a table, each stream's baseline first, then ours and the speed-up. */
    public static String table(List<Row> rows) {
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%-30s %-36s %12s %10s %10s %9s%n", "stream",
            "decoder", "bytes", "median ms", "MB/s", "ns/byte"));
        Row baseline = null;
        for (Row r : rows) {
            t.append(String.format(Locale.ROOT, "%-30s %-36s %,12d %10.2f %10.1f %9.2f", r.stream(), r.decoder(), r.bytes(),
                r.medianMillis(), r.megabytesPerSecond(), r.nanosPerByte()));
            if (baseline != null && baseline.stream().equals(r.stream())) {
                t.append(String.format(Locale.ROOT, "   %.2fx the baseline", baseline.medianMillis() / r.medianMillis()));
            }
            t.append('\n');
            baseline = r;
        }
        return t.toString();
    }
}
