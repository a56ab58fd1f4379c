package io.dpuvpc.app.cluster;

import static io.dpuvpc.app.cluster.AdminApiClient.SVC;
import static io.dpuvpc.app.cluster.AdminApiClient.VPC;
import static io.dpuvpc.app.cluster.AdminApiClient.condition;
import static io.dpuvpc.app.cluster.AdminApiClient.examples;
import static io.dpuvpc.app.cluster.AdminApiClient.names;
import static io.dpuvpc.app.cluster.AdminApiClient.ownedRows;
import static io.dpuvpc.app.cluster.AdminApiClient.vpc;
import static io.dpuvpc.app.cluster.AdminApiClient.vpcDocument;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dpuvpc.actors.entity.ApplyReply;
import io.dpuvpc.app.cluster.AdminApiClient.Answer;
import io.dpuvpc.app.cluster.AdminApiClient.Run;
import io.dpuvpc.actors.entity.DpuNodeEntity;
import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.ovn.lab.OvnCentralExtension;
import io.dpuvpc.ovn.northbound.PlanCause;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API of a real controller process ({@link ControllerProcess}: a controller node on
 * Cassandra, its Northbound bridge on a real OVN central, the API over HTTP on loopback), driven
 * as a user drives it: the reference's example documents in YAML, over HTTP, and every error code
 * the API promises, each checked to have changed nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminApiIT {
  @RegisterExtension
  static final OvnCentralExtension OVN = new OvnCentralExtension();

  static final String RW = "rw-token-0123456789abcdef";
  static final String RO = "ro-token-0123456789abcdef";
  static final Path EXAMPLES = examples();

  @TempDir
  static Path dir;

  private ControllerProcess process;
  private AdminApiClient api;
  private String base;

  @BeforeAll
  void start() throws Exception {
    process = AdminApiClient.startController(dir, "adminapi",
        "# admin API tokens\n" + RW + "\n" + RO + " read-only\n", "max-body = 64KiB");
    base = "http://127.0.0.1:" + process.apiPort();
    api = new AdminApiClient(base);
    await().atMost(Duration.ofSeconds(30)).until(() -> call("GET", "/readyz", null, null, null).code() == 200);
  }

  @AfterAll
  void stop() {
    if (process != null) {
      process.close();
    }
  }

  @Test
  @Order(1)
  void healthAndReadiness() {
    assertThat(call("GET", "/healthz", null, null, null)).isEqualTo(new Answer(200, "ok\n"));
    assertThat(call("GET", "/readyz", null, null, null).code()).isEqualTo(200);
  }

  @Test
  @Order(2)
  void theExamplesAppliedAsYamlReachOvnAndReadBackWithMetadataAndConditions() throws Exception {
    // The IsolationClass of 00-isolationclass.yaml, on this test's Northbound.
    String isolationClass = Files.readString(EXAMPLES.resolve("00-isolationclass.yaml"))
        .replace("tcp:10.1.1.100:30641", OVN.central().nbTcpEndpoint());
    Answer created = call("POST", VPC + "/isolationclasses", isolationClass, "application/yaml", RW);
    assertThat(created.code()).as(created.body()).isEqualTo(201);
    JsonNode meta = created.json().get("metadata");
    assertThat(meta.get("name").asText()).isEqualTo("ovn.vpc.dpu.nvidia.com");
    assertThat(meta.get("uid").asText()).hasSize(36);
    assertThat(meta.get("creationTimestamp").asText()).endsWith("Z");
    assertThat(meta.get("generation").asLong()).isEqualTo(1);
    // Applying it again changes nothing, and says so with 200.
    Answer again = call("POST", VPC + "/isolationclasses", isolationClass, "application/yaml", RW);
    assertThat(again.code()).isEqualTo(200);
    assertThat(again.json().at("/metadata/resourceVersion")).isEqualTo(meta.get("resourceVersion"));

    // Example 1 (a VPC, a network and a DPUServiceInterface, three kinds in one body), and a DPU
    // node its selectors take, as a node agent will report it (issue 6).
    DpuNode node = new DpuNode("dpu-a", Map.of(), "dpu-a", null, "172.16.0.11/24", "172.16.0.1", true, null);
    assertThat(process.node().directory().node("dpu-a").ask((org.apache.pekko.actor.typed.ActorRef<ApplyReply> r) ->
        new DpuNodeEntity.Report(node, r), Duration.ofSeconds(10)).toCompletableFuture().get())
        .isInstanceOf(ApplyReply.Accepted.class);
    Answer example1 = call("POST", VPC + "/namespaces/default/dpuvpcs",
        Files.readString(EXAMPLES.resolve("01-single-vpc-single-network.yaml")), "application/yaml", RW);
    assertThat(example1.code()).as(example1.body()).isEqualTo(200);
    assertThat(example1.json().get("items")).hasSize(3);

    // The topology is in OVN and the entities say so; the API shows it.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode vpc = call("GET", VPC + "/namespaces/default/dpuvpcs/testvpc", null, null, null).json();
      assertThat(condition(vpc, "TopologyReconciled")).isEqualTo("True");
      JsonNode net = call("GET", VPC + "/namespaces/default/dpuvirtualnetworks/testnet1", null, null, null).json();
      assertThat(condition(net, "DPUVirtualNetworkReconciled")).isEqualTo("True");
    });
    assertThat(OVN.central().nbctl("--bare", "--columns=name", "list", "Logical_Switch")).contains("net_default_testnet1");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode interfaces = call("GET", SVC + "/namespaces/default/serviceinterfaces", null, null, null).json();
      assertThat(interfaces.get("kind").asText()).isEqualTo("ServiceInterfaceList");
      assertThat(interfaces.get("items")).hasSize(1);
      assertThat(condition(interfaces.get("items").get(0), "ServiceInterfaceReconciled")).isEqualTo("True");
    });

    // Lists: in a namespace, across namespaces, in YAML when asked.
    assertThat(names(call("GET", VPC + "/dpuvpcs", null, null, null).json())).containsExactly("testvpc");
    Answer yaml = call("GET", VPC + "/namespaces/default/dpuvirtualnetworks?output=yaml", null, null, null);
    assertThat(yaml.body()).contains("kind: DPUVirtualNetworkList", "subnet: 192.178.0.0/16");

    // The describe tree shows VPC -> network -> DPUServiceInterface -> ServiceInterface.
    Answer tree = call("GET", "/describe/dpuvpcs?showConditions=all", null, null, null);
    assertThat(tree.code()).isEqualTo(200);
    assertThat(tree.body()).contains("DPUVPC/testvpc", "DPUVirtualNetwork/testnet1", "DPUServiceInterface/testnet1-vf2",
        "ServiceInterface/testnet1-vf2-dpu-a", "TopologyReconciled");

    // The same documents again: no new generation or resourceVersion, and no write to OVN.
    JsonNode vpcBefore = call("GET", VPC + "/namespaces/default/dpuvpcs/testvpc", null, null, null).json();
    double transactions = metric("dpuvpc_nb_transactions_total{isolation_class=\"ovn.vpc.dpu.nvidia.com\"}");
    assertThat(transactions).isPositive();
    Answer reapplied = call("POST", VPC + "/namespaces/default/dpuvpcs",
        Files.readString(EXAMPLES.resolve("01-single-vpc-single-network.yaml")), "application/yaml", RW);
    assertThat(reapplied.code()).isEqualTo(200);
    JsonNode vpcAfter = call("GET", VPC + "/namespaces/default/dpuvpcs/testvpc", null, null, null).json();
    assertThat(vpcAfter.get("metadata")).isEqualTo(vpcBefore.get("metadata"));
    Thread.sleep(2000);
    assertThat(metric("dpuvpc_nb_transactions_total{isolation_class=\"ovn.vpc.dpu.nvidia.com\"}")).isEqualTo(transactions);
  }

  @Test
  @Order(4)
  void nodesClusterAndMetricsAreShown() {
    JsonNode nodes = call("GET", "/nodes", null, null, null).json();
    assertThat(nodes.get("kind").asText()).isEqualTo("DPUNodeList");
    assertThat(names(nodes)).containsExactly("dpu-a");
    assertThat(call("GET", "/nodes/dpu-a", null, null, null).json().at("/status/externalIP").asText()).isEqualTo("172.16.0.11/24");
    assertThat(call("GET", "/nodes/dpu-z", null, null, null).code()).isEqualTo(404);
    JsonNode cluster = call("GET", "/cluster", null, null, null).json();
    assertThat(cluster.get("members")).hasSize(1);
    assertThat(cluster.at("/members/0/status").asText()).isEqualTo("Up");
    assertThat(cluster.at("/sharding/DPUVPC").fieldNames().next()).isEqualTo(cluster.get("self").asText());
    assertThat(metric("dpuvpc_resources{kind=\"DPUVPC\"}")).isEqualTo(1);
    assertThat(metric("dpuvpc_nb_connected{isolation_class=\"ovn.vpc.dpu.nvidia.com\"}")).isEqualTo(1);
    assertThat(metric("dpuvpc_nb_transaction_seconds_count{isolation_class=\"ovn.vpc.dpu.nvidia.com\"}")).isPositive();
    // Every transaction was planned first, after its flush was asked for.
    assertThat(metric("dpuvpc_nb_plan_seconds_count{isolation_class=\"ovn.vpc.dpu.nvidia.com\"}"))
        .isGreaterThanOrEqualTo(metric("dpuvpc_nb_transaction_seconds_count{isolation_class=\"ovn.vpc.dpu.nvidia.com\"}"));
    assertThat(metric("dpuvpc_nb_flush_wait_seconds_count{isolation_class=\"ovn.vpc.dpu.nvidia.com\"}")).isPositive();
    // Every plan has its cause (one scrape: the bridge may plan between two), and the VPC this
    // test applied was planned because it was published.
    String scraped = metrics();
    String bridge = "isolation_class=\"ovn.vpc.dpu.nvidia.com\"";
    assertThat(metric(scraped, "dpuvpc_nb_owner_plans_total{cause=\"published\"," + bridge + "}")).isPositive();
    assertThat(Arrays.stream(PlanCause.values()).mapToDouble(c -> metric(scraped,
        "dpuvpc_nb_owner_plans_total{cause=\"" + c.label() + "\"," + bridge + "}")).sum())
        .isEqualTo(metric(scraped, "dpuvpc_nb_owners_planned_total{" + bridge + "}"));
    assertThat(metric("dpuvpc_api_requests_total{code=\"200\",method=\"GET\"}")).isPositive();
  }

  private double metric(String series) {
    return metric(metrics(), series);
  }

  private String metrics() {
    Answer metrics = call("GET", "/metrics", null, null, null);
    assertThat(metrics.code()).isEqualTo(200);
    return metrics.body();
  }

  private static double metric(String metrics, String series) {
    return metrics.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(
        l.substring(series.length() + 1))).findFirst().orElseThrow(() -> new AssertionError(series + " not in\n"
        + metrics));
  }

  @Test
  @Order(5)
  void theVpcCommandDrivesTheSameApi() throws Exception {
    Path token = Files.writeString(dir.resolve("my-token"), RW + "\n");
    Path example4 = EXAMPLES.resolve("04-exclusions-and-unknown-mac.yaml");
    String[] server = {"--server", base, "--token-file", token.toString()};
    Run apply = vpc("apply", "-f", example4.toString(), server[0], server[1], server[2], server[3]);
    assertThat(apply.code()).as(apply.err()).isEqualTo(0);
    assertThat(apply.out()).contains("dpuvirtualnetwork.vpc.dpu.nvidia.com/example-network created",
        "dpuserviceinterface.svc.dpu.nvidia.com/unknown-mac-sf created");
    Run again = vpc("apply", "-f", example4.toString(), server[0], server[1], server[2], server[3]);
    assertThat(again.out()).contains(" unchanged").doesNotContain(" created");
    // Ready needs no DPU agent for a VPC and a network (a ServiceInterface's does: its port must be up).
    Run waited = vpc("wait", "--for=condition=Ready", "dpuvpc", "testvpc", "--timeout", "30s", "--server", base);
    assertThat(waited.code()).as(waited.out() + waited.err()).isEqualTo(0);
    assertThat(waited.out()).contains("condition met");
    Run get = vpc("get", "dpuvirtualnetworks", "-A", "--server", base);
    assertThat(get.code()).isEqualTo(0);
    assertThat(get.out()).contains("NAMESPACE", "SUBNET", "testnet1", "example-network");
    Run describe = vpc("describe", "dpuvpcs", "--show-conditions=all", "--server", base);
    assertThat(describe.out()).contains("DPUVPC/testvpc");
    // Without the token, the server's refusal is printed and the exit code says so.
    Run refused = vpc("delete", "-f", example4.toString(), "--server", base);
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("needs a token");
    Run deleted = vpc("delete", "-f", example4.toString(), server[0], server[1], server[2], server[3]);
    assertThat(deleted.code()).as(deleted.err()).isEqualTo(0);
    assertThat(deleted.out()).contains(" deleted");
  }

  @Test
  @Order(6)
  void everyErrorHasItsCodeAMessageThatSaysWhatToDoAndChangesNothing() throws Exception {
    String vpcs = VPC + "/namespaces/default/dpuvpcs";
    String before = call("GET", vpcs, null, null, null).body();
    String good = """
        apiVersion: vpc.dpu.nvidia.com/v1alpha1
        kind: DPUVPC
        metadata: {name: errvpc}
        spec: {tenant: t, isolationClassName: ovn.vpc.dpu.nvidia.com, interNetworkAccess: true}
        """;

    // 401 without a token, 403 with a read-only one.
    Answer unauthorized = call("POST", vpcs, good, "application/yaml", null);
    assertThat(unauthorized.code()).isEqualTo(401);
    assertThat(unauthorized.json().get("message").asText()).contains("Authorization: Bearer");
    assertThat(call("POST", vpcs, good, "application/yaml", "wrong-token-0123456789").code()).isEqualTo(401);
    assertThat(call("POST", vpcs, good, "application/yaml", RO).code()).isEqualTo(403);
    // 400 malformed, 415 wrong type, 413 too large, 404 unknown kind or name.
    Answer malformed = call("POST", vpcs, "kind: [unclosed", "application/yaml", RW);
    assertThat(malformed.code()).isEqualTo(400);
    assertThat(malformed.json().get("kind").asText()).isEqualTo("Status");
    assertThat(call("POST", vpcs, good, "text/html", RW).code()).isEqualTo(415);
    assertThat(call("POST", vpcs, "#" + "x".repeat(70 * 1024) + "\n" + good, "application/yaml", RW).code()).isEqualTo(413);
    assertThat(call("GET", VPC + "/namespaces/default/dpuwidgets", null, null, null).code()).isEqualTo(404);
    Answer missing = call("GET", vpcs + "/nosuchvpc", null, null, null);
    assertThat(missing.code()).isEqualTo(404);
    assertThat(missing.json().get("message").asText()).isEqualTo("DPUVPC \"nosuchvpc\" not found in namespace \"default\"");
    // 422 with the field's path, for every wrong field of every document; an unknown field too.
    Answer invalid = call("POST", vpcs, good + "---\n" + good.replace("errvpc", "errvpc2").replace("tenant: t", "tenant: \"\"")
        .replace("interNetworkAccess", "interNetworkAcess"), "application/yaml", RW);
    assertThat(invalid.code()).as(invalid.body()).isEqualTo(422);
    assertThat(invalid.json().at("/details/causes").findValuesAsText("field"))
        .contains("documents[1].spec.interNetworkAcess");
    // 409 on a stale resourceVersion; the first document of the body was not applied either.
    Answer vpc = call("GET", vpcs + "/testvpc", null, null, null);
    String stale = "1";
    assertThat(vpc.json().at("/metadata/resourceVersion").asText()).isNotEqualTo(stale);
    Answer conflict = call("PUT", vpcs + "/testvpc", """
        apiVersion: vpc.dpu.nvidia.com/v1alpha1
        kind: DPUVPC
        metadata: {name: testvpc, namespace: default, resourceVersion: "1"}
        spec: {tenant: foo, isolationClassName: ovn.vpc.dpu.nvidia.com, interNetworkAccess: false, nodeSelector: {}}
        """, "application/yaml", RW);
    assertThat(conflict.code()).as(conflict.body()).isEqualTo(409);
    assertThat(conflict.json().get("message").asText()).contains("read it again");
    assertThat(call("DELETE", vpcs + "/testvpc?resourceVersion=1", null, null, RW).code()).isEqualTo(409);

    // The second document changes an immutable field of an existing network: the body is refused
    // whole, before its first document (a new VPC) is applied.
    Answer immutable = call("POST", vpcs, good.replace("errvpc", "errvpc3") + "---\n" + """
        apiVersion: vpc.dpu.nvidia.com/v1alpha1
        kind: DPUVirtualNetwork
        metadata: {name: testnet1}
        spec:
          vpcName: testvpc
          externallyRouted: true
          bridgedNetwork: {ipam: {ipv4: {dhcp: true, subnet: 10.99.0.0/16}}}
        """, "application/yaml", RW);
    assertThat(immutable.code()).as(immutable.body()).isEqualTo(422);
    assertThat(immutable.json().get("message").asText()).contains("document 1", "nothing in this request was applied");
    assertThat(immutable.json().at("/details/causes").findValuesAsText("field"))
        .contains("documents[1].spec.bridgedNetwork.ipam.ipv4.subnet");

    // Nothing above changed anything.
    assertThat(call("GET", vpcs, null, null, null).body()).isEqualTo(before);
    assertThat(call("GET", vpcs + "/testvpc", null, null, null).body()).isEqualTo(vpc.body());
  }

  @Test
  @Order(7)
  void deletingThroughTheApiRemovesTheRowsFromOvn() {
    String base = "/namespaces/default/";
    assertThat(call("DELETE", SVC + base + "dpuserviceinterfaces/testnet1-vf2", null, null, RW).code()).isEqualTo(200);
    assertThat(call("DELETE", VPC + base + "dpuvirtualnetworks/testnet1", null, null, RW).code()).isEqualTo(200);
    Answer deleted = call("DELETE", VPC + base + "dpuvpcs/testvpc", null, null, RW);
    assertThat(deleted.code()).isEqualTo(200);
    assertThat(deleted.json().get("status").asText()).isEqualTo("Success");
    assertThat(call("DELETE", VPC + base + "dpuvpcs/testvpc", null, null, RW).code()).isEqualTo(404);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(OVN.central().nbctl("--bare", "--columns=name", "list", "Logical_Switch").strip()).isEmpty();
      assertThat(names(call("GET", VPC + "/dpuvpcs", null, null, null).json())).isEmpty();
      assertThat(names(call("GET", SVC + "/serviceinterfaces", null, null, null).json())).isEmpty();
    });
  }

  @Test
  @Order(8)
  void examplesTwoAndThreeThroughTheVpcCommandConvergeAndLeaveNothing() throws Exception {
    Path token = Files.writeString(dir.resolve("my-token"), RW + "\n");
    String[] server = {"--server", base, "--token-file", token.toString()};
    // The nodes their selectors take, as the agents will report them (issue 6).
    report("dpu-n1", Map.of("vpc.dpu.nvidia.com/network", "testnet1"), "172.16.0.21/24");
    report("dpu-n2", Map.of("vpc.dpu.nvidia.com/network", "testnet2"), "172.16.0.22/24");
    Path example2 = EXAMPLES.resolve("02-single-vpc-two-networks.yaml");
    assertThat(vpc(concat(new String[] {"apply", "-f", example2.toString()}, server)).code()).isZero();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(reconciledInterfaces()).containsExactlyInAnyOrder(
        "testnet1-vf2-dpu-n1", "testnet2-vf2-dpu-n2"));
    assertThat(vpc("wait", "--for=condition=Ready", "dpuvpc", "testvpc", "--timeout", "30s", "--server", base).code()).isZero();
    assertThat(vpc("describe", "dpuvpcs", "--server", base).out()).contains("DPUVirtualNetwork/testnet2",
        "ServiceInterface/testnet2-vf2-dpu-n2");
    assertThat(vpc(concat(new String[] {"delete", "-f", example2.toString()}, server)).code()).isZero();
    await().atMost(Duration.ofSeconds(30)).until(() -> ownedRows(OVN.central()) == 0);

    // Example 3: two tenants, the same subnet, each on its own node.
    report("dpu-red", Map.of("vpc.dpu.nvidia.com/tenant", "red"), "172.16.0.31/24");
    report("dpu-blue", Map.of("vpc.dpu.nvidia.com/tenant", "blue"), "172.16.0.32/24");
    Path example3 = EXAMPLES.resolve("03-two-tenants.yaml");
    assertThat(vpc(concat(new String[] {"apply", "-f", example3.toString()}, server)).code()).isZero();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(reconciledInterfaces()).containsExactlyInAnyOrder(
        "rednet-vf2-dpu-red", "bluenet-vf2-dpu-blue"));
    assertThat(OVN.central().nbctl("--bare", "--columns=name", "list", "Logical_Router"))
        .contains("vpc_default_redvpc", "vpc_default_bluevpc");
    assertThat(vpc(concat(new String[] {"delete", "-f", example3.toString()}, server)).code()).isZero();
    await().atMost(Duration.ofSeconds(30)).until(() -> ownedRows(OVN.central()) == 0);
  }

  private void report(String name, Map<String, String> labels, String externalIp) throws Exception {
    DpuNode node = new DpuNode(name, labels, name, null, externalIp, "172.16.0.1", true, null);
    assertThat(process.node().directory().node(name).ask((org.apache.pekko.actor.typed.ActorRef<ApplyReply> r) ->
        new DpuNodeEntity.Report(node, r), Duration.ofSeconds(10)).toCompletableFuture().get())
        .isInstanceOf(ApplyReply.Accepted.class);
  }

  private java.util.List<String> reconciledInterfaces() {
    java.util.List<String> names = new java.util.ArrayList<>();
    for (JsonNode item : call("GET", SVC + "/serviceinterfaces", null, null, null).json().get("items")) {
      if (condition(item, "ServiceInterfaceReconciled").equals("True")) {
        names.add(item.at("/metadata/name").asText());
      }
    }
    return names;
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  // ---- helpers

  @Test
  @Order(3)
  void aWatchShowsWhatExistsThenEachChangeAsItHappens() throws Exception {
    String path = VPC + "/namespaces/watched/dpuvpcs/";
    assertThat(call("PUT", path + "first", vpcDocument("watched", "first", true), "application/yaml", RW).code()).isEqualTo(201);
    assertThat(call("GET", VPC + "/namespaces/watched/dpuvpcs?watch=maybe", null, null, null).code()).isEqualTo(400);

    java.util.concurrent.BlockingQueue<JsonNode> events = new java.util.concurrent.LinkedBlockingQueue<>();
    java.util.List<JsonNode> all = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.net.http.HttpResponse<java.util.stream.Stream<String>> watch = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + VPC + "/namespaces/watched/dpuvpcs?watch=true")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofLines());
    assertThat(watch.statusCode()).isEqualTo(200);
    assertThat(watch.headers().firstValue("Content-Type")).hasValue("application/json");
    Thread reader = new Thread(() -> watch.body().filter(line -> !line.isBlank())
        .forEach(line -> {
          JsonNode event = new AdminApiClient.Answer(200, line).json();
          all.add(event);
          events.add(event);
        }), "watch-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      // What exists first; then a new one, a change of the first, and a delete, each as it happens.
      assertThat(next(events, "ADDED", "first").at("/object/metadata/generation").asLong()).isEqualTo(1);
      assertThat(call("PUT", path + "second", vpcDocument("watched", "second", true), "application/yaml", RW).code()).isEqualTo(201);
      assertThat(next(events, "ADDED", "second").at("/object/spec/tenant").asText()).isEqualTo("tenant-second");
      assertThat(call("PUT", path + "first", vpcDocument("watched", "first", false), "application/yaml", RW).code()).isEqualTo(200);
      JsonNode modified = next(events, "MODIFIED", "first");
      while (modified.at("/object/metadata/generation").asLong() < 2) {
        modified = next(events, "MODIFIED", "first");
      }
      assertThat(modified.at("/object/spec/interNetworkAccess").asBoolean()).isFalse();
      assertThat(call("DELETE", path + "second", null, null, RW).code()).isEqualTo(200);
      JsonNode deleted = next(events, "DELETED", "second");
      assertThat(deleted.at("/object/kind").asText()).isEqualTo("DPUVPC");
      assertThat(deleted.at("/object/metadata/namespace").asText()).isEqualTo("watched");
      // Ready turning True for the new generation comes as a change too (or came with the change):
      // the last event of the first VPC is the state a read shows.
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        JsonNode last = all.stream().filter(e -> e.at("/object/metadata/name").asText().equals("first"))
            .reduce((a, b) -> b).orElseThrow();
        assertThat(condition(last.get("object"), "Ready")).as("%s", last).isEqualTo("True");
        assertThat(last.at("/object/metadata/generation").asLong()).isEqualTo(2);
        assertThat(last.get("object")).isEqualTo(call("GET", path + "first", null, null, null).json());
      });
    } finally {
      watch.body().close();
      call("DELETE", path + "first", null, null, RW);
    }
  }

  /** The next event of {@code type} for {@code name}, within 30 s; events of others are passed over. */
  private static JsonNode next(java.util.concurrent.BlockingQueue<JsonNode> events, String type, String name)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    java.util.List<String> passed = new java.util.ArrayList<>();
    while (System.nanoTime() < deadline) {
      JsonNode event = events.poll(1, java.util.concurrent.TimeUnit.SECONDS);
      if (event != null && event.get("type").asText().equals(type)
          && event.at("/object/metadata/name").asText().equals(name)) {
        return event;
      }
      if (event != null) {
        passed.add(event.get("type").asText() + " " + event.at("/object/metadata/name").asText() + " generation "
            + event.at("/object/metadata/generation").asText() + " " + event.at("/object/message").asText());
      }
    }
    throw new AssertionError("no " + type + " event for " + name + " within 30 s; passed over: " + passed);
  }

  private Answer call(String method, String path, String body, String contentType, String token) {
    return api.call(method, path, body, contentType, token);
  }

}
