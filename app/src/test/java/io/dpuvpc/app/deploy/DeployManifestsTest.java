package io.dpuvpc.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import io.dpuvpc.app.Main;
import io.dpuvpc.app.cluster.ClusterBootstrapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The invariants of the Kubernetes deployment in {@code k8s/deploy/}, read from the manifests as
 * they are: least-privilege RBAC, RBAC that covers every CRD of {@code k8s/crds/}, command lines the
 * {@code vpc} command accepts, and Cluster Bootstrap settings that find the controller's own pods.
 */
class DeployManifestsTest {
  private static final String NAMESPACE = "dpu-vpc-system";
  /** The only verbs any rule may grant. */
  private static final Set<String> ALLOWED_VERBS = Set.of("get", "list", "watch", "create", "update", "patch", "delete");
  private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
      "CustomResourceDefinition");
  private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  private static Path deploy;
  private static Path crds;
  /** Every document of every manifest in k8s/deploy/ but the kustomization, with its file. */
  private static final List<JsonNode> docs = new ArrayList<>();
  private static final Map<JsonNode, Path> fileOf = new HashMap<>();
  /** The CRDs' plurals by API group. */
  private static final Map<String, Set<String>> plurals = new LinkedHashMap<>();

  @BeforeAll
  static void read() throws IOException {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.isRegularFile(root.resolve("k8s/deploy/kustomization.yaml"))) {
      root = root.getParent();
    }
    assertThat(root).as("k8s/deploy/kustomization.yaml in the working folder or above").isNotNull();
    deploy = root.resolve("k8s/deploy");
    crds = root.resolve("k8s/crds");
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    for (Path file : yamlFiles(deploy)) {
      if (file.getFileName().toString().equals("kustomization.yaml")) {
        continue;
      }
      try (var it = yaml.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
        while (it.hasNext()) {
          JsonNode doc = it.next();
          if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
            docs.add(doc);
            fileOf.put(doc, file);
          }
        }
      }
    }
    for (Path file : yamlFiles(crds)) {
      JsonNode crd = yaml.readTree(file.toFile());
      plurals.computeIfAbsent(crd.at("/spec/group").asText(), g -> new TreeSet<>()).add(crd.at("/spec/names/plural").asText());
    }
  }

  private static List<Path> yamlFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
    }
  }

  @Test
  void theKustomizationListsEveryManifestAndEveryCrdAndNothingMissing() throws IOException {
    JsonNode kustomization = new ObjectMapper(new YAMLFactory()).readTree(deploy.resolve("kustomization.yaml").toFile());
    Set<Path> listed = new TreeSet<>();
    kustomization.get("resources").forEach(r -> listed.add(deploy.resolve(r.asText()).normalize()));
    listed.forEach(p -> assertThat(p).as("a resource of kustomization.yaml").isRegularFile());
    Set<Path> expected = new TreeSet<>();
    for (Path f : yamlFiles(deploy)) {
      if (!f.getFileName().toString().equals("kustomization.yaml")) {
        expected.add(f.normalize());
      }
    }
    yamlFiles(crds).forEach(f -> expected.add(f.normalize()));
    assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(plurals.values().stream().mapToInt(Set::size).sum()).as("the five CRD kinds").isEqualTo(5);
  }

  @Test
  void everyObjectIsNamedAndNamespacedObjectsAreInTheProductsNamespace() {
    assertThat(docs).isNotEmpty();
    for (JsonNode doc : docs) {
      String what = fileOf.get(doc).getFileName() + ": " + doc.path("kind").asText() + " " + doc.at("/metadata/name").asText();
      assertThat(doc.path("apiVersion").asText()).as(what).isNotEmpty();
      assertThat(doc.at("/metadata/name").asText()).as(what).isNotEmpty();
      if (CLUSTER_SCOPED.contains(doc.path("kind").asText())) {
        assertThat(doc.at("/metadata/namespace").isMissingNode()).as(what + " is cluster-scoped").isTrue();
      } else {
        assertThat(doc.at("/metadata/namespace").asText()).as(what).isEqualTo(NAMESPACE);
      }
    }
    assertThat(one("Namespace", NAMESPACE)).isNotNull();
  }

  @Test
  void everyRuleIsLeastPrivilege() {
    List<JsonNode> roles = new ArrayList<>(all("ClusterRole"));
    roles.addAll(all("Role"));
    assertThat(roles).isNotEmpty();
    for (JsonNode role : roles) {
      for (JsonNode rule : role.path("rules")) {
        String what = role.path("kind").asText() + " " + role.at("/metadata/name").asText() + " rule " + rule;
        assertThat(rule.has("nonResourceURLs")).as(what).isFalse();
        assertThat(rule.has("resourceNames") || rule.has("resources")).as(what).isTrue();
        assertThat(texts(rule.path("verbs"))).as(what).isNotEmpty().isSubsetOf(ALLOWED_VERBS);
        assertThat(texts(rule.path("apiGroups"))).as(what).doesNotContain("*");
        for (String resource : texts(rule.path("resources"))) {
          assertThat(resource).as(what).doesNotContain("*");
          assertThat(resource).as(what + ": no secrets").isNotEqualTo("secrets").doesNotStartWith("secrets/");
          assertThat(resource).as(what + ": no RBAC objects, no impersonation")
              .isNotIn("roles", "clusterroles", "rolebindings", "clusterrolebindings", "serviceaccounts/token");
        }
      }
    }
  }

  @Test
  void theControllerMayDoExactlyWhatItNeedsWithEveryCrd() {
    String sa = workload("StatefulSet", "dpu-vpc-controller").at("/spec/template/spec/serviceAccountName").asText();
    JsonNode role = boundClusterRole(sa);
    for (var group : plurals.entrySet()) {
      for (String plural : group.getValue()) {
        assertThat(verbs(role, group.getKey(), plural)).as(plural)
            .containsAll(List.of("get", "list", "watch", "patch", "update"));
        assertThat(verbs(role, group.getKey(), plural + "/status")).as(plural + "/status")
            .containsExactlyInAnyOrder("patch", "update");
        Set<String> creates = plural.equals("serviceinterfaces")
            ? Set.of("get", "list", "watch", "patch", "update", "create", "delete")
            : Set.of("get", "list", "watch", "patch", "update");
        assertThat(verbs(role, group.getKey(), plural)).as(plural).containsExactlyInAnyOrderElementsOf(creates);
      }
    }
    assertThat(verbs(role, "", "nodes")).containsExactlyInAnyOrder("get", "list", "watch");
    assertThat(verbs(role, "", "events")).containsExactlyInAnyOrder("create", "patch");
    assertThat(verbs(role, "", "pods")).as("pods only through the namespaced Role").isEmpty();
    // Cluster Bootstrap: the pods of its own namespace, through a Role bound in that namespace.
    JsonNode binding = all("RoleBinding").stream().filter(b -> subjectIs(b, sa)).findFirst().orElseThrow();
    assertThat(binding.at("/metadata/namespace").asText()).isEqualTo(NAMESPACE);
    JsonNode discovery = one("Role", binding.at("/roleRef/name").asText());
    assertThat(verbs(discovery, "", "pods")).containsExactlyInAnyOrder("get", "list", "watch");
  }

  @Test
  void theNodeAgentHasNoApiAccessAndNoToken() {
    JsonNode pod = workload("DaemonSet", "dpu-vpc-node-agent").at("/spec/template/spec");
    String sa = pod.path("serviceAccountName").asText();
    assertThat(one("ServiceAccount", sa).path("automountServiceAccountToken").asBoolean(true)).isFalse();
    assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
    List<JsonNode> bindings = new ArrayList<>(all("RoleBinding"));
    bindings.addAll(all("ClusterRoleBinding"));
    assertThat(bindings).noneMatch(b -> subjectIs(b, sa));
    assertThat(pod.path("hostNetwork").asBoolean()).isTrue();
    JsonNode container = pod.path("containers").get(0);
    assertThat(container.at("/securityContext/privileged").asBoolean(false)).isFalse();
    assertThat(texts(container.at("/securityContext/capabilities/drop"))).containsExactly("ALL");
    assertThat(texts(container.at("/securityContext/capabilities/add"))).contains("NET_ADMIN");
    Map<String, String> args = options(container);
    assertThat(args.get("--ovs-db")).isEqualTo("unix:/var/run/openvswitch/db.sock");
    assertMounted(pod, container, args.get("--ovs-db").substring("unix:".length()), "/var/run/openvswitch");
    assertMounted(pod, container, args.get("--cni-dhcp-socket"), "/run/vpc/cni");
    assertThat(args.get("--name")).isEqualTo("$(NODE_NAME)");
    assertThat(env(container).get("NODE_NAME").at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("spec.nodeName");
  }

  /** Each container runs a verb of {@code vpc} with options that verb has, and picocli parses the line. */
  @Test
  void everyCommandLineIsOneTheVpcCommandAccepts() {
    List<JsonNode> workloads = new ArrayList<>(all("StatefulSet"));
    workloads.addAll(all("DaemonSet"));
    workloads.addAll(all("Deployment"));
    assertThat(workloads).hasSize(2);
    for (JsonNode workload : workloads) {
      for (JsonNode container : workload.at("/spec/template/spec/containers")) {
        List<String> args = texts(container.path("args"));
        assertThat(container.has("command")).as("the image's entrypoint runs io.dpuvpc.app.Main").isFalse();
        CommandLine vpc = new CommandLine(new Main());
        CommandLine verb = vpc.getSubcommands().get(args.get(0));
        assertThat(verb).as("verb " + args.get(0)).isNotNull();
        CommandSpec spec = verb.getCommandSpec();
        for (String name : options(container).keySet()) {
          assertThat(spec.findOption(name)).as(args.get(0) + " " + name).isNotNull();
        }
        // Kubernetes expands $(VAR) only for variables the container defines: every one must be.
        Map<String, JsonNode> env = env(container);
        List<String> expanded = new ArrayList<>();
        for (String arg : args) {
          Matcher m = REFERENCE.matcher(arg);
          while (m.find()) {
            assertThat(env).as(arg).containsKey(m.group(1));
          }
          expanded.add(REFERENCE.matcher(arg).replaceAll("x"));
        }
        var parsed = new CommandLine(new Main()).parseArgs(expanded.toArray(String[]::new));
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo(args.get(0));
        assertThat(parsed.subcommand().errors()).isEmpty();
        // The image kustomization.yaml's images: entry names (and rewrites).
        assertThat(container.path("image").asText()).isEqualTo("dpu-vpc");
      }
    }
    // Every file an option names lies in a mounted volume.
    JsonNode controller = workload("StatefulSet", "dpu-vpc-controller").at("/spec/template/spec");
    Map<String, String> options = options(controller.path("containers").get(0));
    assertMounted(controller, controller.path("containers").get(0), options.get("--config"), "/etc/dpu-vpc/config");
    assertMounted(controller, controller.path("containers").get(0), options.get("--token-file"), "/etc/dpu-vpc/tokens");
  }

  @Test
  void clusterBootstrapFindsTheControllersOwnPods() {
    JsonNode set = workload("StatefulSet", "dpu-vpc-controller");
    JsonNode pod = set.at("/spec/template");
    JsonNode container = pod.at("/spec/containers").get(0);
    Map<String, JsonNode> env = env(container);
    assertThat(env.get(ClusterBootstrapping.ENV).path("value").asText()).isEqualTo("kubernetes-api");
    // The settings as the pod resolves them: dpuvpc-kubernetes.conf with the pod's literal env values.
    Map<String, String> values = new HashMap<>();
    env.forEach((k, v) -> {
      if (v.has("value")) {
        values.put(k, v.path("value").asText());
      }
    });
    Config config = ClusterBootstrapping.config(ClusterBootstrapping.Mode.KUBERNETES_API)
        .withFallback(ConfigFactory.parseMap(values)).withFallback(ConfigFactory.load())
        .resolve(ConfigResolveOptions.noSystem());
    String discovery = "pekko.management.cluster.bootstrap.contact-point-discovery.";
    String selector = config.getString("pekko.discovery.kubernetes-api.pod-label-selector")
        .replace("%s", config.getString(discovery + "service-name"));
    Map<String, String> labels = new HashMap<>();
    pod.at("/metadata/labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    for (String term : selector.split(",")) {
      String[] kv = term.split("=", 2);
      assertThat(labels).as("selector " + selector).containsEntry(kv[0].strip(), kv[1].strip());
    }
    // The selector must not also match the node agents' pods: they are no controllers.
    JsonNode agentLabels = workload("DaemonSet", "dpu-vpc-node-agent").at("/spec/template/metadata/labels");
    assertThat(Stream.of(selector.split(",")).allMatch(t -> agentLabels.path(t.split("=")[0]).asText().equals(t.split("=")[1])))
        .isFalse();
    // A new cluster forms with all the replicas.
    assertThat(config.getInt(discovery + "required-contact-point-nr")).isEqualTo(set.at("/spec/replicas").asInt());
    assertThat(set.at("/spec/podManagementPolicy").asText()).isEqualTo("Parallel");
    // The discovery reads the service account's token and CA from the pod's files.
    assertThat(pod.at("/spec/automountServiceAccountToken").asBoolean(true)).isTrue();
    // The management port by its name, and the probes on Pekko Management's health-check paths.
    int management = config.getInt("pekko.management.http.port");
    String portName = config.getString(discovery + "port-name");
    assertThat(containerPort(container, portName)).isEqualTo(management);
    assertThat(container.at("/readinessProbe/httpGet/path").asText())
        .isEqualTo("/" + config.getString("pekko.management.health-checks.readiness-path"));
    assertThat(container.at("/livenessProbe/httpGet/path").asText())
        .isEqualTo("/" + config.getString("pekko.management.health-checks.liveness-path"));
    assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo(portName);
    assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo(portName);
    // The cluster port the command line sets is the port the pod declares, and the headless
    // Service the StatefulSet names publishes it before the pods are ready.
    assertThat(options(container).get("--cluster-port")).isEqualTo(String.valueOf(containerPort(container, "remoting")));
    JsonNode headless = one("Service", set.at("/spec/serviceName").asText());
    assertThat(headless.at("/spec/clusterIP").asText()).isEqualTo("None");
    assertThat(headless.at("/spec/publishNotReadyAddresses").asBoolean()).isTrue();
    assertThat(env.get("VPC_CLUSTER_HOST").path("value").asText()).contains("." + headless.at("/metadata/name").asText() + ".");
  }

  @Test
  void everyConfigMapKeySecretAndServiceAccountReferencedExists() {
    for (String kind : List.of("StatefulSet", "DaemonSet")) {
      for (JsonNode workload : all(kind)) {
        JsonNode pod = workload.at("/spec/template/spec");
        assertThat(one("ServiceAccount", pod.path("serviceAccountName").asText())).isNotNull();
        JsonNode selector = workload.at("/spec/selector/matchLabels");
        selector.fields().forEachRemaining(e ->
            assertThat(workload.at("/spec/template/metadata/labels/" + e.getKey().replace("/", "~1")).asText())
                .isEqualTo(e.getValue().asText()));
        for (JsonNode container : pod.path("containers")) {
          for (JsonNode e : env(container).values()) {
            JsonNode ref = e.at("/valueFrom/configMapKeyRef");
            if (!ref.isMissingNode()) {
              assertThat(one("ConfigMap", ref.path("name").asText()).path("data").has(ref.path("key").asText()))
                  .as(ref.toString()).isTrue();
            }
          }
        }
        for (JsonNode volume : pod.path("volumes")) {
          if (volume.has("secret")) {
            assertThat(one("Secret", volume.at("/secret/secretName").asText())).isNotNull();
          }
          if (volume.has("configMap")) {
            JsonNode map = one("ConfigMap", volume.at("/configMap/name").asText());
            volume.at("/configMap/items").forEach(i -> assertThat(map.path("data").has(i.path("key").asText())).isTrue());
          }
        }
      }
    }
    // The token Secret's placeholder holds no token: the controller refuses to start on it
    // rather than run with a token published in git.
    String tokens = one("Secret", "dpu-vpc-controller-tokens").at("/stringData/tokens").asText();
    assertThat(tokens.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))).isEmpty();
  }

  // --- helpers

  private static List<JsonNode> all(String kind) {
    return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
  }

  private static JsonNode one(String kind, String name) {
    List<JsonNode> found = all(kind).stream().filter(d -> d.at("/metadata/name").asText().equals(name)).toList();
    assertThat(found).as(kind + " " + name).hasSize(1);
    return found.get(0);
  }

  private static JsonNode workload(String kind, String name) {
    return one(kind, name);
  }

  private static boolean subjectIs(JsonNode binding, String serviceAccount) {
    for (JsonNode s : binding.path("subjects")) {
      if (s.path("kind").asText().equals("ServiceAccount") && s.path("name").asText().equals(serviceAccount)
          && s.path("namespace").asText().equals(NAMESPACE)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode boundClusterRole(String serviceAccount) {
    List<JsonNode> bindings = all("ClusterRoleBinding").stream().filter(b -> subjectIs(b, serviceAccount)).toList();
    assertThat(bindings).hasSize(1);
    assertThat(bindings.get(0).at("/roleRef/kind").asText()).isEqualTo("ClusterRole");
    return one("ClusterRole", bindings.get(0).at("/roleRef/name").asText());
  }

  /** The verbs {@code role} grants on {@code resource} of {@code group}, over all its rules. */
  private static Set<String> verbs(JsonNode role, String group, String resource) {
    Set<String> verbs = new TreeSet<>();
    for (JsonNode rule : role.path("rules")) {
      if (texts(rule.path("apiGroups")).contains(group) && texts(rule.path("resources")).contains(resource)) {
        verbs.addAll(texts(rule.path("verbs")));
      }
    }
    return verbs;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static Map<String, JsonNode> env(JsonNode container) {
    Map<String, JsonNode> env = new LinkedHashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
    return env;
  }

  /** The options of the container's args, written {@code --name=value} or, flags, {@code --name} (value ""). */
  private static Map<String, String> options(JsonNode container) {
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : texts(container.path("args"))) {
      if (arg.startsWith("-")) {
        assertThat(arg).as("long options only").startsWith("--");
        int eq = arg.indexOf('=');
        options.put(eq < 0 ? arg : arg.substring(0, eq), eq < 0 ? "" : arg.substring(eq + 1));
      }
    }
    return options;
  }

  private static int containerPort(JsonNode container, String name) {
    for (JsonNode port : container.path("ports")) {
      if (port.path("name").asText().equals(name)) {
        return port.path("containerPort").asInt();
      }
    }
    throw new AssertionError("no containerPort named " + name + " in " + container.path("name").asText());
  }

  /** {@code path} lies in the container's mount at {@code mountPath}, of a volume the pod has. */
  private static void assertMounted(JsonNode pod, JsonNode container, String path, String mountPath) {
    assertThat(path).startsWith(mountPath + "/");
    JsonNode mount = null;
    for (JsonNode m : container.path("volumeMounts")) {
      if (m.path("mountPath").asText().equals(mountPath)) {
        mount = m;
      }
    }
    assertThat(mount).as("a volume mounted at " + mountPath).isNotNull();
    String volume = mount.path("name").asText();
    List<String> volumes = new ArrayList<>();
    pod.path("volumes").forEach(v -> volumes.add(v.path("name").asText()));
    assertThat(volumes).contains(volume);
  }
}
