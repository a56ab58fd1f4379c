package io.dpuvpc.app.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in admin API on 127.0.0.1: records each request and answers what the test queued for
 * its method and path (with query), the last answer repeating; 404 with a Status when nothing was
 * queued. Tests the client's side only.
 */
final class FakeAdminApi implements AutoCloseable {

    record Request(String method, String pathAndQuery, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    record Answer(int code, String contentType, String body) {}

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Deque<Answer>> answers = new HashMap<>();

    FakeAdminApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues an answer to {@code method pathAndQuery}. */
    synchronized FakeAdminApi answer(String method, String pathAndQuery, int code, String body) {
        String type = body.startsWith("{") ? "application/json" : "text/plain";
        answers.computeIfAbsent(method + " " + pathAndQuery, k -> new ArrayDeque<>()).add(new Answer(code, type, body));
        return this;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    static String status(int code, String reason, String message) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\""
                + message.replace("\"", "\\\"") + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(java.util.Locale.ROOT), String.join(",", values)));
        String target = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        Answer answer;
        synchronized (this) {
            requests.add(new Request(exchange.getRequestMethod(), target, headers, body));
            Deque<Answer> queued = answers.get(exchange.getRequestMethod() + " " + target);
            answer = queued == null || queued.isEmpty()
                    ? new Answer(404, "application/json", status(404, "NotFound", "nothing queued for " + target))
                    : queued.size() > 1 ? queued.poll() : queued.peek();
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.code(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
