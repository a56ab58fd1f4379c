package io.dpuvpc.ovn.ovsdb;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ByteProcessor;
import java.util.List;

/**
 * Splits the byte stream of an OVSDB connection into its JSON texts (RFC 7047 section 4: one
 * JSON object after another, nothing between them but whitespace), for {@link JsonRpcCodec}.
 *
 * <p>It does what Netty's {@code JsonObjectDecoder} did here, faster: that decoder reads each
 * byte through {@code ByteBuf.getByte}, with its bounds and accessibility checks, and at 10,000
 * interfaces that framing alone was 5.5 % of the controller's CPU (a profile of a {@code simulate}
 * run, docs/BENCHMARKS.md "Framing the OVSDB stream"); the Northbound's and Southbound's updates
 * are megabytes each. This one scans with {@link ByteBuf#forEachByte}, one tight loop over the
 * buffer's memory, and skips each string to its closing quote eight bytes at a time. It only
 * counts brackets outside strings, and knows an escaped quote from a closing one (so
 * {@code "a\\"} ends where it should): the JSON itself is parsed by the codec.
 *
 * <p>Where it stopped scanning is kept relative to the reader index, so bytes the cumulation
 * discards in front of a partial text do not shift it.
 */
public final class JsonFrameDecoder extends ByteToMessageDecoder {
    private final int maxFrameBytes;
    private final Scanner scanner = new Scanner();
    /** Bytes of the current text already scanned, from the reader index; 0 between texts. */
    private int scanned;
    private boolean corrupted;

    /** {@code maxFrameBytes}: the longest JSON text accepted; a longer one fails the connection. */
    public JsonFrameDecoder(int maxFrameBytes) {
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive, not " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (corrupted) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.isReadable()) {
            if (scanned == 0 && !startText(in)) {
                return;
            }
            int end = scan(in, in.readerIndex() + scanned, in.writerIndex());
            if (end < 0) {
                scanned = in.readableBytes();
                if (scanned > maxFrameBytes) {
                    int discarded = scanned;
                    in.skipBytes(discarded);
                    reset();
                    throw new TooLongFrameException("a JSON text longer than " + maxFrameBytes + " bytes: "
                        + discarded + " bytes discarded");
                }
                return;
            }
            int length = end + 1 - in.readerIndex();
            if (length > maxFrameBytes) {
                in.skipBytes(length);
                reset();
                throw new TooLongFrameException("a JSON text of " + length + " bytes, longer than " + maxFrameBytes);
            }
            out.add(in.retainedSlice(in.readerIndex(), length));
            in.skipBytes(length);
            reset();
        }
    }

    /**
     * Skips the whitespace before a text and opens it at its first bracket; false if only
     * whitespace was there. Anything else is not OVSDB: the rest of the stream is dropped.
     */
    private boolean startText(ByteBuf in) {
        int start = in.forEachByte(in.readerIndex(), in.readableBytes(), JsonFrameDecoder::isWhitespace);
        if (start < 0) {
            in.skipBytes(in.readableBytes());
            return false;
        }
        in.readerIndex(start);
        byte first = in.getByte(start);
        if (first != '{' && first != '[') {
            corrupted = true;
            in.skipBytes(in.readableBytes());
            throw new CorruptedFrameException("a JSON text must start with '{' or '[', not byte 0x"
                + Integer.toHexString(first & 0xff));
        }
        scanner.open();
        scanned = 1;
        return true;
    }

    /**
     * The index of the bracket that closes the current text, or -1 if it is not in
     * {@code [from, to)}. Outside strings every byte is looked at; a string is skipped to its
     * closing quote by {@link ByteBuf#indexOf}, which compares eight bytes at a time, and most of
     * an OVSDB text is strings (uuids, names, addresses). A quote ends its string unless an odd
     * number of backslashes precedes it; counting them back never passes the string's opening
     * quote, and the bytes are still there even when the string began in an earlier read, since
     * the current text is kept whole until it is framed.
     */
    private int scan(ByteBuf in, int from, int to) {
        int i = from;
        while (i < to) {
            if (scanner.inString) {
                int quote = in.indexOf(i, to, (byte) '"');
                if (quote < 0) {
                    return -1;
                }
                int backslashes = 0;
                while (in.getByte(quote - 1 - backslashes) == '\\') {
                    backslashes++;
                }
                scanner.inString = (backslashes & 1) == 1;
                i = quote + 1;
                continue;
            }
            int stop = in.forEachByte(i, to - i, scanner);
            if (stop < 0) {
                return -1;
            }
            if (in.getByte(stop) != '"') {
                return stop;
            }
            scanner.inString = true;
            i = stop + 1;
        }
        return -1;
    }

    private void reset() {
        scanned = 0;
        scanner.close();
    }

    /** JSON's insignificant whitespace (RFC 8259 section 2). */
    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    /**
     * Outside strings: counts open brackets, and stops (returns false) at a quote, where a string
     * begins, or at the bracket that closes the text.
     */
    private static final class Scanner implements ByteProcessor {
        private int depth;
        private boolean inString;

        void open() {
            depth = 1;
            inString = false;
        }

        void close() {
            depth = 0;
            inString = false;
        }

        @Override
        public boolean process(byte b) {
            switch (b) {
                case '"' -> {
                    return false;
                }
                case '{', '[' -> depth++;
                case '}', ']' -> {
                    return --depth != 0;
                }
                default -> { }
            }
            return true;
        }
    }
}
