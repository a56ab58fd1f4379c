package io.dpuvpc.app.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The admin API over HTTP(S) ({@code java.net.http}): requests with the bearer token, answers as
 * text, errors as {@link AdminApiException}. A CLI's client: calls block.
 */
public final class AdminClient {
    public static final String JSON = "application/json";
    public static final String YAML = "application/yaml";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    static {
        // The JDK keeps an idle connection for 20 minutes, the admin API (Pekko HTTP's idle-timeout)
        // for 60 s: a request sent on a connection the server is closing just then fails with "EOF
        // reached while reading" before any answer (seen by `simulate` at 100,000 interfaces).
        // Dropping our idle connections first avoids the race; a user's own setting is kept.
        if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
            System.setProperty("jdk.httpclient.keepalive.timeout", "30");
        }
    }

    /** An answer: HTTP code, Content-Type (may be empty) and the body as text. */
    public record Response(int code, String contentType, String body) {
        public boolean ok() {
            return code >= 200 && code < 300;
        }

        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("the admin API answered HTTP " + code + " with a body that is not JSON: "
                        + e.getOriginalMessage(), e);
            }
        }
    }

    /** How to trust an https server: the JDK's CAs, a CA file, or anything (self-signed, for labs). */
    public record Tls(Path caCertificates, boolean skipVerify) {
        public static final Tls DEFAULT = new Tls(null, false);
    }

    private final String server;
    private final Optional<String> token;
    private final HttpClient http;

    /** {@code token}: sent as {@code Authorization: Bearer}, null for none. */
    public AdminClient(URI server, String token, Tls tls) {
        String scheme = server.getScheme() == null ? "" : server.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || server.getHost() == null) {
            throw new IllegalArgumentException("--server must be an http:// or https:// URL, e.g. http://127.0.0.1:8080, not \""
                    + server + "\"");
        }
        String text = server.toString();
        this.server = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.token = Optional.ofNullable(token).map(String::strip).filter(t -> !t.isEmpty());
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (scheme.equals("https") && (tls.skipVerify() || tls.caCertificates() != null)) {
            builder.sslContext(tls.skipVerify() ? trustingAnything() : trusting(tls.caCertificates()));
        }
        this.http = builder.build();
    }

    /** The server's base URL, as given (without a trailing slash). */
    public String server() {
        return server;
    }

    /** GET; an error answer throws. */
    public Response get(String path, String accept) {
        return checked(send("GET", path, null, null, accept));
    }

    /** GET as JSON; empty when the server answers 404, other errors throw. */
    public Optional<JsonNode> find(String path) {
        Response response = send("GET", path, null, null, JSON);
        return response.code() == 404 ? Optional.empty() : Optional.of(checked(response).json());
    }

    /** PUT a document; an error answer throws. */
    public Response put(String path, String body, String contentType) {
        return checked(send("PUT", path, body, contentType, JSON));
    }

    /** DELETE; the answer as it is, errors included (a caller may accept 404). */
    public Response delete(String path) {
        return send("DELETE", path, null, null, JSON);
    }

    /** Throws the error of an answer that is not 2xx. */
    public static Response checked(Response response) {
        if (!response.ok()) {
            throw AdminApiException.of(response.code(), response.body());
        }
        return response;
    }

    /** {@code ?a=1&b=2} of the parameters with a value (encoded), or "" when none has one. */
    public static String query(Map<String, String> parameters) {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        parameters.forEach((name, value) -> {
            if (value != null) {
                query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }

    /** One exchange; the answer whatever its code; an unreachable server throws. */
    public Response send(String method, String path, String body, String contentType, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server + path)).timeout(REQUEST_TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (accept != null) {
            request.header("Accept", accept);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            // The cause as suppressed: --verbose shows it, the one-line message stays the advice.
            IllegalStateException unreachable = new IllegalStateException(unreachable());
            unreachable.addSuppressed(e);
            throw unreachable;
        } catch (SSLHandshakeException e) {
            throw new IllegalStateException("TLS with " + server + " failed (" + e.getMessage() + "): to trust its "
                    + "certificate pass --cacert FILE, or --insecure-skip-tls-verify for a self-signed lab server", e);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + server + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Watches a collection ({@code path} without {@code ?watch}): each event, as the server sends
     * it ({@code {"type":...,"object":...}}), is handed to {@code events} on the client's thread,
     * in order. The stage completes when the server ends the stream (after an ERROR event, or when
     * it stops), fails when the connection does, and cancelling it closes the stream.
     */
    public java.util.concurrent.CompletableFuture<Void> watch(String path, java.util.function.Consumer<JsonNode> events) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server + path + (path.contains("?") ? "&" : "?")
                + "watch=true")).header("Accept", JSON);
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> answer =
                http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        answer.whenComplete((response, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
                return;
            }
            if (response.statusCode() != 200) {
                String body = response.body().collect(java.util.stream.Collectors.joining("\n"));
                done.completeExceptionally(AdminApiException.of(response.statusCode(), body));
                return;
            }
            Thread reader = new Thread(() -> {
                try (java.util.stream.Stream<String> lines = response.body()) {
                    // A blank line is the server's keep-alive.
                    lines.filter(line -> !line.isBlank()).forEach(line -> {
                        if (done.isDone()) {
                            throw new java.util.concurrent.CancellationException("watch cancelled");
                        }
                        try {
                            events.accept(MAPPER.readTree(line));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException("the server sent a line that is not JSON: " + line, e);
                        }
                    });
                    done.complete(null);
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            }, "watch " + path);
            reader.setDaemon(true);
            reader.start();
        });
        // Cancelling the watch stops the reader at its next line and closes the connection.
        done.whenComplete((v, failure) -> answer.thenAccept(response -> {
            if (failure != null) {
                response.body().close();
            }
        }));
        return done;
    }

    /**
     * Whether {@code e}, from {@link #send}, means no answer came: the connection was refused (the
     * cause is kept as suppressed, see {@link #unreachable}) or lost before the answer. A retry of
     * an idempotent request is then in order.
     */
    public static boolean noAnswer(IllegalStateException e) {
        return e.getCause() instanceof IOException || Arrays.stream(e.getSuppressed()).anyMatch(IOException.class::isInstance);
    }

    /** What to say when nothing answers at the server's address. */
    String unreachable() {
        return "cannot reach the admin API at " + server + ": is `bin/vpc controller` running?";
    }

    private static SSLContext trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new IllegalArgumentException("--cacert " + caFile + " holds no PEM certificate");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--cacert " + caFile + ": no such file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --cacert " + caFile + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("--cacert " + caFile + " is not usable: " + e.getMessage(), e);
        }
    }

    /**
     * Accepts any certificate and any host name: an X509ExtendedTrustManager of our own is also
     * where JSSE would check the host name, so nothing is checked.
     */
    private static SSLContext trustingAnything() {
        TrustManager anything = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {anything}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
        }
    }
}
