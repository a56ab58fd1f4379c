package io.dpuvpc.app.cluster;

import static io.dpuvpc.app.cluster.AdminApiClient.VPC;
import static io.dpuvpc.app.cluster.AdminApiClient.vpc;
import static io.dpuvpc.app.cluster.AdminApiClient.vpcDocument;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.dpuvpc.app.client.AdminClient;
import io.dpuvpc.app.client.AdminClient.Response;
import io.dpuvpc.app.cluster.AdminApiClient.Run;
import io.dpuvpc.http.api.AdminServer;
import io.dpuvpc.ovn.lab.Pki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API over HTTPS: a real controller process (Cassandra, the API on loopback behind a
 * token file) given {@code api.tls-certificate} and {@code api.tls-key} from a test PKI
 * ({@link Pki}: a CA, a server certificate for 127.0.0.1, an unrelated CA). A client trusting the
 * test CA is answered and tokens still guard changes; a client trusting another CA, or only the
 * JDK's, is refused in the handshake; plain HTTP to the port gets no API answer; after each refusal
 * no PUT has reached the API. Prints the time of a request on a new connection (handshake included)
 * and on a kept one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminApiTlsIT {
  static final String RW = "rw-token-0123456789abcdef";
  static final String YAML = "application/yaml";
  static final String VPCS = VPC + "/namespaces/tls/dpuvpcs/";

  @TempDir
  static Path dir;

  private Pki pki;
  private ControllerProcess process;
  private String base;
  private AdminClient trusting;

  @BeforeAll
  void start() throws Exception {
    pki = Pki.create(dir.resolve("pki"));
    process = AdminApiClient.startController(dir, "admintls", "# admin API tokens\n" + RW + "\n",
        "tls-certificate = \"%s\", tls-key = \"%s\"".formatted(pki.serverCertificate(), pki.serverPrivateKey()));
    base = "https://127.0.0.1:" + process.apiPort();
    trusting = client(base, null, pki.caCertificate());
    await().atMost(Duration.ofSeconds(30)).until(() -> trusting.send("GET", "/readyz", null, null, null).code() == 200);
  }

  @AfterAll
  void stop() {
    if (process != null) {
      process.close();
    }
  }

  @Test
  @Order(1)
  void aClientTrustingTheTestCaIsAnsweredAndTokensStillGuardChanges() {
    Response health = trusting.send("GET", "/healthz", null, null, null);
    assertThat(health.code()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok\n");
    Response list = trusting.send("GET", VPC + "/dpuvpcs", null, null, AdminClient.JSON);
    assertThat(list.code()).isEqualTo(200);
    assertThat(list.json().get("kind").asText()).isEqualTo("DPUVPCList");

    Response anonymous = trusting.send("PUT", VPCS + "secure", vpcDocument("tls", "secure", true), YAML, AdminClient.JSON);
    assertThat(anonymous.code()).as(anonymous.body()).isEqualTo(401);
    assertThat(get("secure").code()).isEqualTo(404);
    AdminClient writer = client(base, RW, pki.caCertificate());
    Response created = writer.send("PUT", VPCS + "secure", vpcDocument("tls", "secure", true), YAML, AdminClient.JSON);
    assertThat(created.code()).as(created.body()).isEqualTo(201);
    Response read = get("secure");
    assertThat(read.code()).isEqualTo(200);
    assertThat(read.json().at("/spec/tenant").asText()).isEqualTo("tenant-secure");
    // The count the later tests compare sees both PUTs, the refused one included.
    assertThat(puts()).isEqualTo(2);

    // A new client each time is a new connection, so a full handshake; one client's later calls reuse its connection.
    long[] fresh = new long[10];
    for (int i = 0; i < fresh.length; i++) {
      AdminClient client = client(base, null, pki.caCertificate());
      long t0 = System.nanoTime();
      assertThat(client.send("GET", "/healthz", null, null, null).code()).isEqualTo(200);
      fresh[i] = System.nanoTime() - t0;
    }
    long[] kept = new long[10];
    for (int i = 0; i < kept.length; i++) {
      long t0 = System.nanoTime();
      assertThat(trusting.send("GET", "/healthz", null, null, null).code()).isEqualTo(200);
      kept[i] = System.nanoTime() - t0;
    }
    System.out.printf(Locale.ROOT, "GET /healthz over HTTPS on a new connection (handshake included): median %.1f ms, "
        + "max %.1f ms; on a kept connection: median %.1f ms, max %.1f ms (10 each)%n", median(fresh), max(fresh),
        median(kept), max(kept));
  }

  @Test
  @Order(2)
  void aClientThatDoesNotTrustTheCaIsRefusedInTheHandshakeAndChangesNothing() {
    long puts = puts();
    String refused = vpcDocument("tls", "refused", true);
    Map<String, AdminClient> untrustingClients = Map.of("trusting another CA", client(base, RW, pki.foreignCaCertificate()),
        "trusting the JDK's CAs", new AdminClient(URI.create(base), RW, AdminClient.Tls.DEFAULT));
    untrustingClients.forEach((trust, untrusting) -> {
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> untrusting.send("PUT", VPCS + "refused", refused, YAML, AdminClient.JSON))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("TLS with " + base + " failed")
          .hasMessageContaining("--cacert FILE")
          .hasCauseInstanceOf(SSLHandshakeException.class);
      System.out.printf(Locale.ROOT, "a client %s: refused in the handshake in %.1f ms%n", trust,
          (System.nanoTime() - t0) / 1e6);
    });
    assertThat(get("refused").code()).isEqualTo(404);
    assertThat(puts()).isEqualTo(puts);
  }

  @Test
  @Order(3)
  void plainHttpToTheTlsPortGetsNoApiAnswer() throws Exception {
    long puts = puts();
    String body = vpcDocument("tls", "plain", true);
    String request = "PUT " + VPCS + "plain HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + RW
        + "\r\nContent-Type: " + YAML + "\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\nConnection: close\r\n\r\n" + body;
    long t0 = System.nanoTime();
    byte[] back = exchange(request.getBytes(StandardCharsets.UTF_8));
    String text = new String(back, StandardCharsets.ISO_8859_1);
    assertThat(text).doesNotStartWith("HTTP/").doesNotContain("DPUVPC");
    System.out.printf(Locale.ROOT, "plain HTTP to the TLS port: %d bytes back (%s), connection closed after %.1f ms%n",
        back.length, back.length == 0 ? "none" : String.format(Locale.ROOT, "first 0x%02x, 0x15 is a TLS alert", back[0]),
        (System.nanoTime() - t0) / 1e6);
    // The CLI's client, told http://, gets no answer either.
    AdminClient plain = new AdminClient(URI.create("http://127.0.0.1:" + process.apiPort()), RW, AdminClient.Tls.DEFAULT);
    assertThatThrownBy(() -> plain.send("GET", "/healthz", null, null, null)).isInstanceOf(IllegalStateException.class);
    assertThat(get("plain").code()).isEqualTo(404);
    assertThat(puts()).isEqualTo(puts);
  }

  @Test
  @Order(4)
  void theVpcCommandTalksHttpsWithCacertAndSaysWhatIsMissingWithout() {
    Run get = vpc("get", "dpuvpcs", "-A", "--server", base, "--cacert", pki.caCertificate().toString());
    assertThat(get.code()).as(get.err()).isEqualTo(0);
    assertThat(get.out()).contains("NAMESPACE", "tls", "secure");

    Run untrusted = vpc("get", "dpuvpcs", "-A", "--server", base);
    assertThat(untrusted.code()).isEqualTo(1);
    assertThat(untrusted.err()).contains("TLS with " + base + " failed", "--cacert FILE");

    Path missing = dir.resolve("no-such-ca.pem");
    Run noFile = vpc("get", "dpuvpcs", "-A", "--server", base, "--cacert", missing.toString());
    assertThat(noFile.code()).isEqualTo(1);
    assertThat(noFile.err()).contains("--cacert " + missing + ": no such file");
  }

  @Test
  @Order(5)
  void aCertificateWithoutAKeyOrAKeyWithoutACertificateIsAClearErrorNamingTheSetting() {
    assertThatThrownBy(() -> settings("tls-certificate", pki.serverCertificate()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("dpuvpc.controller.api.tls-certificate is set but api.tls-key is not")
        .hasMessageContaining("HTTPS needs both PEM files");
    assertThatThrownBy(() -> settings("tls-key", pki.serverPrivateKey()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("dpuvpc.controller.api.tls-key is set but api.tls-certificate is not");
    assertThatThrownBy(() -> new AdminServer.Settings("127.0.0.1", 0, Optional.of(pki.serverCertificate()),
        Optional.empty())).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TLS needs both a certificate and a key (PEM files)");
  }

  private static ControllerProcess.Settings settings(String key, Path file) {
    return ControllerProcess.Settings.from(ConfigFactory.parseString("dpuvpc.controller.api." + key + " = \"" + file + "\"")
        .withFallback(ControllerProcess.defaults()).resolve(), dir);
  }

  private static AdminClient client(String base, String token, Path ca) {
    return new AdminClient(URI.create(base), token, new AdminClient.Tls(ca, false));
  }

  private Response get(String name) {
    return trusting.send("GET", VPCS + name, null, null, AdminClient.JSON);
  }

  /** PUTs the API has answered, whatever their code (its own count, {@code dpuvpc_api_requests_total}). */
  private long puts() {
    Response metrics = trusting.send("GET", "/metrics", null, null, null);
    assertThat(metrics.code()).isEqualTo(200);
    return metrics.body().lines().filter(l -> l.startsWith("dpuvpc_api_requests_total{") && l.contains("method=\"PUT\""))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /** Sends {@code bytes} on a plain TCP connection to the API's port; what comes back until it closes (or 10 s). */
  private byte[] exchange(byte[] bytes) throws IOException {
    ByteArrayOutputStream back = new ByteArrayOutputStream();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", process.apiPort()), 5000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      for (int n; (n = in.read(buffer)) > 0; ) {
        back.write(buffer, 0, n);
      }
    } catch (SocketException e) {
      // A reset is the server closing on us as well.
    }
    return back.toByteArray();
  }

  private static double median(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2] / 1e6;
  }

  private static double max(long[] nanos) {
    return Arrays.stream(nanos).max().orElse(0) / 1e6;
  }
}
