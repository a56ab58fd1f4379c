package io.dpuvpc.simulator.ovs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpuvpc.ovn.ovsdb.MonitorMethod;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to one emulated database: answers the JSON-RPC methods of RFC 7047 4.1
 * and ovsdb-server(7) that our client uses, and a JSON-RPC error to anything else, so that no
 * request is left without a reply. Runs on the database's event loop, like the database itself.
 */
final class EmulatedOvsdbSession extends SimpleChannelInboundHandler<JsonNode> {
    private static final Logger LOG = LoggerFactory.getLogger(EmulatedOvsdbSession.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final EmulatedDatabase database;
    private final Map<String, MonitorSubscription> monitors = new HashMap<>();
    private ChannelHandlerContext ctx;

    EmulatedOvsdbSession(EmulatedDatabase database) {
        this.database = database;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, JsonNode message) {
        JsonNode id = message.get("id");
        if (!message.path("method").isTextual()) {
            return; // a reply: we send no requests
        }
        String method = message.get("method").asText();
        JsonNode params = message.get("params");
        if (id == null || id.isNull()) {
            return; // a notification ("cancel"): nothing is ever pending here, so nothing to cancel
        }
        try {
            if (params == null || !params.isArray()) {
                throw new OvsdbRequestException("syntax error", "params must be an array");
            }
            if (method.equals("transact")) {
                // Its reply may come later: a wait can hold the transaction back.
                requireDatabase((ArrayNode) params);
                List<JsonNode> operations = new ArrayList<>();
                for (int i = 1; i < params.size(); i++) {
                    operations.add(params.get(i));
                }
                database.transact(operations, results -> reply(ctx, id, results, null));
                return;
            }
            reply(ctx, id, call(method, (ArrayNode) params), null);
        } catch (OvsdbRequestException e) {
            reply(ctx, id, null, e);
        }
    }

    private static void reply(ChannelHandlerContext ctx, JsonNode id, JsonNode result, OvsdbRequestException error) {
        ObjectNode reply = JSON.objectNode();
        if (error == null) {
            reply.set("result", result);
            reply.putNull("error");
        } else {
            reply.putNull("result");
            reply.set("error", error.toJson());
        }
        reply.set("id", id);
        ctx.writeAndFlush(reply);
    }

    private JsonNode call(String method, ArrayNode params) {
        return switch (method) {
            case "list_dbs" -> JSON.arrayNode().add(database.name());
            case "get_schema" -> {
                requireDatabase(params);
                yield database.schema().json();
            }
            case "echo" -> params;
            case "monitor" -> monitor(params, MonitorMethod.MONITOR);
            case "monitor_cond" -> monitor(params, MonitorMethod.MONITOR_COND);
            case "monitor_cond_since" -> monitor(params, MonitorMethod.MONITOR_COND_SINCE);
            case "monitor_cancel" -> {
                MonitorSubscription gone = monitors.remove(key(params.get(0)));
                if (gone == null) {
                    throw new OvsdbRequestException("unknown monitor", "no monitor " + params.get(0));
                }
                database.unsubscribe(gone);
                yield JSON.objectNode();
            }
            default -> throw new OvsdbRequestException("unknown method", "the emulated ovsdb-server has no method " + method);
        };
    }

    private void requireDatabase(ArrayNode params) {
        if (params.size() < 1 || !database.name().equals(params.get(0).asText())) {
            throw new OvsdbRequestException("unknown database", "this server has only " + database.name());
        }
    }

    /**
     * monitor and monitor_cond answer with the {@code <table-updates>}; monitor_cond_since with
     * {@code [found, last-txn-id, updates]}: found, with no updates, only when the client already
     * has the last transaction (no history is kept, which the client then handles as a fresh start).
     */
    private JsonNode monitor(ArrayNode params, MonitorMethod method) {
        requireDatabase(params);
        JsonNode id = params.get(1);
        if (id == null || monitors.containsKey(key(id))) {
            throw new OvsdbRequestException("duplicate monitor ID", "monitor " + id + " exists or has no id");
        }
        MonitorSubscription monitor = MonitorSubscription.parse(database.schema(), id, method, params.get(2));
        monitors.put(key(id), monitor);
        ObjectNode initial = database.subscribe(this, monitor);
        if (method != MonitorMethod.MONITOR_COND_SINCE) {
            return initial;
        }
        boolean found = database.lastTxnId().equals(params.path(3).asText());
        return JSON.arrayNode().add(found).add(database.lastTxnId()).add(found ? JSON.objectNode() : initial);
    }

    private static String key(JsonNode id) {
        return id == null ? "null" : id.toString();
    }

    /** A commit's changes to one of this session's monitors, as its method's notification. */
    void notify(MonitorSubscription monitor, String txnId, ObjectNode updates) {
        ArrayNode params = JSON.arrayNode().add(monitor.id());
        String method = switch (monitor.method()) {
            case MONITOR -> "update";
            case MONITOR_COND -> "update2";
            case MONITOR_COND_SINCE -> {
                params.add(txnId);
                yield "update3";
            }
        };
        params.add(updates);
        ObjectNode message = JSON.objectNode().put("method", method);
        message.set("params", params);
        message.putNull("id");
        ctx.writeAndFlush(message);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        monitors.values().forEach(database::unsubscribe);
        monitors.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Undecodable input leaves the stream unusable, as ovsdb-server treats it: close the connection.
        LOG.debug("closing a session of {}: {}", database.dpu(), cause.toString());
        ctx.close();
    }
}
