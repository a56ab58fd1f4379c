package io.dpuvpc.ovn.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An old server (as ovsdb-server before 2.6) knows only RFC 7047's {@code monitor}: the client
 * tries monitor_cond_since, then monitor_cond, then monitor, and its cache follows the server's
 * {@code update} notifications. Our Debian ovsdb-server knows all three, so this server is a
 * scripted stand-in speaking the exact wire protocol.
 */
class MonitorFallbackIT {
    static final String SCHEMA = "{\"name\":\"DB\",\"version\":\"1.0.0\",\"tables\":{\"T\":{\"columns\":{\"name\":{\"type\":\"string\"}}}}}";
    static final String ROW = "00000000-0000-0000-0000-000000000001";

    @Test
    void fallsBackToPlainMonitorAndFollowsUpdates() throws Exception {
        List<String> methods = new CopyOnWriteArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread thread = new Thread(() -> serve(server, methods), "old-ovsdb");
            thread.setDaemon(true);
            thread.start();
            try (OvsdbClient client = OvsdbClient.connect(OvsdbClientOptions.builder("tcp:127.0.0.1:" + server.getLocalPort())
                .leaderOnly(false).build()).toCompletableFuture().get(10, TimeUnit.SECONDS)) {
                Monitor monitor = client.monitor(MonitorRequest.allOf("DB", "T")).toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertThat(monitor.method()).isEqualTo(MonitorMethod.MONITOR);
                assertThat(client.monitorMethod()).isEqualTo(MonitorMethod.MONITOR);
                // The initial row, then the update the server sends right behind the reply.
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(monitor.cache().table("T").byName("updated")).hasSize(1));
                assertThat(monitor.cache().table("T").size()).isEqualTo(1);
            }
        }
        assertThat(methods).containsSubsequence("monitor_cond_since", "monitor_cond", "monitor");
    }

    private static void serve(ServerSocket server, List<String> methods) {
        try (Socket s = server.accept()) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (true) {
                JsonNode request = ScriptedPeer.read(in);
                if (request == null) {
                    return;
                }
                String method = request.get("method").asText();
                methods.add(method);
                String id = request.get("id").toString();
                String reply = switch (method) {
                    case "list_dbs" -> "{\"id\":" + id + ",\"result\":[\"DB\"],\"error\":null}";
                    case "get_schema" -> "{\"id\":" + id + ",\"result\":" + SCHEMA + ",\"error\":null}";
                    case "monitor" -> "{\"id\":" + id + ",\"result\":{\"T\":{\"" + ROW + "\":{\"new\":{\"name\":\"initial\"}}}},\"error\":null}"
                        + "{\"id\":null,\"method\":\"update\",\"params\":[" + request.get("params").get(1)
                        + ",{\"T\":{\"" + ROW + "\":{\"old\":{\"name\":\"initial\"},\"new\":{\"name\":\"updated\"}}}}]}";
                    default -> "{\"id\":" + id + ",\"result\":null,\"error\":\"unknown method\"}";
                };
                out.write(reply.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (Exception e) {
            // the client went away
        }
    }
}
