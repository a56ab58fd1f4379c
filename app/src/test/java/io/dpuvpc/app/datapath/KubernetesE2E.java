package io.dpuvpc.app.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dpuvpc.app.ProjectPaths;
import io.dpuvpc.app.lab.LabFleet;
import io.dpuvpc.ovn.lab.DpuChassis;
import io.dpuvpc.persistence.cassandra.LoopbackPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 7 end to end: the product driven by {@code kubectl apply} against a REAL kube-apiserver
 * v1.20.2 (with etcd and kube-controller-manager, {@code bin/kube-lab}), a real OVN central and
 * two lab DPUs with their agents, as an operator would run it. The controller watches the API
 * server ({@code dpuvpc.controller.kubernetes}, what {@code vpc controller --kubeconfig} sets).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesE2E {
  @RegisterExtension
  @Order(1)
  static final KubeLab KUBE = new KubeLab();

  @RegisterExtension
  @Order(2)
  // The status publisher as shipped (the change feed, and its poll every 500 ms as the safety net).
  static final DatapathExtension DATAPATH = new DatapathExtension(() -> """
      dpuvpc.controller.kubernetes { enabled = true, kubeconfig = "%s" }
      """.formatted(KUBE.controllerKubeconfig()));

  static final String PREFIX = DatapathScenario.prefix('k');
  static final Duration CONVERGE = Duration.ofSeconds(120);
  static LabFleet fleet;

  @Test
  @Order(1)
  void theExamplesAppliedWithKubectlBecomeReadyWithTheirPrinterColumns() throws IOException {
    DatapathScenario scenario = DATAPATH.scenario();
    // The DPUs' Nodes in the DPU cluster (here the same cluster): their labels reach the node entities.
    for (String dpu : List.of("a", "b")) {
      KUBE.ok("apply", "-f", "-", """
          apiVersion: v1
          kind: Node
          metadata: {name: %s, labels: {vpc.dpu.nvidia.com/rack: r%s}}
          """.formatted(dpu, dpu));
    }
    fleet = scenario.startLab(PREFIX, List.of("a", "b"), 3, dpu -> Map.of());
    scenario.awaitNodesReady();
    await().atMost(Duration.ofSeconds(20)).until(() ->
        scenario.call("GET", "/nodes/a", null, null).json().at("/metadata/labels/vpc.dpu.nvidia.com~1rack").asText().equals("ra"));

    long t0 = System.nanoTime();
    KUBE.ok("apply", "-f", "-", DatapathScenario.example("00-isolationclass.yaml")
        .replace("tcp:10.1.1.100:30641", scenario.ovn().nbTcpEndpoint()));
    KUBE.ok("apply", "-f", EXAMPLES.resolve("01-single-vpc-single-network.yaml").toString());
    KUBE.ok("wait", "--for=condition=Ready", "--timeout=" + CONVERGE.toSeconds() + "s",
        "dpuvpc/testvpc", "dpuvirtualnetwork/testnet1");
    await().atMost(CONVERGE).untilAsserted(() -> assertThat(KUBE.ok("get", "dsi", "testnet1-vf2", "-o",
        "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"))
        .as("%s%n%s%n%s", KUBE.ok("get", "dsi,si", "-o", "jsonpath={range .items[*]}{.metadata.name} {.status}{\"\\n\"}{end}"),
            scenario.call("GET", "/apis/svc.dpu.nvidia.com/v1alpha1/namespaces/default/serviceinterfaces", null, null).body(),
            scenario.call("GET", "/nodes", null, null).body())
        .isEqualTo("True"));
    // The DPUServiceInterface's children in the DPU cluster, one per node, labelled with their owner.
    await().atMost(CONVERGE).until(() -> KUBE.ok("get", "si", "-l", "svc.dpu.nvidia.com/dpuserviceinterface=testnet1-vf2",
        "-o", "name").lines().count() == 2);
    KUBE.ok("wait", "--for=condition=Ready", "--timeout=" + CONVERGE.toSeconds() + "s", "si",
        "-l", "svc.dpu.nvidia.com/dpuserviceinterface=testnet1-vf2");
    scenario.log("example 1 Ready in Kubernetes %d ms after kubectl apply", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));

    String vpcs = KUBE.ok("get", "dpuvpcs");
    assertThat(vpcs.lines().findFirst().orElseThrow()).containsSubsequence("NAME", "READY", "TENANT", "AGE");
    assertThat(vpcs).containsPattern("testvpc\\s+True\\s+foo");
    assertThat(KUBE.ok("get", "dvn")).containsPattern("testnet1\\s+True\\s+192.178.0.0/16");
    // status.observedGeneration and each condition's in the object's generation.
    assertThat(KUBE.ok("get", "dpuvpc", "testvpc", "-o", "jsonpath={.metadata.generation} {.status.observedGeneration}"))
        .isEqualTo("1 1");
    // The reference's annotations on each ServiceInterface: bound, and the MAC the host must carry.
    for (String dpu : List.of("a", "b")) {
      await().atMost(CONVERGE).until(() -> KUBE.ok("get", "si", "testnet1-vf2-" + dpu, "-o",
          "jsonpath={.metadata.annotations.ovn\\.vpc\\.dpu\\.nvidia\\.com/lsp-connected}").equals("true"));
      assertThat(KUBE.ok("get", "si", "testnet1-vf2-" + dpu, "-o",
          "jsonpath={.metadata.annotations.ovn\\.vpc\\.dpu\\.nvidia\\.com/lsp-mac-address}"))
          .matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    }
    assertThat(KUBE.ok("get", "events", "--field-selector", "involvedObject.name=testvpc", "-o", "jsonpath={.items[*].reason}"))
        .contains("Ready");
  }

  @Test
  @Order(2)
  void aSemanticallyInvalidObjectGetsAFalseConditionAndASchemaInvalidOneIsRefused() {
    KUBE.ok("apply", "-f", "-", """
        apiVersion: vpc.dpu.nvidia.com/v1alpha1
        kind: DPUVirtualNetwork
        metadata: {name: badnet, namespace: default}
        spec:
          vpcName: testvpc
          type: Bridged
          bridgedNetwork: {ipam: {ipv4: {dhcp: true, subnet: 192.179.7.1/16}}}
        """);
    await().atMost(CONVERGE).until(() -> KUBE.ok("get", "dvn", "badnet", "-o",
        "jsonpath={.status.conditions[?(@.type==\"Ready\")].reason}").equals("NotNetworkAddress"));
    assertThat(KUBE.ok("get", "dvn", "badnet", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].message}"))
        .contains("spec.bridgedNetwork.ipam.ipv4.subnet");
    // Nothing of it reached OVN.
    assertThat(DATAPATH.scenario().ovn().nbctl("--bare", "--columns=name", "find", "Logical_Switch",
        "external_ids:vpc.dpu.nvidia.com/owner-name=badnet")).isBlank();

    // --validate=false: the API server's own schema check (422), not kubectl's client-side one.
    KubeLab.Result refused = KUBE.kubectl("apply", "--validate=false", "-f", "-", """
        apiVersion: vpc.dpu.nvidia.com/v1alpha1
        kind: DPUVirtualNetwork
        metadata: {name: routed, namespace: default}
        spec:
          vpcName: testvpc
          type: Routed
          bridgedNetwork: {ipam: {ipv4: {dhcp: true, subnet: 192.180.0.0/16}}}
        """);
    assertThat(refused.code()).isNotZero();
    assertThat(refused.stderr()).contains("is invalid").contains("spec.type").contains("\"Routed\"");
    assertThat(KUBE.kubectl("get", "dvn", "routed").code()).as("nothing was stored").isNotZero();
    KUBE.ok("delete", "dvn", "badnet");
  }

  @Test
  @Order(3)
  void deletingAnObjectRemovesItsOvnRowsBeforeTheObjectGoes() {
    OvnRows rows = new OvnRows(DATAPATH.scenario());
    assertThat(rows.ports("testnet1-vf2-a")).isPositive();
    assertThat(rows.switches("testnet1")).isPositive();

    long t0 = System.nanoTime();
    KUBE.ok("delete", "dpuserviceinterface", "testnet1-vf2", "--wait=true", "--timeout=60s");
    // The object is gone only once our finalizer went, which waits for the Northbound bridge.
    assertThat(rows.ports("testnet1-vf2-a")).isZero();
    assertThat(rows.ports("testnet1-vf2-b")).isZero();
    await().atMost(Duration.ofSeconds(30)).until(() -> KUBE.ok("get", "si", "-o", "name").isBlank());

    // Only an object holding our finalizer waits for its rows.
    assertThat(KUBE.ok("get", "dvn", "testnet1", "-o", "jsonpath={.metadata.finalizers}")).contains("ovn-cleanup");
    String before = DATAPATH.scenario().call("GET",
        "/apis/vpc.dpu.nvidia.com/v1alpha1/namespaces/default/dpuvirtualnetworks/testnet1", null, null).body();
    KUBE.ok("delete", "dvn", "testnet1", "--wait=true", "--timeout=60s");
    assertThat(rows.switches("testnet1")).as("the network's switch after the delete; the network before it:%n%s%n%s",
        before, DATAPATH.scenario().ovn().nbctl("find", "Logical_Switch")).isZero();
    DATAPATH.scenario().log("DPUServiceInterface and DPUVirtualNetwork deleted, OVN rows first, in %d ms",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }

  @Test
  @Order(4)
  void everyOtherExampleAppliedWithKubectlBecomesReadyOnTheNodesItSelects() {
    DatapathScenario scenario = DATAPATH.scenario();
    OvnRows rows = new OvnRows(scenario);

    // Example 2: one VPC, two networks, each interface on the nodes labelled with its network.
    label(Map.of("a", "vpc.dpu.nvidia.com/network=testnet1", "b", "vpc.dpu.nvidia.com/network=testnet2"));
    applyAndAwaitReady("02-single-vpc-two-networks.yaml", "dpuvpc/testvpc", "dvn/testnet1", "dvn/testnet2",
        "dsi/testnet1-vf2", "dsi/testnet2-vf2");
    assertChildren("testnet1-vf2", "testnet1-vf2-a");
    assertChildren("testnet2-vf2", "testnet2-vf2-b");
    assertThat(KUBE.ok("get", "dvn")).containsPattern("testnet1\\s+True\\s+192.178.0.0/16")
        .containsPattern("testnet2\\s+True\\s+192.188.0.0/16");
    deleteExample("02-single-vpc-two-networks.yaml");
    assertThat(rows.switches("testnet2")).isZero();

    // Example 3: two tenants on their own labelled nodes, the same subnet in both.
    label(Map.of("a", "vpc.dpu.nvidia.com/tenant=red", "b", "vpc.dpu.nvidia.com/tenant=blue"));
    applyAndAwaitReady("03-two-tenants.yaml", "dpuvpc/redvpc", "dpuvpc/bluevpc", "dvn/rednet", "dvn/bluenet",
        "dsi/rednet-vf2", "dsi/bluenet-vf2");
    assertChildren("rednet-vf2", "rednet-vf2-a");
    assertChildren("bluenet-vf2", "bluenet-vf2-b");
    assertThat(KUBE.ok("get", "dpuvpcs")).containsPattern("bluevpc\\s+True\\s+blue").containsPattern("redvpc\\s+True\\s+red");
    deleteExample("03-two-tenants.yaml");

    // Example 4 names a VPC it does not define (example-vpc), and a service interface (my-sf) on
    // every node: the VPC is added here, and on each DPU the port ovs-cni would make for the pod.
    for (String dpu : fleet.dpus()) {
      DpuChassis chassis = fleet.lab().chassis(dpu);
      chassis.runInNamespace("ip", "link", "add", "sf" + PREFIX, "type", "veth", "peer", "name", "sf" + PREFIX + "p").orThrow();
      chassis.runInNamespace("ip", "link", "set", "sf" + PREFIX, "up").orThrow();
      chassis.vsctl("add-port", "br-int", "sf" + PREFIX, "--", "set", "Port", "sf" + PREFIX,
          "external_ids:owner=ovs-cni.network.kubevirt.io", "external_ids:contIface=my-sf");
    }
    KUBE.ok("apply", "-f", "-", """
        apiVersion: vpc.dpu.nvidia.com/v1alpha1
        kind: DPUVPC
        metadata: {name: example-vpc, namespace: default}
        spec: {tenant: example, isolationClassName: ovn.vpc.dpu.nvidia.com, interNetworkAccess: true, nodeSelector: {}}
        """);
    applyAndAwaitReady("04-exclusions-and-unknown-mac.yaml", "dpuvpc/example-vpc", "dvn/example-network",
        "dsi/unknown-mac-sf");
    assertChildren("unknown-mac-sf", "unknown-mac-sf-a", "unknown-mac-sf-b");
    for (String child : List.of("unknown-mac-sf-a", "unknown-mac-sf-b")) {
      assertThat(KUBE.ok("get", "si", child, "-o",
          "jsonpath={.metadata.annotations.ovn\\.vpc\\.dpu\\.nvidia\\.com/unknown-mac}")).isEqualTo("true");
      assertThat(scenario.ovn().nbctl("get", "Logical_Switch_Port", "default_" + child, "addresses"))
          .as("the unknown-MAC port's addresses").contains("unknown");
    }
    assertThat(scenario.ovn().nbctl("--bare", "--columns=other_config", "find", "Logical_Switch",
        "external_ids:vpc.dpu.nvidia.com/owner-name=example-network"))
        .contains("192.178.100.10").contains("192.178.100.100..192.178.100.110");
    deleteExample("04-exclusions-and-unknown-mac.yaml");
    assertThat(rows.ports("unknown-mac-sf-a")).isZero();
  }

  /** Replaces each node's labels with the one given for it, and waits until its entity has it. */
  private static void label(Map<String, String> labels) {
    labels.forEach((node, label) -> {
      KUBE.ok("label", "node", node, "vpc.dpu.nvidia.com/rack-", "vpc.dpu.nvidia.com/network-", "vpc.dpu.nvidia.com/tenant-");
      KUBE.ok("label", "node", node, label);
      String[] pair = label.split("=");
      await().atMost(Duration.ofSeconds(20)).until(() -> DATAPATH.scenario().call("GET", "/nodes/" + node, null, null)
          .json().at("/metadata/labels/" + pair[0].replace("/", "~1")).asText().equals(pair[1]));
    });
  }

  /** {@code kubectl apply -f} of an example, then {@code kubectl wait} for Ready on each object. */
  private static void applyAndAwaitReady(String example, String... objects) {
    long t0 = System.nanoTime();
    KUBE.ok("apply", "-f", EXAMPLES.resolve(example).toString());
    List<String> wait = new ArrayList<>(List.of("wait", "--for=condition=Ready", "--timeout=" + CONVERGE.toSeconds() + "s"));
    wait.addAll(List.of(objects));
    KubeLab.Result result = KUBE.kubectl(wait.toArray(String[]::new));
    assertThat(result.code()).as("kubectl wait for %s: %s%n%s", example, result.stderr(),
        KUBE.ok("get", "dvpc,dvn,dsi,si", "-o", "jsonpath={range .items[*]}{.kind}/{.metadata.name} {.status}{\"\\n\"}{end}"))
        .isZero();
    DATAPATH.scenario().log("%s Ready in Kubernetes %d ms after kubectl apply", example,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }

  /** The DPUServiceInterface's ServiceInterfaces in the DPU cluster are exactly these, each Ready. */
  private static void assertChildren(String owner, String... children) {
    await().atMost(CONVERGE).untilAsserted(() -> assertThat(KUBE.ok("get", "si", "-l",
        "svc.dpu.nvidia.com/dpuserviceinterface=" + owner, "-o", "jsonpath={.items[*].metadata.name}").split(" "))
        .containsExactlyInAnyOrder(children));
    for (String child : children) {
      assertThat(KUBE.ok("get", "si", child, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"))
          .isEqualTo("True");
    }
  }

  private static void deleteExample(String example) {
    KUBE.ok("delete", "--wait=true", "--timeout=60s", "-f", EXAMPLES.resolve(example).toString());
  }

  static final Path EXAMPLES = ProjectPaths.examples();

  /** The rows a resource owns in this test's Northbound, by the ownership the bridge records. */
  record OvnRows(DatapathScenario scenario) {
    long ports(String serviceInterface) {
      return count("Logical_Switch_Port", serviceInterface);
    }

    long switches(String network) {
      return count("Logical_Switch", network);
    }

    private long count(String table, String owner) {
      return scenario.ovn().nbctl("--bare", "--columns=_uuid", "find", table,
          "external_ids:vpc.dpu.nvidia.com/owner-name=" + owner).lines().filter(l -> !l.isBlank()).count();
    }
  }

  /** A real Kubernetes control plane for this class ({@code bin/kube-lab}), with the CRDs applied. */
  static final class KubeLab implements BeforeAllCallback, AfterAllCallback {
    record Result(int code, String stdout, String stderr) {}

    private Path dir;

    Path kubeconfig() {
      return dir.resolve("kubeconfig");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
      dir = Files.createTempDirectory("kube-e2e");
      int port = LoopbackPorts.free();
      Result up = run(List.of(script().toString(), "up", "--dir", dir.toString(), "--port", String.valueOf(port)), null);
      assertThat(up.code()).as("bin/kube-lab up: " + up.stderr()).isZero();
      ok("apply", "-f", EXAMPLES.getParent().resolve("k8s").resolve("crds").toString());
      ok("wait", "--for=condition=Established", "--timeout=60s", "crd", "--all");
      // The controller runs as the deployment's service account, with only the deployment's RBAC:
      // whatever it lacks fails this test.
      Path deploy = EXAMPLES.getParent().resolve("k8s").resolve("deploy");
      ok("apply", "-f", deploy.resolve("namespace.yaml").toString(), "-f", deploy.resolve("controller-rbac.yaml").toString());
      String token = ok("create", "token", "dpu-vpc-controller", "-n", "dpu-vpc-system", "--duration=2h");
      String admin = Files.readString(kubeconfig());
      Files.writeString(controllerKubeconfig(), admin.replaceAll("token: \\S+", "token: " + token));
      assertThat(Files.readString(controllerKubeconfig())).contains(token);
      assertThat(kubectl("--kubeconfig", controllerKubeconfig().toString(), "get", "secrets", "-A").code())
          .as("the controller's account reads no secrets").isNotZero();
    }

    Path controllerKubeconfig() {
      return dir.resolve("controller.kubeconfig");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
      if (dir != null) {
        run(List.of(script().toString(), "down", "--dir", dir.toString()), null);
        // down leaves a folder it does not recognise (an up that failed early): ours all the same.
        if (Files.exists(dir)) {
          try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
          }
        }
      }
    }

    Result kubectl(String... args) {
      List<String> command = new ArrayList<>(List.of("kubectl"));
      if (args.length == 0 || !args[0].equals("--kubeconfig")) {
        command.addAll(List.of("--kubeconfig", kubeconfig().toString()));
      }
      String stdin = null;
      for (int i = 0; i < args.length; i++) {
        // "-f -" takes the next argument as the document on stdin.
        if (args[i].equals("-") && i + 1 < args.length) {
          command.add("-");
          stdin = args[++i];
        } else {
          command.add(args[i]);
        }
      }
      return run(command, stdin);
    }

    /** Runs kubectl and expects success; its stdout. */
    String ok(String... args) {
      Result result = kubectl(args);
      assertThat(result.code()).as("kubectl " + String.join(" ", args) + ": " + result.stderr()).isZero();
      return result.stdout().strip();
    }

    private static Path script() {
      return EXAMPLES.getParent().resolve("bin").resolve("kube-lab");
    }

    private static Result run(List<String> command, String stdin) {
      Path out = null;
      Path err = null;
      try {
        out = Files.createTempFile("kubectl", ".out");
        err = Files.createTempFile("kubectl", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (stdin != null) {
          process.getOutputStream().write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
          process.destroyForcibly().waitFor();
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } finally {
        deleteQuietly(out);
        deleteQuietly(err);
      }
    }

    private static void deleteQuietly(Path file) {
      if (file != null) {
        file.toFile().delete();
      }
    }
  }
}
