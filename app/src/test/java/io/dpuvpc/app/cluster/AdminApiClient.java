package io.dpuvpc.app.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.dpuvpc.app.Main;
import io.dpuvpc.ovn.lab.OvnCentral;
import io.dpuvpc.ovn.northbound.NbTables;
import io.dpuvpc.ovn.northbound.Ownership;
import io.dpuvpc.persistence.cassandra.EmbeddedCassandra;
import io.dpuvpc.persistence.cassandra.SharedCassandra;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * What the tests that drive a real controller over its admin API share: a controller process on
 * the shared Cassandra (a keyspace of its own, the API on a free port behind a token file), plain
 * HTTP calls, {@code vpc} command lines run in this JVM, and readers of what comes back and of
 * what is left in OVN.
 */
public final class AdminApiClient {
  public static final String VPC = "/apis/vpc.dpu.nvidia.com/v1alpha1";
  public static final String SVC = "/apis/svc.dpu.nvidia.com/v1alpha1";
  static final ObjectMapper JSON = new ObjectMapper();

  /** One answer: the HTTP code and the body. */
  public record Answer(int code, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  /** What a {@code vpc} command line ended with: its exit code and what it printed. */
  public record Run(int code, String out, String err) {}

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public AdminApiClient(String base) {
    this.base = base;
  }

  public String base() {
    return base;
  }

  /**
   * A controller process named {@code cluster} in {@code dir}, whose token file holds {@code tokens};
   * {@code api} adds settings of {@code dpuvpc.controller.api} (e.g. {@code max-body = 64KiB}).
   */
  public static ControllerProcess startController(Path dir, String cluster, String tokens, String api) throws IOException {
    return startController(dir, cluster, tokens, api, "");
  }

  /** {@link #startController(Path, String, String, String)} with more settings ({@code extra}, HOCON) over the test's. */
  public static ControllerProcess startController(Path dir, String cluster, String tokens, String api, String extra)
      throws IOException {
    Path tokenFile = Files.writeString(dir.resolve("tokens"), tokens);
    EmbeddedCassandra cassandra = SharedCassandra.get();
    String keyspace = ClusterFixture.uniqueKeyspace(cluster);
    Config config = ConfigFactory.parseString("""
        dpuvpc.controller {
          cluster { name = %s, port = 0 }
          cassandra.contact-points = ["%s:%d"]
          api { port = 0, token-file = "%s", %s }
        }
        pekko.persistence.cassandra.journal.keyspace = %s
        pekko.persistence.cassandra.snapshot.keyspace = %s_snapshot
        """.formatted(cluster, cassandra.contactPoint().getHostString(), cassandra.contactPoint().getPort(), tokenFile,
            api, keyspace, keyspace)).withFallback(ConfigFactory.parseString(cassandra.driverConfig()))
        .withFallback(ControllerProcess.defaults());
    config = ConfigFactory.parseString(extra).withFallback(config).resolve();
    return ControllerProcess.start(ControllerProcess.Settings.from(config, dir), line -> {});
  }

  public Answer call(String method, String path, String body, String contentType, String token) {
    return callBytes(method, path, body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        contentType, token);
  }

  /** {@link #call(String, String, String, String, String)} with a body of any bytes (not UTF-8, say). */
  public Answer callBytes(String method, String path, byte[] body, String contentType, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body());
    } catch (Exception e) {
      throw new AssertionError(method + " " + path + ": " + e, e);
    }
  }

  /** Runs {@code vpc} with {@code args} in this JVM, as {@code bin/vpc} does. */
  public static Run vpc(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** A DPUVPC in YAML, of tenant {@code tenant-NAME}, selecting the nodes labelled {@code NAMESPACE: NAME}. */
  public static String vpcDocument(String namespace, String name, boolean interNetworkAccess) {
    return """
        apiVersion: vpc.dpu.nvidia.com/v1alpha1
        kind: DPUVPC
        metadata:
          name: %s
          namespace: %s
        spec:
          tenant: tenant-%s
          isolationClassName: ovn.vpc.dpu.nvidia.com
          interNetworkAccess: %s
          nodeSelector:
            matchLabels:
              %s: %s
        """.formatted(name, namespace, name, interNetworkAccess, namespace, name);
  }

  /** The status ("True", "False", "Unknown") of a resource's condition, "absent" without it. */
  public static String condition(JsonNode resource, String type) {
    for (JsonNode c : resource.at("/status/conditions")) {
      if (c.get("type").asText().equals(type)) {
        return c.get("status").asText();
      }
    }
    return "absent";
  }

  /** The names of a list's items. */
  public static List<String> names(JsonNode list) {
    List<String> names = new ArrayList<>();
    list.get("items").forEach(item -> names.add(item.at("/metadata/name").asText()));
    return names;
  }

  /** The project's examples/ (the reference's example documents), above the module's folder. */
  public static Path examples() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("examples/00-isolationclass.yaml"))) {
        return p.resolve("examples");
      }
    }
    throw new IllegalStateException("examples/ not found above " + Path.of("").toAbsolutePath());
  }

  /** Rows carrying our ownership key in the tables the bridge manages. */
  public static long ownedRows(OvnCentral ovn) {
    long rows = 0;
    for (String table : NbTables.MANAGED) {
      rows += ovn.nbctl("--bare", "--columns=external_ids", "list", table).lines()
          .filter(line -> line.contains(Ownership.OWNER + "=")).count();
    }
    return rows;
  }
}
