package io.dpuvpc.ovn.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A hostile or broken server: each case must end in a clear exception and a closed connection,
 * never a hang. The fake server answers list_dbs properly so the client gets connected, then
 * misbehaves on the next request.
 */
class MalformedServerIT {
    static final String SCHEMA = "{\"name\":\"DB\",\"version\":\"1.0.0\",\"tables\":{\"T\":{\"columns\":{\"name\":{\"type\":\"string\"}}}}}";

    /** A one-connection server that handshakes honestly, then lets {@code misbehave} write what it wants. */
    static final class FakeServer implements AutoCloseable {
        final ServerSocket socket;
        final Thread thread;

        FakeServer(Consumer<OutputStream> misbehave) throws IOException {
            socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                try (Socket s = socket.accept()) {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    reply(in, out, "[\"DB\"]");           // list_dbs
                    reply(in, out, SCHEMA);                 // get_schema
                    readRequest(in);                        // the test's call
                    misbehave.accept(out);
                    out.flush();
                    Thread.sleep(60_000);                   // then hang: the client must not
                } catch (IOException | InterruptedException | java.io.UncheckedIOException e) {
                    // The test closed us, or the client hung up while we still wrote (what it must
                    // do with a message over its limit: seen as a broken pipe here under load).
                }
            }, "fake-ovsdb");
            thread.setDaemon(true);
            thread.start();
        }

        String endpoint() {
            return "tcp:127.0.0.1:" + socket.getLocalPort();
        }

        static void reply(InputStream in, OutputStream out, String result) throws IOException {
            long id = readRequest(in);
            out.write(("{\"id\":" + id + ",\"result\":" + result + ",\"error\":null}").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        static long readRequest(InputStream in) throws IOException {
            JsonNode request = ScriptedPeer.read(in);
            if (request == null) {
                throw new IOException("eof");
            }
            return request.get("id").asLong();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            thread.interrupt();
        }
    }

    static Throwable failureOf(Consumer<OutputStream> misbehave, OvsdbClientOptions.Builder tune) throws Exception {
        try (FakeServer server = new FakeServer(misbehave)) {
            OvsdbClientOptions options = tune.build();
            OvsdbClientOptions withEndpoint = OvsdbClientOptions.builder(server.endpoint()).leaderOnly(false)
                .inactivityProbe(options.inactivityProbe()).maxMessageBytes(options.maxMessageBytes())
                .reconnectBackoff(Duration.ofSeconds(30), Duration.ofSeconds(30)).build();
            try (OvsdbClient client = OvsdbClient.connect(withEndpoint).toCompletableFuture().get(10, TimeUnit.SECONDS)) {
                CompletableFuture<?> call = client.transact("DB", Operation.select("T")).toCompletableFuture();
                try {
                    call.get(10, TimeUnit.SECONDS);
                    throw new AssertionError("the call should have failed");
                } catch (ExecutionException e) {
                    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !client.isConnected());
                    return e.getCause();
                }
            }
        }
    }

    static void write(OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static OvsdbClientOptions.Builder defaults() {
        return OvsdbClientOptions.builder("tcp:127.0.0.1:1");
    }

    @Test
    void randomBytes() throws Exception {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        noise[0] = ']';
        Throwable failure = failureOf(out -> {
            try {
                out.write(noise);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, defaults());
        assertThat(failure).isInstanceOf(ConnectionClosedException.class).hasMessageContaining("malformed JSON");
    }

    @Test
    void invalidJsonInsideAnObject() throws Exception {
        Throwable failure = failureOf(out -> write(out, "{\"id\":3,\"result\":[tru]}"), defaults());
        assertThat(failure).isInstanceOf(ConnectionClosedException.class).hasMessageContaining("malformed JSON");
    }

    @Test
    void truncatedReplyThenSilenceIsEndedByTheInactivityProbe() throws Exception {
        Throwable failure = failureOf(out -> write(out, "{\"id\":3,\"result\":[{\"rows\":["), defaults().inactivityProbe(Duration.ofMillis(300)));
        assertThat(failure).isInstanceOf(ConnectionClosedException.class).hasMessageContaining("inactivity probe");
    }

    @Test
    void truncatedReplyThenClose() throws Exception {
        try (FakeServer server = new FakeServer(out -> {
            write(out, "{\"id\":3,\"resu");
        })) {
            try (OvsdbClient client = OvsdbClient.connect(OvsdbClientOptions.builder(server.endpoint()).leaderOnly(false)
                .reconnectBackoff(Duration.ofSeconds(30), Duration.ofSeconds(30)).build()).toCompletableFuture().get(10, TimeUnit.SECONDS)) {
                CompletableFuture<?> call = client.transact("DB", Operation.select("T")).toCompletableFuture();
                Thread.sleep(200);
                server.close();
                assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ConnectionClosedException.class);
            }
        }
    }

    @Test
    void hugeMessageOverTheLimit() throws Exception {
        Throwable failure = failureOf(out -> {
            write(out, "{\"id\":3,\"result\":[{\"rows\":[");
            String row = "{\"name\":\"" + "x".repeat(1000) + "\"},";
            for (int i = 0; i < 2000; i++) {
                write(out, row);
            }
        }, defaults().maxMessageBytes(1 << 20));
        assertThat(failure).isInstanceOf(ConnectionClosedException.class).hasMessageContaining("exceeds the limit");
    }

    @Test
    void deeplyNestedJson() throws Exception {
        Throwable failure = failureOf(out -> write(out, "{\"id\":3,\"result\":" + "[".repeat(5000) + "]".repeat(5000) + "}"), defaults());
        assertThat(failure).isInstanceOf(ConnectionClosedException.class).hasMessageContaining("malformed JSON");
    }

    @Test
    void replyToARequestNeverSent() throws Exception {
        Throwable failure = failureOf(out -> write(out, "{\"id\":999,\"result\":[],\"error\":null}"), defaults());
        assertThat(failure).isInstanceOf(ConnectionClosedException.class).hasMessageContaining("not pending");
    }

    @Test
    void wellFormedJsonThatIsNotOvsdb() throws Exception {
        Throwable failure = failureOf(out -> write(out, "{\"id\":3,\"result\":{\"not\":\"an array\"},\"error\":null}"), defaults());
        assertThat(failure).isInstanceOf(OvsdbProtocolException.class).hasMessageContaining("not an array");
    }
}
