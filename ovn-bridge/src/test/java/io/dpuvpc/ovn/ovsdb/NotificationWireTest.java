package io.dpuvpc.ovn.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The notifications (update, update2, update3) applied to a cache, and the JSON-RPC session's
 * exact requests and replies, on an in-memory channel.
 */
class NotificationWireTest {
    static final String SCHEMA = """
        {"name":"DB","version":"1.0.0","tables":{"T":{"columns":{
          "name":{"type":"string"},
          "tags":{"type":{"key":"string","min":0,"max":"unlimited"}},
          "opt":{"type":{"key":"integer","min":0,"max":1}},
          "external_ids":{"type":{"key":"string","value":"string","min":0,"max":"unlimited"}}}}}}""";
    static final UUID A = UUID.fromString("00000000-0000-0000-0000-00000000000a");

    static JsonNode json(String text) throws Exception {
        return JsonRpcCodec.MAPPER.readTree(text);
    }

    static DatabaseCache cache() throws Exception {
        return new DatabaseCache(DatabaseSchema.fromJson(json(SCHEMA)), MonitorRequest.allOf("DB", "T"));
    }

    @Test
    void updateV1InsertModifyDelete() throws Exception {
        DatabaseCache cache = cache();
        var events = cache.apply(json("{\"T\":{\"" + A + "\":{\"new\":{\"name\":\"a\",\"tags\":\"x\",\"opt\":[\"set\",[]],"
            + "\"external_ids\":[\"map\",[[\"owner\",\"me\"]]]}}}}"), false);
        assertThat(events).singleElement().satisfies(e -> assertThat(e.kind()).isEqualTo(CacheEvent.Kind.INSERT));
        Row row = cache.table("T").row(A).orElseThrow();
        assertThat(row.<String>getSet("tags")).containsExactly("x"); // a one-element set may come as a bare atom
        assertThat(row.integer("opt")).isEmpty();
        assertThat(cache.table("T").byName("a")).containsExactly(row);
        assertThat(cache.table("T").byExternalId("owner", "me")).containsExactly(row);

        cache.apply(json("{\"T\":{\"" + A + "\":{\"old\":{\"name\":\"a\"},\"new\":{\"name\":\"b\",\"tags\":[\"set\",[]],\"opt\":3,"
            + "\"external_ids\":[\"map\",[]]}}}}"), false);
        assertThat(cache.table("T").byName("a")).isEmpty();
        assertThat(cache.table("T").byExternalId("owner", "me")).isEmpty();
        assertThat(cache.table("T").byName("b").get(0).integer("opt")).contains(3L);

        var deleted = cache.apply(json("{\"T\":{\"" + A + "\":{\"old\":{\"name\":\"b\"}}}}"), false);
        assertThat(deleted.get(0).kind()).isEqualTo(CacheEvent.Kind.DELETE);
        assertThat(cache.table("T").size()).isZero();
    }

    @Test
    void lookupsOnColumnsTheMonitorLeavesOutFailLoudly() throws Exception {
        DatabaseCache cache = new DatabaseCache(DatabaseSchema.fromJson(json(SCHEMA)),
            MonitorRequest.builder("DB").table("T", List.of("tags")).build());
        assertThatThrownBy(() -> cache.table("T").byName("a")).isInstanceOf(SchemaMismatchException.class)
            .hasMessageContaining("'name' among the monitored columns");
        assertThatThrownBy(() -> cache.table("T").byExternalId("k", "v")).isInstanceOf(SchemaMismatchException.class);
    }

    @Test
    void update2DiffsSetsAndMaps() throws Exception {
        DatabaseCache cache = cache();
        cache.apply(json("{\"T\":{\"" + A + "\":{\"insert\":{\"name\":\"a\",\"tags\":[\"set\",[\"x\",\"y\"]],"
            + "\"external_ids\":[\"map\",[[\"k1\",\"v1\"],[\"k2\",\"v2\"]]]}}}}"), true);
        // Set: symmetric difference. Map: same value removes, new key adds, other value replaces.
        cache.apply(json("{\"T\":{\"" + A + "\":{\"modify\":{\"tags\":[\"set\",[\"x\",\"z\"]],"
            + "\"external_ids\":[\"map\",[[\"k1\",\"v1\"],[\"k2\",\"changed\"],[\"k3\",\"v3\"]]]}}}}"), true);
        Row row = cache.table("T").row(A).orElseThrow();
        assertThat(row.<String>getSet("tags")).containsExactlyInAnyOrder("y", "z");
        assertThat(row.getStringMap("external_ids")).isEqualTo(Map.of("k2", "changed", "k3", "v3"));
        assertThat(row.getString("name")).isEqualTo("a");
        assertThat(cache.apply(json("{\"T\":{\"" + A + "\":{\"delete\":null}}}"), true).get(0).kind()).isEqualTo(CacheEvent.Kind.DELETE);
    }

    @Test
    void referrersFollowEveryInsertModifyAndDelete() throws Exception {
        DatabaseCache cache = new DatabaseCache(DatabaseSchema.fromJson(json("""
            {"name":"DB","version":"1.0.0","tables":{
              "P":{"columns":{"kids":{"type":{"key":{"type":"uuid","refTable":"C"},"min":0,"max":"unlimited"}}}},
              "C":{"columns":{"name":{"type":"string"}}}}}""")), MonitorRequest.allOf("DB", "P", "C"));
        UUID p1 = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
        UUID p2 = UUID.fromString("00000000-0000-0000-0000-0000000000b2");
        UUID k1 = UUID.fromString("00000000-0000-0000-0000-0000000000c1");
        UUID k2 = UUID.fromString("00000000-0000-0000-0000-0000000000c2");
        cache.apply(json("{\"P\":{\"" + p1 + "\":{\"insert\":{\"kids\":[\"set\",[[\"uuid\",\"" + k1 + "\"],[\"uuid\",\""
            + k2 + "\"]]]}},\"" + p2 + "\":{\"insert\":{\"kids\":[\"uuid\",\"" + k2 + "\"]}}}}"), true);
        TableCache parents = cache.table("P");
        assertThat(parents.referrers("kids", k1)).extracting(Row::uuid).containsExactly(p1);
        assertThat(parents.referrers("kids", k2)).extracting(Row::uuid).containsExactlyInAnyOrder(p1, p2);

        // update2's set difference: k1 leaves p1, k1 joins p2.
        cache.apply(json("{\"P\":{\"" + p1 + "\":{\"modify\":{\"kids\":[\"uuid\",\"" + k1 + "\"]}},\"" + p2
            + "\":{\"modify\":{\"kids\":[\"uuid\",\"" + k1 + "\"]}}}}"), true);
        assertThat(parents.referrers("kids", k1)).extracting(Row::uuid).containsExactly(p2);
        assertThat(parents.referrers("kids", k2)).extracting(Row::uuid).containsExactlyInAnyOrder(p1, p2);

        cache.apply(json("{\"P\":{\"" + p2 + "\":{\"delete\":null}}}"), true);
        assertThat(parents.referrers("kids", k1)).isEmpty();
        assertThat(parents.referrers("kids", k2)).extracting(Row::uuid).containsExactly(p1);
        assertThatThrownBy(() -> cache.table("C").referrers("name", k1)).isInstanceOf(SchemaMismatchException.class)
            .hasMessageContaining("C.name");
    }

    @Test
    void update2GivesAnOptionalScalarItsNewValueNotADifference() throws Exception {
        // As ovsdb-server 3.1 sends Logical_Switch_Port.up (min 0, max 1): false, then true, then cleared.
        DatabaseCache cache = cache();
        cache.apply(json("{\"T\":{\"" + A + "\":{\"insert\":{\"name\":\"a\",\"opt\":1}}}}"), true);
        cache.apply(json("{\"T\":{\"" + A + "\":{\"modify\":{\"opt\":2}}}}"), true);
        assertThat(cache.table("T").row(A).orElseThrow().integer("opt")).contains(2L);
        cache.apply(json("{\"T\":{\"" + A + "\":{\"modify\":{\"opt\":[\"set\",[]]}}}}"), true);
        assertThat(cache.table("T").row(A).orElseThrow().integer("opt")).isEmpty();
        cache.apply(json("{\"T\":{\"" + A + "\":{\"modify\":{\"opt\":7}}}}"), true);
        assertThat(cache.table("T").row(A).orElseThrow().integer("opt")).contains(7L);
    }

    @Test
    void aValueItsColumnCannotHoldIsAProtocolErrorNamingTheColumnAndTheCacheKeepsWhatItHad() throws Exception {
        DatabaseCache cache = cache();
        cache.apply(json("{\"T\":{\"" + A + "\":{\"insert\":{\"name\":[\"set\",[\"a\"]],\"opt\":1}}}}"), true);
        Row before = cache.table("T").row(A).orElseThrow();
        assertThat(before.getString("name")).isEqualTo("a"); // a scalar may come as a one-element set
        // Found by OvsdbDecoderFuzzTest: two names once reached the name index as an IllegalStateException.
        Map<String, String> refused = Map.of(
            "{\"name\":[\"set\",[\"a\",\"b\"]]}", "column T.name: expected string, got a set of 2",
            "{\"name\":7}", "column T.name: expected a string, got integer 7",
            "{\"opt\":[\"set\",[1,2]]}", "column T.opt: expected set of 0..1 integer, got a set of 2",
            "{\"opt\":true}", "column T.opt: expected an integer, got boolean true",
            "{\"tags\":[\"set\",[\"x\",[\"uuid\",\"" + A + "\"]]]}", "column T.tags: expected a string, got uuid " + A,
            "{\"tags\":[\"map\",[]]}", "column T.tags: expected set of 0..unlimited string, got a map",
            "{\"external_ids\":\"x\"}", "column T.external_ids: expected map of 0..unlimited string to string, got string x",
            "{\"external_ids\":[\"map\",[[\"k\",1.5]]]}", "column T.external_ids: expected a string, got real 1.5");
        refused.forEach((modify, message) -> {
            assertThatThrownBy(() -> cache.apply(json("{\"T\":{\"" + A + "\":{\"modify\":" + modify + "}}}"), true))
                .as(modify).isInstanceOf(OvsdbProtocolException.class).hasMessageStartingWith(message);
            assertThatThrownBy(() -> cache.apply(json("{\"T\":{\"" + UUID.randomUUID() + "\":{\"insert\":" + modify + "}}}"),
                true)).as(modify).isInstanceOf(OvsdbProtocolException.class).hasMessageStartingWith(message);
        });
        assertThat(cache.table("T").row(A)).contains(before);
        assertThat(cache.table("T").size()).isOne();
    }

    @Test
    void update3NotificationMovesTheTransactionIdThroughTheSession() throws Exception {
        List<String> methods = new ArrayList<>();
        List<JsonNode> params = new ArrayList<>();
        EmbeddedChannel channel = channel(new JsonRpcSession.Listener() {
            @Override
            public void notification(JsonRpcSession s, String method, JsonNode p) {
                methods.add(method);
                params.add(p);
            }

            @Override
            public void closed(JsonRpcSession s, Throwable cause) {
            }
        });
        channel.writeInbound(bytes("{\"id\":null,\"method\":\"update3\",\"params\":[\"m1\",\"" + A + "\",{\"T\":{}}]}"));
        assertThat(methods).containsExactly("update3");
        assertThat(params.get(0)).isEqualTo(json("[\"m1\",\"" + A + "\",{\"T\":{}}]"));
    }

    @Test
    void requestsAreNumberedAndRepliesMatched() throws Exception {
        JsonRpcSession session = new JsonRpcSession(OvsdbEndpoint.parse("tcp:127.0.0.1:1"), quiet(), 2, Duration.ZERO);
        EmbeddedChannel channel = new EmbeddedChannel(new JsonFrameDecoder(1 << 20), new JsonRpcCodec(), session);
        ArrayNode p = OvsdbValues.JSON.arrayNode().add("OVN_Northbound");
        CompletableFuture<JsonNode> first = session.call("get_schema", p);
        CompletableFuture<JsonNode> second = session.call("list_dbs", OvsdbValues.JSON.arrayNode());
        CompletableFuture<JsonNode> third = session.call("echo", OvsdbValues.JSON.arrayNode());
        assertThat(outbound(channel)).isEqualTo(json("{\"method\":\"get_schema\",\"params\":[\"OVN_Northbound\"],\"id\":1}"));
        assertThat(outbound(channel)).isEqualTo(json("{\"method\":\"list_dbs\",\"params\":[],\"id\":2}"));
        assertThat((Object) channel.readOutbound()).as("the third waits: at most 2 in flight").isNull();

        channel.writeInbound(bytes("{\"id\":2,\"result\":[\"OVN_Northbound\"],\"error\":null}"));
        assertThat(second).isCompletedWithValue(json("[\"OVN_Northbound\"]"));
        assertThat(outbound(channel)).isEqualTo(json("{\"method\":\"echo\",\"params\":[],\"id\":3}"));

        channel.writeInbound(bytes("{\"id\":1,\"result\":null,\"error\":{\"error\":\"unknown database\",\"details\":\"x\"}}"));
        assertThat(first).isCompletedExceptionally();
        assertThatThrownBy(first::join).hasCauseInstanceOf(OvsdbErrorException.UnknownDatabase.class);

        channel.close();
        assertThatThrownBy(third::join).hasCauseInstanceOf(ConnectionClosedException.class);
    }

    @Test
    void theServersEchoIsAnswered() throws Exception {
        EmbeddedChannel channel = channel(quiet());
        channel.writeInbound(bytes("{\"id\":\"echo\",\"method\":\"echo\",\"params\":[]}"));
        assertThat(outbound(channel)).isEqualTo(json("{\"result\":[],\"error\":null,\"id\":\"echo\"}"));
    }

    @Test
    void garbageClosesTheChannelAndFailsPendingCalls() throws Exception {
        JsonRpcSession session = new JsonRpcSession(OvsdbEndpoint.parse("tcp:127.0.0.1:1"), quiet(), 10, Duration.ZERO);
        EmbeddedChannel channel = new EmbeddedChannel(new JsonFrameDecoder(1 << 20), new JsonRpcCodec(), session);
        CompletableFuture<JsonNode> call = session.call("list_dbs", OvsdbValues.JSON.arrayNode());
        channel.writeInbound(bytes("]]]not json"));
        assertThat(channel.isOpen()).isFalse();
        assertThatThrownBy(call::join).hasCauseInstanceOf(ConnectionClosedException.class).hasMessageContaining("malformed JSON");
    }

    static JsonRpcSession.Listener quiet() {
        return new JsonRpcSession.Listener() {
            @Override
            public void notification(JsonRpcSession s, String method, JsonNode params) {
            }

            @Override
            public void closed(JsonRpcSession s, Throwable cause) {
            }
        };
    }

    static EmbeddedChannel channel(JsonRpcSession.Listener listener) {
        return new EmbeddedChannel(new JsonFrameDecoder(1 << 20), new JsonRpcCodec(),
            new JsonRpcSession(OvsdbEndpoint.parse("tcp:127.0.0.1:1"), listener, 10, Duration.ZERO));
    }

    static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    static JsonNode outbound(EmbeddedChannel channel) throws Exception {
        ByteBuf buf = channel.readOutbound();
        try {
            return json(buf.toString(StandardCharsets.UTF_8));
        } finally {
            buf.release();
        }
    }
}
