package io.dpuvpc.simulator.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * The physical limit for the benchmark: the same one-object transactions as the client row,
 * written as ready-made JSON-RPC text (RFC 7047 section 4.1.3) over a plain {@link Socket} with a
 * fixed window of requests in flight, by one thread with no client machinery. Replies are not
 * parsed, only counted: {@link ReplyScanner} matches braces outside strings and notes the first
 * {@code "error"} whose value is not {@code null}.
 *
 * <p>The loop is the one a good pipelining client runs: write every request the window allows
 * in one {@code write}, then one blocking {@code read} of whatever replies have arrived, count
 * them, and refill the window by as many. Requests thus leave in bursts that follow the replies,
 * as with a Netty client that flushes once per read.
 */
public final class RawJsonRpcWriter {
    private static final int STALL_MILLIS = 60_000;

    private final String host;
    private final int port;
    private final int inFlight;

    public RawJsonRpcWriter(String host, int port, int inFlight) {
        if (inFlight < 1) {
            throw new IllegalArgumentException("in-flight window must be at least 1");
        }
        this.host = host;
        this.port = port;
        this.inFlight = inFlight;
    }

    /**
     * Creates switches {@code from .. from+count-1}, one transaction each.
     *
     * @return nanoseconds from the first byte written to the last reply read (connect excluded)
     * @throws BenchmarkFailedException if a reply carries an error or the server stops answering
     */
    public long createSwitches(int from, int count) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(STALL_MILLIS);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream burst = new ByteArrayOutputStream(inFlight * 256);
            byte[] readBuffer = new byte[64 * 1024];
            ReplyScanner replies = new ReplyScanner();
            int sent = 0;
            int answered = 0;
            long start = System.nanoTime();
            while (answered < count) {
                int room = Math.min(count - sent, inFlight - (sent - answered));
                if (room > 0) {
                    burst.reset();
                    for (int i = 0; i < room; i++, sent++) {
                        burst.write(request(from + sent, sent + 1L));
                    }
                    burst.writeTo(out);
                }
                int n;
                try {
                    n = in.read(readBuffer);
                } catch (SocketTimeoutException e) {
                    throw new BenchmarkFailedException("raw JSON-RPC writer: no reply for " + STALL_MILLIS / 1000 + " s after "
                        + answered + " of " + count + " replies");
                }
                if (n < 0) {
                    throw new BenchmarkFailedException("raw JSON-RPC writer: the server closed the connection after " + answered
                        + " of " + count + " replies");
                }
                answered += replies.scan(readBuffer, n);
                if (replies.failure() != null) {
                    throw new BenchmarkFailedException("raw JSON-RPC writer: " + replies.failure());
                }
            }
            return System.nanoTime() - start;
        }
    }

    /** The exact transaction the client row sends for object {@code index}, with JSON-RPC id {@code id}. */
    static byte[] request(int index, long id) {
        String sw = OvsdbWriteBenchmark.switchName(index);
        String lsp = OvsdbWriteBenchmark.portName(index);
        String text = "{\"method\":\"transact\",\"params\":[\"OVN_Northbound\","
            + "{\"op\":\"insert\",\"table\":\"Logical_Switch_Port\",\"row\":{\"name\":\"" + lsp + "\"},\"uuid-name\":\"p\"},"
            + "{\"op\":\"insert\",\"table\":\"Logical_Switch\",\"row\":{\"name\":\"" + sw
            + "\",\"ports\":[\"set\",[[\"named-uuid\",\"p\"]]]}}],\"id\":" + id + "}";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Counts complete top-level JSON objects in a byte stream split anywhere, without parsing
     * them: braces and brackets outside strings change the depth. Two keys are looked at:
     * {@code "error"} (a value other than {@code null} is a failure; it appears at the top of a
     * JSON-RPC reply and in each failed operation's result) and a top-level {@code "method"}
     * (a request from the server, such as its echo probe, which is not a reply).
     */
    static final class ReplyScanner {
        private int depth;
        private boolean inString;
        private boolean escaped;
        private final StringBuilder key = new StringBuilder();
        private String lastString;
        private boolean afterErrorColon;
        private boolean serverRequest;
        private int objects;
        private String failure;

        /** Scans {@code length} more bytes; returns how many replies they completed. */
        int scan(byte[] bytes, int length) {
            int completed = 0;
            for (int i = 0; i < length; i++) {
                byte b = bytes[i];
                if (inString) {
                    if (escaped) {
                        escaped = false;
                    } else if (b == '\\') {
                        escaped = true;
                    } else if (b == '"') {
                        inString = false;
                        lastString = key.length() <= 6 ? key.toString() : null;
                    } else if (key.length() <= 6) {
                        key.append((char) b);
                    }
                    continue;
                }
                if (afterErrorColon && b != ' ' && b != '\n' && b != '\t' && b != '\r') {
                    afterErrorColon = false;
                    if (b != 'n' && failure == null) {
                        failure = "reply " + (objects + 1) + " has an error: " + excerpt(bytes, i, length);
                    }
                }
                switch (b) {
                    case '"' -> {
                        inString = true;
                        key.setLength(0);
                    }
                    case ':' -> {
                        if ("error".equals(lastString)) {
                            afterErrorColon = true;
                        } else if (depth == 1 && "method".equals(lastString)) {
                            serverRequest = true;
                        }
                        lastString = null;
                    }
                    case '{', '[' -> depth++;
                    case '}', ']' -> {
                        if (--depth == 0) {
                            objects++;
                            if (!serverRequest) {
                                completed++;
                            }
                            serverRequest = false;
                        }
                    }
                    default -> {
                    }
                }
            }
            return completed;
        }

        String failure() {
            return failure;
        }

        private static String excerpt(byte[] bytes, int from, int length) {
            return new String(bytes, from, Math.min(200, length - from), StandardCharsets.UTF_8);
        }
    }
}
