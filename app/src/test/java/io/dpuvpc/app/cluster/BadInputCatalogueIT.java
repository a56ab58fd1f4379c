package io.dpuvpc.app.cluster;

import static io.dpuvpc.app.cluster.AdminApiClient.SVC;
import static io.dpuvpc.app.cluster.AdminApiClient.VPC;
import static io.dpuvpc.app.cluster.AdminApiClient.examples;
import static io.dpuvpc.app.cluster.AdminApiClient.ownedRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dpuvpc.app.cluster.AdminApiClient.Answer;
import io.dpuvpc.ovn.lab.OvnCentralExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's catalogue of bad input to the admin API of a real controller process (Cassandra, a
 * real OVN central): each case is answered with its 4xx and a message that names the field (or the
 * header, or the limit) and says what to do; after each, every collection reads as before, and at
 * the end OVN holds the same rows and the server is ready. Prints one line per case with its code
 * and time. Then: none of the tokens it sent, good or bad, is in any log line (DEBUG and up).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class BadInputCatalogueIT {
  @RegisterExtension
  static final OvnCentralExtension OVN = new OvnCentralExtension();

  static final String RW = "rw-token-0123456789abcdef";
  static final String RO = "ro-token-0123456789abcdef";
  static final String UNKNOWN_TOKEN = "nobody-0123456789abcdef";
  static final String YAML = "application/yaml";
  static final String JSON = "application/json";
  static final String VPCS = VPC + "/namespaces/default/dpuvpcs";
  static final String NETS = VPC + "/namespaces/default/dpuvirtualnetworks";
  static final String SIS = SVC + "/namespaces/default/serviceinterfaces";
  static final String DSIS = SVC + "/namespaces/default/dpuserviceinterfaces";
  static final List<String> COLLECTIONS = List.of(VPC + "/isolationclasses", VPC + "/dpuvpcs",
      VPC + "/dpuvirtualnetworks", SVC + "/dpuserviceinterfaces", SVC + "/serviceinterfaces");

  @TempDir
  static Path dir;

  private ControllerProcess process;
  private AdminApiClient api;
  private CapturedLogs logs;

  /** One bad request: what is sent, the code it must get, and what its answer must name. */
  record Case(String name, String method, String path, byte[] body, String contentType, String token, int code,
              String names) {
    static Case of(String name, String method, String path, String body, String contentType, int code, String names) {
      return new Case(name, method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), contentType, RW,
          code, names);
    }
  }

  @BeforeAll
  void start() throws Exception {
    // Everything the controller logs while it is sent good and bad tokens: the admin API's and
    // Pekko HTTP's loggers at DEBUG, the rest at the tests' level.
    logs = CapturedLogs.start("io.dpuvpc", "org.apache.pekko.http");
    process = AdminApiClient.startController(dir, "badinput",
        "# admin API tokens\n" + RW + "\n" + RO + " read-only\n", "max-body = 64KiB");
    api = new AdminApiClient("http://127.0.0.1:" + process.apiPort());
    await().atMost(Duration.ofSeconds(30)).until(() -> api.call("GET", "/readyz", null, null, null).code() == 200);
    String isolationClass = Files.readString(examples().resolve("00-isolationclass.yaml"))
        .replace("tcp:10.1.1.100:30641", OVN.central().nbTcpEndpoint());
    assertThat(api.call("POST", VPC + "/isolationclasses", isolationClass, YAML, RW).code()).isEqualTo(201);
    Answer example = api.call("POST", VPCS, Files.readString(examples().resolve("01-single-vpc-single-network.yaml")),
        YAML, RW);
    assertThat(example.code()).as(example.body()).isEqualTo(200); // several documents: a List
    // Settled: the VPC's and the network's rows are in OVN, so a later change would show.
    await().atMost(Duration.ofSeconds(60)).until(() -> ready(VPCS + "/testvpc") && ready(NETS + "/testnet1"));
  }

  @AfterAll
  void stop() {
    if (process != null) {
      process.close();
    }
    logs.close();
  }

  private boolean ready(String path) {
    Answer answer = api.call("GET", path, null, null, null);
    return answer.code() == 200 && AdminApiClient.condition(answer.json(), "Ready").equals("True");
  }

  /** A document of {@code kind} in {@code apiVersion}, with a flow-style {@code spec}. */
  static String document(String apiVersion, String kind, String name, String spec) {
    return """
        apiVersion: %s
        kind: %s
        metadata: {name: %s}
        spec: %s
        """.formatted(apiVersion, kind, name, spec);
  }

  static String vpc(String name, String spec) {
    return document("vpc.dpu.nvidia.com/v1alpha1", "DPUVPC", name, spec);
  }

  static String network(String name, String spec) {
    return document("vpc.dpu.nvidia.com/v1alpha1", "DPUVirtualNetwork", name, spec);
  }

  static String bridged(String ipv4) {
    return "{vpcName: testvpc, type: Bridged, bridgedNetwork: {ipam: {ipv4: " + ipv4 + "}}}";
  }

  static String serviceInterface(String name, String spec) {
    return document("svc.dpu.nvidia.com/v1alpha1", "ServiceInterface", name, spec);
  }

  static final String GOOD_VPC = vpc("badvpc", "{tenant: t, isolationClassName: ovn.vpc.dpu.nvidia.com}");

  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    // Who and how.
    cases.add(new Case("no token", "POST", VPCS, GOOD_VPC.getBytes(StandardCharsets.UTF_8), YAML, null, 401,
        "Authorization: Bearer"));
    cases.add(new Case("unknown token", "POST", VPCS, GOOD_VPC.getBytes(StandardCharsets.UTF_8), YAML,
        UNKNOWN_TOKEN, 401, "token"));
    cases.add(new Case("read-only token", "POST", VPCS, GOOD_VPC.getBytes(StandardCharsets.UTF_8), YAML, RO, 403,
        "read-only"));
    cases.add(Case.of("wrong content type", "POST", VPCS, GOOD_VPC, "text/html", 415, "application/yaml"));
    cases.add(Case.of("form content type (curl's default)", "POST", VPCS, GOOD_VPC,
        "application/x-www-form-urlencoded", 415, "application/yaml"));
    cases.add(Case.of("unknown collection", "GET", VPC + "/namespaces/default/dpuwidgets", null, null, 404, "dpuwidgets"));
    cases.add(Case.of("unknown name", "GET", VPCS + "/nosuchvpc", null, null, 404, "nosuchvpc"));
    cases.add(Case.of("watch=maybe", "GET", VPCS + "?watch=maybe", null, null, 400, "watch"));
    // Bytes that are not a document.
    cases.add(new Case("invalid UTF-8 (YAML)", "POST", VPCS, invalidUtf8(GOOD_VPC), YAML, RW, 400, "UTF-8"));
    cases.add(new Case("invalid UTF-8 (JSON)", "POST", VPCS,
        invalidUtf8("{\"apiVersion\":\"vpc.dpu.nvidia.com/v1alpha1\",\"kind\":\"DPUVPC\",\"metadata\":{\"name\":\"x\"}}"),
        JSON, RW, 400, "UTF-8"));
    cases.add(Case.of("unclosed YAML", "POST", VPCS, "kind: [unclosed", YAML, 400, "YAML"));
    cases.add(Case.of("unclosed JSON", "POST", VPCS, "{\"kind\": \"DPUVPC\"", JSON, 400, "JSON"));
    cases.add(Case.of("empty body", "POST", VPCS, "", YAML, 400, "document"));
    cases.add(Case.of("a scalar, not a document", "POST", VPCS, "hello", YAML, 400, "apiVersion, kind"));
    cases.add(Case.of("over the size limit", "POST", VPCS, "#" + "x".repeat(70 * 1024) + "\n" + GOOD_VPC, YAML, 413,
        "65536"));
    cases.add(Case.of("nested 60,000 deep (YAML)", "POST", VPCS, "[".repeat(60_000), YAML, 400, "nest"));
    cases.add(Case.of("nested 20,000 deep (JSON)", "POST", VPCS, "[".repeat(20_000), JSON, 400, "nest"));
    cases.add(Case.of("alias bomb", "POST", VPCS, aliasBomb(), YAML, 400, "alias"));
    // Documents the API does not serve.
    // As kube-apiserver: a kind or version it does not serve is not found (404), and says which.
    cases.add(Case.of("unknown kind", "POST", VPCS, GOOD_VPC.replace("kind: DPUVPC", "kind: DPUWidget"), YAML, 404,
        "kind DPUWidget"));
    cases.add(Case.of("unknown apiVersion", "POST", VPCS, GOOD_VPC.replace("v1alpha1", "v9"), YAML, 404,
        "vpc.dpu.nvidia.com/v9"));
    cases.add(Case.of("a network PUT at a VPC's name", "PUT", VPCS + "/badnet",
        network("badnet", bridged("{dhcp: true, subnet: 10.200.0.0/16}")), YAML, 400, "DPUVirtualNetwork"));
    cases.add(Case.of("name in the path differs", "PUT", VPCS + "/other", GOOD_VPC, YAML, 400, "metadata.name"));
    cases.add(Case.of("name over 253 characters", "POST", VPCS, GOOD_VPC.replace("badvpc", "a".repeat(254)), YAML, 422,
        "metadata.name"));
    cases.add(Case.of("name not DNS-1123", "POST", VPCS, GOOD_VPC.replace("badvpc", "Bad_Name"), YAML, 422,
        "metadata.name"));
    cases.add(Case.of("namespace not DNS-1123", "POST", VPC + "/namespaces/Bad_NS/dpuvpcs", GOOD_VPC, YAML, 422,
        "namespace"));
    // VPCs.
    cases.add(Case.of("unknown field", "POST", VPCS, vpc("badvpc",
        "{tenant: t, isolationClassName: ovn.vpc.dpu.nvidia.com, interNetworkAcess: true}"), YAML, 422,
        "spec.interNetworkAcess"));
    cases.add(Case.of("wrong type", "POST", VPCS, vpc("badvpc",
        "{tenant: t, isolationClassName: ovn.vpc.dpu.nvidia.com, interNetworkAccess: [yes]}"), YAML, 400,
        "spec.interNetworkAccess"));
    cases.add(Case.of("no tenant", "POST", VPCS, vpc("badvpc", "{isolationClassName: ovn.vpc.dpu.nvidia.com}"), YAML,
        422, "spec.tenant"));
    cases.add(Case.of("no isolation class", "POST", VPCS, vpc("badvpc", "{tenant: t}"), YAML, 422,
        "spec.isolationClassName"));
    cases.add(Case.of("selector operator unknown", "POST", VPCS, vpc("badvpc", "{tenant: t, isolationClassName:"
        + " ovn.vpc.dpu.nvidia.com, nodeSelector: {matchExpressions: [{key: rack, operator: Like, values: [a]}]}}"),
        YAML, 422, "spec.nodeSelector"));
    cases.add(Case.of("selector key invalid", "POST", VPCS, vpc("badvpc", "{tenant: t, isolationClassName:"
        + " ovn.vpc.dpu.nvidia.com, nodeSelector: {matchLabels: {\"bad key!\": a}}}"), YAML, 422, "spec.nodeSelector"));
    cases.add(Case.of("selector In without values", "POST", VPCS, vpc("badvpc", "{tenant: t, isolationClassName:"
        + " ovn.vpc.dpu.nvidia.com, nodeSelector: {matchExpressions: [{key: rack, operator: In}]}}"), YAML, 422,
        "spec.nodeSelector"));
    // Networks.
    cases.add(Case.of("prefix over 32", "POST", NETS, network("badnet", bridged("{dhcp: true, subnet: 10.0.0.0/33}")),
        YAML, 422, "subnet"));
    cases.add(Case.of("not a network address", "POST", NETS,
        network("badnet", bridged("{dhcp: true, subnet: 10.0.0.1/16}")), YAML, 422, "subnet"));
    cases.add(Case.of("not an address", "POST", NETS, network("badnet", bridged("{dhcp: true, subnet: banana}")),
        YAML, 422, "subnet"));
    cases.add(Case.of("exclusion outside the subnet", "POST", NETS, network("badnet",
        bridged("{dhcp: true, subnet: 10.201.0.0/16, excludeIPs: [{ip: 10.9.9.9}]}")), YAML, 422, "excludeIPs"));
    cases.add(Case.of("exclusion range reversed", "POST", NETS, network("badnet",
        bridged("{dhcp: true, subnet: 10.201.0.0/16, excludeIPs: [{range: {start: 10.201.0.9, end: 10.201.0.1}}]}")),
        YAML, 422, "excludeIPs"));
    cases.add(Case.of("type not Bridged", "POST", NETS, network("badnet",
        "{vpcName: testvpc, type: Routed, bridgedNetwork: {ipam: {ipv4: {dhcp: true, subnet: 10.201.0.0/16}}}}"),
        YAML, 422, "spec.type"));
    cases.add(Case.of("no vpcName", "POST", NETS, network("badnet",
        "{type: Bridged, bridgedNetwork: {ipam: {ipv4: {dhcp: true, subnet: 10.201.0.0/16}}}}"), YAML, 422,
        "spec.vpcName"));
    cases.add(Case.of("subnet of an existing network changed", "POST", NETS, network("testnet1",
        "{vpcName: testvpc, type: Bridged, externallyRouted: true, masquerade: true,"
            + " bridgedNetwork: {ipam: {ipv4: {dhcp: true, subnet: 10.99.0.0/16}}}}"), YAML, 422, "subnet"));
    // ServiceInterfaces.
    cases.add(Case.of("interface type unknown", "POST", SIS, serviceInterface("badsi",
        "{node: dpu-a, interfaceType: gpu, virtualNetwork: testnet1}"), YAML, 422, "spec.interfaceType"));
    cases.add(Case.of("vf without vfID", "POST", SIS, serviceInterface("badsi",
        "{node: dpu-a, interfaceType: vf, vf: {pfID: 0}, virtualNetwork: testnet1}"), YAML, 422, "vfID"));
    cases.add(Case.of("negative pfID", "POST", SIS, serviceInterface("badsi",
        "{node: dpu-a, interfaceType: pf, pf: {pfID: -1}, virtualNetwork: testnet1}"), YAML, 422, "spec.pf.pfID"));
    cases.add(Case.of("no node", "POST", SIS, serviceInterface("badsi",
        "{interfaceType: vf, vf: {pfID: 0, vfID: 1}, virtualNetwork: testnet1}"), YAML, 422, "spec.node"));
    cases.add(Case.of("no virtualNetwork", "POST", SIS, serviceInterface("badsi",
        "{node: dpu-a, interfaceType: vf, vf: {pfID: 0, vfID: 1}}"), YAML, 422, "virtualNetwork"));
    cases.add(Case.of("DPUServiceInterface with a bad template", "POST", DSIS, """
        apiVersion: svc.dpu.nvidia.com/v1alpha1
        kind: DPUServiceInterface
        metadata: {name: baddsi}
        spec: {template: {spec: {template: {spec: {interfaceType: gpu, virtualNetwork: testnet1}}}}}
        """, YAML, 422, "interfaceType"));
    // IsolationClasses.
    cases.add(Case.of("isolation class endpoint not an address", "POST", VPC + "/isolationclasses", """
        apiVersion: vpc.dpu.nvidia.com/v1alpha1
        kind: IsolationClass
        metadata: {name: badclass}
        spec: {provisioner: ovn.vpc.dpu.nvidia.com, parameters: {ovn-nb-endpoint: "tcp:300.1.1.1:6641"}}
        """, YAML, 422, "ovn-nb-endpoint"));
    // Deletes.
    cases.add(Case.of("delete with a stale resourceVersion", "DELETE", VPCS + "/testvpc?resourceVersion=1", null, null,
        409, "has been modified"));
    cases.add(Case.of("delete of nothing", "DELETE", VPCS + "/nosuchvpc", null, null, 404, "nosuchvpc"));
    return cases;
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  void everyBadInputIsAnsweredWithItsCodeAndNamesWhatIsWrongAndChangesNothing() {
    List<String> before = snapshot();
    long rowsBefore = ownedRows(OVN.central());
    List<Case> cases = cases();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
    List<String> failures = new ArrayList<>();
    long slowest = 0;
    for (Case c : cases) {
      long t0 = System.nanoTime();
      Answer answer = api.callBytes(c.method(), c.path(), c.body(), c.contentType(), c.token());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      slowest = Math.max(slowest, ms);
      System.out.printf(Locale.ROOT, "%-45s %d %5d ms  %s%n", c.name(), answer.code(), ms,
          answer.body().replace('\n', ' ').substring(0, Math.min(160, answer.body().length())));
      if (answer.code() != c.code() || !answer.body().contains(c.names())) {
        failures.add(c.name() + ": expected " + c.code() + " naming \"" + c.names() + "\", got " + answer.code() + " "
            + answer.body());
      }
      List<String> after = snapshot();
      if (!after.equals(before)) {
        failures.add(c.name() + ": changed what the API lists");
        before = after;
      }
    }
    System.out.printf(Locale.ROOT, "%d bad inputs, slowest answer %d ms%n", cases.size(), slowest);
    assertThat(failures).isEmpty();
    assertThat(ownedRows(OVN.central())).as("OVN rows").isEqualTo(rowsBefore);
    assertThat(api.call("GET", "/readyz", null, null, null).code()).isEqualTo(200);
  }

  /**
   * The tokens sent (the valid read-write and read-only ones, and the unknown one) appear in no
   * log line, at any level from DEBUG up, of the API's or the controller's loggers. Runs after
   * the catalogue, whose cases sent each of them.
   */
  @Test
  @org.junit.jupiter.api.Order(2)
  void noTokenSentAppearsInTheLogs() {
    List<String> lines = logs.lines();
    assertThat(lines).as("the controller logged at DEBUG while the catalogue ran").isNotEmpty();
    for (String token : List.of(RW, RO, UNKNOWN_TOKEN)) {
      assertThat(lines).noneMatch(line -> line.contains(token));
    }
    System.out.printf(Locale.ROOT, "%d log lines (DEBUG and up) read: no token in any%n", lines.size());
  }

  private List<String> snapshot() {
    return COLLECTIONS.stream().map(path -> api.call("GET", path, null, null, null).body()).toList();
  }

  /** {@code text} with a byte that never occurs in UTF-8 (0xFF) in its middle. */
  static byte[] invalidUtf8(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[utf8.length + 1];
    int at = utf8.length / 2;
    System.arraycopy(utf8, 0, bytes, 0, at);
    bytes[at] = (byte) 0xFF;
    System.arraycopy(utf8, at, bytes, at + 1, utf8.length - at);
    return bytes;
  }

  /** The "billion laughs": nine levels of aliases, each ten of the one before. */
  static String aliasBomb() {
    StringBuilder yaml = new StringBuilder("a0: &a0 [\"lol\"]\n");
    for (int i = 1; i <= 9; i++) {
      yaml.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        yaml.append(j == 0 ? "" : ",").append("*a").append(i - 1);
      }
      yaml.append("]\n");
    }
    return yaml.toString();
  }
}
