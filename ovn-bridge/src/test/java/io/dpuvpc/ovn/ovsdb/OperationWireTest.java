package io.dpuvpc.ovn.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The exact JSON of each RFC 7047 section 5.2 operation and 5.1 value. */
class OperationWireTest {
    static final UUID U = UUID.fromString("6e7d3c52-1e3c-4a1c-9c4f-9a3f0e0e0c01");

    static JsonNode json(String text) throws Exception {
        return JsonRpcCodec.MAPPER.readTree(text);
    }

    @Test
    void values() throws Exception {
        assertThat(OvsdbValues.toJson("a")).isEqualTo(json("\"a\""));
        assertThat(OvsdbValues.toJson(42L)).isEqualTo(json("42"));
        assertThat(OvsdbValues.toJson(1.5)).isEqualTo(json("1.5"));
        assertThat(OvsdbValues.toJson(true)).isEqualTo(json("true"));
        assertThat(OvsdbValues.toJson(U)).isEqualTo(json("[\"uuid\",\"" + U + "\"]"));
        assertThat(OvsdbValues.toJson(new NamedUuid("row1"))).isEqualTo(json("[\"named-uuid\",\"row1\"]"));
        assertThat(OvsdbValues.toJson(List.of("x", "y"))).isEqualTo(json("[\"set\",[\"x\",\"y\"]]"));
        assertThat(OvsdbValues.toJson(Set.of())).isEqualTo(json("[\"set\",[]]"));
        Map<String, String> map = new LinkedHashMap<>();
        map.put("k1", "v1");
        map.put("k2", "v2");
        assertThat(OvsdbValues.toJson(map)).isEqualTo(json("[\"map\",[[\"k1\",\"v1\"],[\"k2\",\"v2\"]]]"));
    }

    @Test
    void valuesDecode() throws Exception {
        assertThat(OvsdbValues.fromJson(json("[\"set\",[1,2]]"))).isEqualTo(Set.of(1L, 2L));
        assertThat(OvsdbValues.fromJson(json("[\"map\",[[\"a\",[\"uuid\",\"" + U + "\"]]]]"))).isEqualTo(Map.of("a", U));
        assertThat(OvsdbValues.fromJson(json("[\"uuid\",\"" + U + "\"]"))).isEqualTo(U);
        assertThatThrownBy(() -> OvsdbValues.fromJson(json("{\"x\":1}"))).isInstanceOf(OvsdbProtocolException.class);
        assertThatThrownBy(() -> OvsdbValues.fromJson(json("[\"uuid\",\"not-a-uuid\"]"))).isInstanceOf(OvsdbProtocolException.class);
    }

    @Test
    void insert() throws Exception {
        var op = Operation.insert("Logical_Switch").value("name", "ls0").withUuidName("ls");
        assertThat(op.toJson()).isEqualTo(json("{\"op\":\"insert\",\"table\":\"Logical_Switch\",\"row\":{\"name\":\"ls0\"},\"uuid-name\":\"ls\"}"));
        assertThat(op.ref()).isEqualTo(new NamedUuid("ls"));
        assertThatThrownBy(() -> Operation.insert("T").withUuidName("not-an-id")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("not-an-id");
    }

    @Test
    void select() throws Exception {
        assertThat(Operation.select("Logical_Switch", Condition.eq("name", "ls0")).columns("_uuid", "ports").toJson())
            .isEqualTo(json("{\"op\":\"select\",\"table\":\"Logical_Switch\",\"where\":[[\"name\",\"==\",\"ls0\"]],\"columns\":[\"_uuid\",\"ports\"]}"));
        assertThat(Operation.select("NB_Global").toJson()).isEqualTo(json("{\"op\":\"select\",\"table\":\"NB_Global\",\"where\":[]}"));
    }

    @Test
    void update() throws Exception {
        assertThat(Operation.update("Logical_Switch", Map.of("other_config", Map.of("subnet", "10.0.0.0/24")), Condition.uuid(U)).toJson())
            .isEqualTo(json("{\"op\":\"update\",\"table\":\"Logical_Switch\",\"where\":[[\"_uuid\",\"==\",[\"uuid\",\"" + U + "\"]]],"
                + "\"row\":{\"other_config\":[\"map\",[[\"subnet\",\"10.0.0.0/24\"]]]}}"));
    }

    @Test
    void mutate() throws Exception {
        assertThat(Operation.mutate("Logical_Switch", List.of(Mutation.insert("ports", Set.of(new NamedUuid("p"))),
                Mutation.delete("external_ids", Set.of("k"))), Condition.includes("external_ids", Map.of("owner", "x"))).toJson())
            .isEqualTo(json("{\"op\":\"mutate\",\"table\":\"Logical_Switch\",\"where\":[[\"external_ids\",\"includes\",[\"map\",[[\"owner\",\"x\"]]]]],"
                + "\"mutations\":[[\"ports\",\"insert\",[\"set\",[[\"named-uuid\",\"p\"]]]],[\"external_ids\",\"delete\",[\"set\",[\"k\"]]]]}"));
        assertThat(Mutation.add("n", 1L).toJson()).isEqualTo(json("[\"n\",\"+=\",1]"));
        assertThat(Mutation.subtract("n", 1L).toJson()).isEqualTo(json("[\"n\",\"-=\",1]"));
        assertThat(Mutation.multiply("n", 2L).toJson()).isEqualTo(json("[\"n\",\"*=\",2]"));
        assertThat(Mutation.divide("n", 2L).toJson()).isEqualTo(json("[\"n\",\"/=\",2]"));
        assertThat(Mutation.remainder("n", 2L).toJson()).isEqualTo(json("[\"n\",\"%=\",2]"));
    }

    @Test
    void delete() throws Exception {
        assertThat(Operation.delete("ACL", Condition.ne("priority", 100L)).toJson())
            .isEqualTo(json("{\"op\":\"delete\",\"table\":\"ACL\",\"where\":[[\"priority\",\"!=\",100]]}"));
    }

    @Test
    void waitOperation() throws Exception {
        var op = Operation.waitUntil("Logical_Switch", "==", List.of(Condition.eq("name", "ls0")), List.of("name"),
            List.of(Map.of("name", "ls0")), 1000);
        assertThat(op.toJson()).isEqualTo(json("{\"op\":\"wait\",\"timeout\":1000,\"table\":\"Logical_Switch\",\"where\":[[\"name\",\"==\",\"ls0\"]],"
            + "\"columns\":[\"name\"],\"until\":\"==\",\"rows\":[{\"name\":\"ls0\"}]}"));
        assertThatThrownBy(() -> Operation.waitUntil("T", "<", List.of(), List.of(), List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void commitAbortCommentAssert() throws Exception {
        assertThat(Operation.commit(true).toJson()).isEqualTo(json("{\"op\":\"commit\",\"durable\":true}"));
        assertThat(Operation.abort().toJson()).isEqualTo(json("{\"op\":\"abort\"}"));
        assertThat(Operation.comment("why").toJson()).isEqualTo(json("{\"op\":\"comment\",\"comment\":\"why\"}"));
        assertThat(Operation.assertLock("my_lock").toJson()).isEqualTo(json("{\"op\":\"assert\",\"lock\":\"my_lock\"}"));
    }

    @Test
    void conditions() throws Exception {
        assertThat(Condition.lt("a", 1L).toJson()).isEqualTo(json("[\"a\",\"<\",1]"));
        assertThat(Condition.le("a", 1L).toJson()).isEqualTo(json("[\"a\",\"<=\",1]"));
        assertThat(Condition.gt("a", 1L).toJson()).isEqualTo(json("[\"a\",\">\",1]"));
        assertThat(Condition.ge("a", 1L).toJson()).isEqualTo(json("[\"a\",\">=\",1]"));
        assertThat(Condition.excludes("s", Set.of("x")).toJson()).isEqualTo(json("[\"s\",\"excludes\",[\"set\",[\"x\"]]]"));
    }

    @Test
    void monitorRequests() throws Exception {
        var request = MonitorRequest.builder("OVN_Northbound").table("Logical_Switch", List.of("name"), Condition.eq("name", "a"))
            .table("ACL").build();
        assertThat(request.toJson(MonitorMethod.MONITOR_COND)).isEqualTo(json(
            "{\"Logical_Switch\":[{\"columns\":[\"name\"],\"where\":[[\"name\",\"==\",\"a\"]]}],\"ACL\":[{}]}"));
        assertThat(MonitorRequest.allOf("OVN_Northbound", "ACL").toJson(MonitorMethod.MONITOR)).isEqualTo(json("{\"ACL\":{}}"));
    }

    @Test
    void transactionResultsMapErrorsToTypes() throws Exception {
        List<Operation> ops = List.of(Operation.insert("T"), Operation.insert("T"));
        assertThatThrownBy(() -> OvsdbClient.transactionResults(ops,
            json("[{\"uuid\":[\"uuid\",\"" + U + "\"]},{\"error\":\"constraint violation\",\"details\":\"dup\"},null]")))
            .isInstanceOfSatisfying(TransactionFailedException.class, e -> {
                assertThat(e.failedIndex()).isEqualTo(1);
                assertThat(e.error()).isInstanceOf(OvsdbErrorException.ConstraintViolation.class);
                assertThat(e.error().details()).isEqualTo("dup");
                assertThat(e.results().get(0).uuid()).isEqualTo(U);
            });
        // An error after the last operation is a commit failure (RFC 7047 4.1.3).
        assertThatThrownBy(() -> OvsdbClient.transactionResults(ops,
            json("[{\"uuid\":[\"uuid\",\"" + U + "\"]},{\"uuid\":[\"uuid\",\"" + U + "\"]},{\"error\":\"referential integrity violation\"}]")))
            .isInstanceOfSatisfying(TransactionFailedException.class, e -> {
                assertThat(e.failedIndex()).isEqualTo(2);
                assertThat(e.getMessage()).contains("commit");
                assertThat(e.error()).isInstanceOf(OvsdbErrorException.ReferentialIntegrityViolation.class);
            });
        for (String error : List.of("resources exhausted", "I/O error", "duplicate uuid-name", "domain error", "range error", "timed out",
            "not supported", "aborted", "not owner", "unknown database", "unknown method")) {
            assertThat(OvsdbErrorException.of(error, null, "x").getClass()).isNotEqualTo(OvsdbErrorException.class);
        }
    }

    @Test
    void endpoints() {
        assertThat(OvsdbEndpoint.parse("tcp:127.0.0.1:6641")).isEqualTo(new OvsdbEndpoint(OvsdbEndpoint.Transport.TCP, "127.0.0.1", 6641, null));
        assertThat(OvsdbEndpoint.parse("ssl:[::1]:6641").toString()).isEqualTo("ssl:[::1]:6641");
        assertThat(OvsdbEndpoint.parse("unix:/run/ovn/ovnnb_db.sock").path()).isEqualTo("/run/ovn/ovnnb_db.sock");
        assertThat(OvsdbEndpoint.parseList("tcp:10.0.0.1:6641, tcp:10.0.0.2:6641")).hasSize(2);
        assertThatThrownBy(() -> OvsdbEndpoint.parse("http://x")).hasMessageContaining("expected tcp:IP:PORT");
        assertThatThrownBy(() -> OvsdbEndpoint.parse("tcp:1.2.3.4:99999")).hasMessageContaining("99999");
    }
}
