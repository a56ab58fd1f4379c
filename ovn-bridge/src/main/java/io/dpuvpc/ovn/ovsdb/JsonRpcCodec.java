package io.dpuvpc.ovn.ovsdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import java.io.IOException;
import java.util.List;

/**
 * Turns each framed JSON text (from {@link JsonFrameDecoder}) into a {@link JsonNode}
 * and each outgoing {@link JsonNode} into UTF-8 bytes (RFC 7047 section 4: JSON-RPC 1.0 over a
 * stream, one JSON object after another). Public for the simulator's emulated ovsdb-server,
 * which speaks the same framing from the other end.
 */
public final class JsonRpcCodec extends MessageToMessageCodec<ByteBuf, JsonNode> {
    // OVSDB integers are 64-bit: read them all as longs, as we write them.
    static final ObjectMapper MAPPER = JsonMapper.builder()
        .enable(DeserializationFeature.USE_LONG_FOR_INTS)
        .build();

    static {
        // A deeply nested document from a broken or hostile peer must not blow the stack.
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(64)
            .maxStringLength(Integer.MAX_VALUE)
            .build());
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, JsonNode msg, List<Object> out) throws IOException {
        ByteBuf buf = ctx.alloc().buffer(256);
        try (ByteBufOutputStream stream = new ByteBufOutputStream(buf)) {
            MAPPER.writeValue((java.io.OutputStream) stream, msg);
        } catch (IOException e) {
            buf.release();
            throw e;
        }
        out.add(buf);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
        try (ByteBufInputStream in = new ByteBufInputStream(msg)) {
            JsonNode json = MAPPER.readTree((java.io.InputStream) in);
            if (json == null || !json.isObject()) {
                throw new OvsdbProtocolException("a JSON-RPC message must be a JSON object");
            }
            out.add(json);
        } catch (JsonProcessingException e) {
            throw new OvsdbProtocolException("malformed JSON from the peer: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new OvsdbProtocolException("cannot read a message from the peer: " + e.getMessage(), e);
        }
    }
}
