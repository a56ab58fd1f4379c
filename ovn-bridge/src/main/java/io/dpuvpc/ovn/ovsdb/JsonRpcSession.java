package io.dpuvpc.ovn.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON-RPC 1.0 session over one channel (RFC 7047 section 4): numbers requests, matches
 * replies, answers the server's {@code echo}, hands notifications to the client, sends the
 * inactivity probe, and bounds the requests in flight (the rest wait in a queue). When the
 * channel closes every pending call fails with a {@link ConnectionClosedException} that says
 * why. Everything here runs on the channel's event loop.
 */
final class JsonRpcSession extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(JsonRpcSession.class);

    /** Where notifications and the end of the session go; called on the event loop. */
    interface Listener {
        void notification(JsonRpcSession session, String method, JsonNode params);

        void closed(JsonRpcSession session, Throwable cause);
    }

    private record Pending(long id, String method, ArrayNode params, CompletableFuture<JsonNode> future) {
    }

    private final OvsdbEndpoint endpoint;
    private final Listener listener;
    private final int maxInFlight;
    private final Duration probe;
    private final Map<Long, Pending> inFlight = new HashMap<>();
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private Channel channel;
    private ChannelHandlerContext ctx;
    private long nextId = 1;
    private boolean closed;
    private Throwable closeCause;
    private boolean probeOutstanding;

    JsonRpcSession(OvsdbEndpoint endpoint, Listener listener, int maxInFlight, Duration probe) {
        this.endpoint = endpoint;
        this.listener = listener;
        this.maxInFlight = maxInFlight;
        this.probe = probe;
    }

    OvsdbEndpoint endpoint() {
        return endpoint;
    }

    EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /** Sends a request from any thread; the future completes on the event loop. */
    CompletableFuture<JsonNode> call(String method, ArrayNode params) {
        CompletableFuture<JsonNode> future = new CompletableFuture<>();
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            enqueue(method, params, future);
        } else {
            loop.execute(() -> enqueue(method, params, future));
        }
        return future;
    }

    /** Closes the session with a cause that pending calls will carry. */
    void close(Throwable cause) {
        if (closeCause == null) {
            closeCause = cause;
        }
        if (channel != null) {
            channel.close();
        }
    }

    boolean isOpen() {
        return !closed && channel != null && channel.isActive();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.channel = ctx.channel();
    }

    private void enqueue(String method, ArrayNode params, CompletableFuture<JsonNode> future) {
        if (closed) {
            future.completeExceptionally(closedException(method));
            return;
        }
        Pending pending = new Pending(nextId++, method, params, future);
        if (inFlight.size() >= maxInFlight) {
            waiting.add(pending);
        } else {
            write(pending);
        }
    }

    private void write(Pending pending) {
        // Kept until the reply without its params: a transaction's JSON tree (every row of up to
        // thousands of owners) is not needed once sent, and a 100,000-interface run held millions
        // of its nodes while ovsdb-server committed (BENCHMARKS.md, attempt 12).
        inFlight.put(pending.id(), new Pending(pending.id(), pending.method(), null, pending.future()));
        ObjectNode request = OvsdbValues.JSON.objectNode();
        request.put("method", pending.method());
        request.set("params", pending.params());
        request.put("id", pending.id());
        ctx.writeAndFlush(request).addListener(f -> {
            if (!f.isSuccess()) {
                // An encode or write failure leaves the stream in an unknown state: close it.
                close(new OvsdbProtocolException("cannot send " + pending.method() + " to " + endpoint + ": " + f.cause(), f.cause()));
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closeCause != null || closed) {
            // Closing already (a message before was bad): the rest of that read is not acted on.
            return;
        }
        probeOutstanding = false;
        JsonNode message = (JsonNode) msg;
        try {
            if (message.has("method")) {
                onRequestOrNotification(message);
            } else {
                onReply(message);
            }
        } catch (OvsdbException | ClassCastException | IllegalArgumentException e) {
            close(e instanceof OvsdbProtocolException ? e
                : new OvsdbProtocolException("cannot handle a message from " + endpoint + ": " + e.getMessage(), e));
        }
    }

    private void onRequestOrNotification(JsonNode message) {
        String method = message.get("method").asText();
        JsonNode id = message.get("id");
        JsonNode params = message.get("params");
        if (id != null && !id.isNull()) {
            ObjectNode reply = OvsdbValues.JSON.objectNode();
            if (method.equals("echo")) {
                // RFC 7047 4.1.11: the reply carries the request's params as its result.
                reply.set("result", params == null ? OvsdbValues.JSON.arrayNode() : params);
                reply.putNull("error");
            } else {
                reply.putNull("result");
                reply.put("error", "unknown method");
            }
            reply.set("id", id);
            ctx.writeAndFlush(reply);
            return;
        }
        listener.notification(this, method, params == null ? OvsdbValues.JSON.arrayNode() : params);
    }

    private void onReply(JsonNode message) {
        JsonNode id = message.get("id");
        if (id == null || !id.canConvertToLong()) {
            throw new OvsdbProtocolException("reply without a request id we sent: " + OvsdbValues.abbreviate(message));
        }
        Pending pending = inFlight.remove(id.asLong());
        if (pending == null) {
            throw new OvsdbProtocolException("reply to request " + id + ", which is not pending");
        }
        JsonNode error = message.get("error");
        if (error != null && !error.isNull()) {
            pending.future().completeExceptionally(errorOf(error, pending.method()));
        } else if (!message.has("result")) {
            pending.future().completeExceptionally(new OvsdbProtocolException("reply to " + pending.method() + " has no result"));
        } else {
            pending.future().complete(message.get("result"));
        }
        while (!waiting.isEmpty() && inFlight.size() < maxInFlight) {
            write(waiting.poll());
        }
    }

    private OvsdbErrorException errorOf(JsonNode error, String method) {
        String context = method + " on " + endpoint;
        if (error.isObject()) {
            return OvsdbErrorException.of(error.path("error").asText("error"),
                error.hasNonNull("details") ? error.get("details").asText() : null, context);
        }
        return OvsdbErrorException.of(error.asText(), null, context);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (probeOutstanding) {
                close(new OvsdbProtocolException("no reply from " + endpoint + " to the inactivity probe within " + probe.toMillis()
                    + " ms: closing the connection"));
            } else {
                probeOutstanding = true;
                enqueue("echo", OvsdbValues.JSON.arrayNode().add("probe"), new CompletableFuture<>());
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable reason = cause;
        if (cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null) {
            reason = cause.getCause();
        }
        if (reason instanceof TooLongFrameException) {
            reason = new OvsdbProtocolException("message from " + endpoint + " exceeds the limit: " + reason.getMessage(), reason);
        } else if (reason instanceof CorruptedFrameException) {
            reason = new OvsdbProtocolException("malformed JSON from " + endpoint + ": " + reason.getMessage(), reason);
        } else if (reason instanceof SSLException) {
            reason = new OvsdbException("TLS with " + endpoint + " failed: " + reason.getMessage(), reason);
        }
        LOG.debug("closing the connection to {}", endpoint, reason);
        close(reason);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        List<Pending> failed = new ArrayList<>(inFlight.values());
        failed.addAll(waiting);
        inFlight.clear();
        waiting.clear();
        // The client learns first, so that a caller seeing its call fail also sees it disconnected.
        listener.closed(this, closeCause);
        for (Pending pending : failed) {
            pending.future().completeExceptionally(closedException(pending.method()));
        }
        ctx.fireChannelInactive();
    }

    private ConnectionClosedException closedException(String method) {
        String why = closeCause == null ? "the server closed it" : closeCause.getMessage();
        return new ConnectionClosedException("connection to " + endpoint + " closed before the reply to " + method + ": " + why,
            closeCause);
    }
}
