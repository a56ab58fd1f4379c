package io.dpuvpc.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dpuvpc.actors.conditions.ConditionStatus;
import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.entity.DpuServiceInterfaceEntity;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import io.dpuvpc.actors.model.TemplateMetadata;
import io.dpuvpc.actors.validation.FieldError;
import io.dpuvpc.http.document.Document;
import io.dpuvpc.http.document.MediaKind;
import io.dpuvpc.http.document.ResourceDocuments;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin API's routing logic at unit level: every path shape, the JSON/YAML negotiation, bodies
 * (media types, limits, several documents), the mapping of every {@link ResourceService} outcome to
 * its HTTP code and Kubernetes {@code Status}, authentication, health, readiness and describe.
 * Requests that must change nothing are checked to have reached no apply or delete of the service.
 *
 * <p>Harness: Pekko HTTP's route testkit only comes as JUnit 4 rules, so each test binds the real
 * {@link AdminRoutes#route()} with {@link AdminServer#bind} on loopback port 0 in an {@link
 * ActorTestKit}'s system and calls it over real HTTP with {@link HttpClient}. The service is the
 * in-memory {@link FakeResourceService}: no entities, no cluster. The end-to-end behaviour against a
 * real controller is {@code app/.../AdminApiIT}'s.
 */
class AdminRoutesTest {

    static final String VPC = "/apis/vpc.dpu.nvidia.com/v1alpha1";
    static final String SVC = "/apis/svc.dpu.nvidia.com/v1alpha1";
    static final String VPCS = VPC + "/namespaces/default/dpuvpcs";
    static final String RW = "rw-token-0123456789abcdef";
    static final String RO = "ro-token-0123456789abcdef";
    static final long MAX_BODY = 16 * 1024;
    static final AdminRoutes.Settings SETTINGS = new AdminRoutes.Settings(MAX_BODY, Duration.ofSeconds(2));

    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static ActorTestKit testKit;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private FakeResourceService service;
    private ServerBinding binding;
    private String base;
    /** Every body the server answered in this test: none may hold a token. */
    private final List<String> bodies = new ArrayList<>();

    @BeforeAll
    static void startSystem() {
        testKit = ActorTestKit.create("AdminRoutesTest");
    }

    @AfterAll
    static void stopSystem() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void freshService() {
        service = new FakeResourceService();
    }

    @AfterEach
    void unbind() throws Exception {
        if (binding != null) {
            binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        assertThat(bodies).as("no answer shows a token").noneMatch(b -> b.contains(RW) || b.contains(RO));
    }

    private void serve(AccessTokens tokens, Supplier<Optional<String>> notReadyBecause, AdminRoutes.Settings settings)
            throws Exception {
        var route = new AdminRoutes(service, tokens, notReadyBecause, settings).route();
        binding = AdminServer.bind(testKit.system(), new AdminServer.Settings("127.0.0.1", 0, Optional.empty(),
                Optional.empty()), route).toCompletableFuture().get(10, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + binding.localAddress().getPort();
    }

    private void serve() throws Exception {
        serve(AccessTokens.none(), Optional::empty, SETTINGS);
    }

    private void serveWithTokens() throws Exception {
        serve(AccessTokens.parse("# tokens\n" + RW + "\n" + RO + " read-only\n", "tokens"), Optional::empty, SETTINGS);
    }

    // ---- documents

    static String vpc(String name) {
        return """
                apiVersion: vpc.dpu.nvidia.com/v1alpha1
                kind: DPUVPC
                metadata: {name: %s}
                spec: {tenant: t, isolationClassName: ovn.vpc.dpu.nvidia.com, interNetworkAccess: true}
                """.formatted(name);
    }

    static String vpcIn(String name, String namespace) {
        return vpc(name).replace("metadata: {name: " + name + "}",
                "metadata: {name: " + name + ", namespace: " + namespace + "}");
    }

    static final String ISOLATION_CLASS = """
            apiVersion: vpc.dpu.nvidia.com/v1alpha1
            kind: IsolationClass
            metadata: {name: ovn.vpc.dpu.nvidia.com}
            spec:
              provisioner: ovn.vpc.dpu.nvidia.com
              parameters: {ovn-nb-endpoint: "tcp:127.0.0.1:6641"}
            """;

    static final String NETWORK = """
            apiVersion: vpc.dpu.nvidia.com/v1alpha1
            kind: DPUVirtualNetwork
            metadata: {name: testnet1}
            spec:
              vpcName: testvpc
              nodeSelector: {}
              type: Bridged
              externallyRouted: true
              masquerade: true
              bridgedNetwork: {ipam: {ipv4: {dhcp: true, subnet: 192.178.0.0/16}}}
            """;

    static final String DSI = """
            apiVersion: svc.dpu.nvidia.com/v1alpha1
            kind: DPUServiceInterface
            metadata: {name: testnet1-vf2}
            spec:
              template:
                spec:
                  template:
                    spec:
                      interfaceType: vf
                      vf: {pfID: 0, vfID: 2, parentInterfaceRef: ""}
                      virtualNetwork: testnet1
            """;

    static String stream(String... documents) {
        return String.join("---\n", documents);
    }

    // ---- HTTP

    record Answer(int code, String body, HttpResponse<String> response) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        JsonNode yaml() {
            try {
                return YAML.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not YAML: " + body, e);
            }
        }

        String contentType() {
            return response.headers().firstValue("Content-Type").orElse("");
        }
    }

    private HttpRequest.Builder request(String method, String path, HttpRequest.BodyPublisher body) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).method(method, body);
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            bodies.add(response.body());
            return new Answer(response.statusCode(), response.body(), response);
        } catch (Exception e) {
            throw new AssertionError(request.build().method() + " " + request.build().uri() + ": " + e, e);
        }
    }

    private Answer get(String path) {
        return send(request("GET", path, HttpRequest.BodyPublishers.noBody()));
    }

    private Answer call(String method, String path, String body, String contentType, String token) {
        HttpRequest.Builder request = request(method, path, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    private Answer postYaml(String path, String body) {
        return call("POST", path, body, "application/yaml", null);
    }

    /** A Kubernetes Status of failure with {@code code} and {@code reason}, its message holding {@code words}. */
    private static JsonNode assertStatus(Answer answer, int code, String reason, String... words) {
        assertThat(answer.code()).as(answer.body()).isEqualTo(code);
        assertThat(answer.contentType()).startsWith("application/json");
        JsonNode status = answer.json();
        assertThat(status.get("kind").asText()).isEqualTo("Status");
        assertThat(status.get("apiVersion").asText()).isEqualTo("v1");
        assertThat(status.get("status").asText()).isEqualTo("Failure");
        assertThat(status.get("code").asInt()).isEqualTo(code);
        assertThat(status.get("reason").asText()).isEqualTo(reason);
        if (words.length > 0) {
            assertThat(status.get("message").asText()).contains(words);
        }
        return status;
    }

    private static List<String> causeFields(JsonNode status) {
        return status.at("/details/causes").findValuesAsText("field");
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.get("items").forEach(item -> names.add(item.at("/metadata/name").asText()));
        return names;
    }

    private void assertNothingChanged() {
        assertThat(service.applied).as("documents applied").isEmpty();
        assertThat(service.deleted).as("deletes").isEmpty();
    }

    // ---- path shapes

    @Test
    void aNamespacedCollectionListsThatNamespaceOnly() throws Exception {
        service.seed(stream(vpc("a"), vpcIn("b", "blue"), vpc("c")));
        serve();
        Answer list = get(VPCS);
        assertThat(list.code()).isEqualTo(200);
        assertThat(list.contentType()).startsWith("application/json");
        JsonNode body = list.json();
        assertThat(body.get("kind").asText()).isEqualTo("DPUVPCList");
        assertThat(body.get("apiVersion").asText()).isEqualTo("vpc.dpu.nvidia.com/v1alpha1");
        assertThat(names(body)).containsExactly("a", "c");
        assertThat(body.get("items").get(0).get("kind").asText()).isEqualTo("DPUVPC");
        assertThat(service.listed).containsExactly(
                new FakeResourceService.Listed(ResourceKind.DPU_VPC, Optional.of("default")));
        // A trailing slash is the same collection.
        assertThat(names(get(VPCS + "/").json())).containsExactly("a", "c");
    }

    @Test
    void aWatchIsOneJsonEventPerLineWhatExistsFirstAndItsParameterIsChecked() throws Exception {
        service.seed(stream(vpc("a"), vpcIn("b", "blue"), vpc("c")));
        ResourceView gone = service.resources.values().stream().filter(v -> v.key().name().equals("c")).findFirst().orElseThrow();
        service.afterAdded = org.apache.pekko.stream.javadsl.Source.single(
                new ResourceService.WatchEvent(ResourceService.WatchEvent.DELETED, gone.render()));
        serve();
        Answer watch = get(VPCS + "?watch=true");
        assertThat(watch.code()).isEqualTo(200);
        assertThat(watch.contentType()).startsWith("application/json");
        List<String> lines = watch.body().lines().toList();
        assertThat(lines).hasSize(3);
        List<String> seen = new ArrayList<>();
        for (String line : lines) {
            JsonNode event = JSON.readTree(line);
            assertThat(event.get("object").get("kind").asText()).isEqualTo("DPUVPC");
            seen.add(event.get("type").asText() + " " + event.at("/object/metadata/name").asText());
        }
        assertThat(seen).containsExactly("ADDED a", "ADDED c", "DELETED c");
        assertStatus(get(VPCS + "?watch=sometimes"), 400, "BadRequest", "watch must be true or false");
        assertThat(names(get(VPCS + "?watch=false").json())).containsExactly("a", "c");
    }

    @Test
    void theListOfANamespacedKindWithoutNamespaceSpansEveryNamespace() throws Exception {
        service.seed(stream(vpc("a"), vpcIn("b", "blue")));
        serve();
        Answer list = get(VPC + "/dpuvpcs");
        assertThat(list.code()).isEqualTo(200);
        assertThat(list.json().get("kind").asText()).isEqualTo("DPUVPCList");
        // Sorted by namespace, then name: blue/b before default/a.
        assertThat(names(list.json())).containsExactly("b", "a");
        assertThat(list.json().get("items").findValuesAsText("namespace")).containsExactly("blue", "default");
        assertThat(service.listed).containsExactly(new FakeResourceService.Listed(ResourceKind.DPU_VPC, Optional.empty()));
    }

    @Test
    void aNamespacedItemIsReadAsJsonAndAMissingOneIs404() throws Exception {
        service.seed(vpc("testvpc"));
        serve();
        Answer item = get(VPCS + "/testvpc");
        assertThat(item.code()).isEqualTo(200);
        assertThat(item.contentType()).startsWith("application/json");
        JsonNode doc = item.json();
        assertThat(doc.get("apiVersion").asText()).isEqualTo("vpc.dpu.nvidia.com/v1alpha1");
        assertThat(doc.get("kind").asText()).isEqualTo("DPUVPC");
        assertThat(doc.at("/metadata/name").asText()).isEqualTo("testvpc");
        assertThat(doc.at("/metadata/namespace").asText()).isEqualTo("default");
        assertThat(doc.at("/metadata/resourceVersion").asText()).isEqualTo("7");
        assertThat(doc.at("/spec/tenant").asText()).isEqualTo("t");

        JsonNode missing = assertStatus(get(VPCS + "/nosuchvpc"), 404, "NotFound",
                "DPUVPC \"nosuchvpc\" not found in namespace \"default\"");
        assertThat(missing.at("/details/name").asText()).isEqualTo("nosuchvpc");
        assertThat(missing.at("/details/kind").asText()).isEqualTo("DPUVPC");
        // Same name in another namespace is another resource.
        assertStatus(get(VPC + "/namespaces/blue/dpuvpcs/testvpc"), 404, "NotFound", "in namespace \"blue\"");
    }

    @Test
    void aClusterScopedKindHasACollectionAndItemsWithoutNamespace() throws Exception {
        service.seed(ISOLATION_CLASS);
        serve();
        Answer list = get(VPC + "/isolationclasses");
        assertThat(list.code()).isEqualTo(200);
        assertThat(list.json().get("kind").asText()).isEqualTo("IsolationClassList");
        assertThat(names(list.json())).containsExactly("ovn.vpc.dpu.nvidia.com");
        assertThat(service.listed).containsExactly(
                new FakeResourceService.Listed(ResourceKind.ISOLATION_CLASS, Optional.empty()));

        Answer item = get(VPC + "/isolationclasses/ovn.vpc.dpu.nvidia.com");
        assertThat(item.code()).isEqualTo(200);
        assertThat(item.json().get("kind").asText()).isEqualTo("IsolationClass");
        assertThat(item.json().get("metadata").has("namespace")).isFalse();
        assertThat(item.json().at("/spec/provisioner").asText()).isEqualTo("ovn.vpc.dpu.nvidia.com");

        JsonNode missing = assertStatus(get(VPC + "/isolationclasses/other"), 404, "NotFound",
                "IsolationClass \"other\" not found");
        assertThat(missing.get("message").asText()).doesNotContain("namespace");
    }

    @Test
    void anUnknownGroupVersionOrPluralIs404NamingWhatIsServed() throws Exception {
        serve();
        for (String path : List.of(VPC + "/namespaces/default/dpuwidgets", VPC + "/dpuwidgets",
                "/apis/vpc.dpu.nvidia.com/v1/dpuvpcs", "/apis/example.com/v1alpha1/namespaces/default/dpuvpcs",
                SVC + "/namespaces/default/dpuvpcs", VPC + "/namespaces/default/dpuvpcs.vpc.dpu.nvidia.com")) {
            assertStatus(get(path), 404, "NotFound", "the server has no resource", "it serves",
                    "vpc.dpu.nvidia.com/v1alpha1 isolationclasses", "vpc.dpu.nvidia.com/v1alpha1 dpuvpcs",
                    "vpc.dpu.nvidia.com/v1alpha1 dpuvirtualnetworks", "svc.dpu.nvidia.com/v1alpha1 dpuserviceinterfaces",
                    "svc.dpu.nvidia.com/v1alpha1 serviceinterfaces");
        }
        JsonNode status = assertStatus(get(VPC + "/namespaces/default/dpuwidgets/x"), 404, "NotFound",
                "no resource \"dpuwidgets\" in vpc.dpu.nvidia.com/v1alpha1");
        assertThat(status.has("details")).isFalse();
        // A write there changes nothing.
        assertStatus(postYaml(VPC + "/namespaces/default/dpuwidgets", vpc("a")), 404, "NotFound");
        assertNothingChanged();
        assertThat(service.listed).isEmpty();
    }

    @Test
    void aNamespaceOnAClusterScopedKindIs404() throws Exception {
        service.seed(ISOLATION_CLASS);
        serve();
        String path = VPC + "/namespaces/default/isolationclasses";
        assertStatus(get(path), 404, "NotFound", "IsolationClass is cluster scoped",
                "use /apis/vpc.dpu.nvidia.com/v1alpha1/isolationclasses without a namespace");
        assertStatus(get(path + "/ovn.vpc.dpu.nvidia.com"), 404, "NotFound", "cluster scoped");
        assertStatus(postYaml(path, ISOLATION_CLASS), 404, "NotFound", "cluster scoped");
        assertStatus(call("DELETE", path + "/ovn.vpc.dpu.nvidia.com", null, null, null), 404, "NotFound", "cluster scoped");
        assertNothingChanged();
        assertThat(service.listed).isEmpty();
    }

    @Test
    void anItemOfANamespacedKindWithoutNamespaceIs404() throws Exception {
        service.seed(vpc("testvpc"));
        serve();
        String path = VPC + "/dpuvpcs/testvpc";
        assertStatus(get(path), 404, "NotFound", "DPUVPC is namespaced",
                "use /apis/vpc.dpu.nvidia.com/v1alpha1/namespaces/{namespace}/dpuvpcs/testvpc");
        assertStatus(call("PUT", path, vpc("testvpc"), "application/yaml", null), 404, "NotFound", "is namespaced");
        assertStatus(call("DELETE", path, null, null, null), 404, "NotFound", "is namespaced");
        assertNothingChanged();
        assertThat(service.resources).containsKey(ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "testvpc"));
    }

    @Test
    void otherPathsAndMethodsAreRejected() throws Exception {
        service.seed(stream(vpc("testvpc"), ISOLATION_CLASS));
        serve();
        assertThat(get("/nosuchpath").code()).isEqualTo(404);
        assertThat(call("POST", "/healthz", "x", "text/plain", null).code()).isEqualTo(405);
        assertThat(call("PATCH", VPC + "/isolationclasses/ovn.vpc.dpu.nvidia.com", ISOLATION_CLASS, "application/yaml",
                null).code()).isEqualTo(405);
        assertThat(call("POST", VPC + "/isolationclasses/ovn.vpc.dpu.nvidia.com", ISOLATION_CLASS, "application/yaml",
                null).code()).isEqualTo(405);
        assertThat(call("PUT", VPC + "/isolationclasses", ISOLATION_CLASS, "application/yaml", null).code()).isEqualTo(405);
        assertNothingChanged();
    }

    /**
     * Main-code bug (reported, not fixed here): a request under {@code /namespaces/} that the
     * namespaced branch rejects (a method it does not serve, extra segments) falls through to the
     * cluster-wide branch, which reads "namespaces" as a plural and answers 404 "the server has no
     * resource \"namespaces\"".
     */
    @Test
    void aMethodNotServedOnANamespacedItemIs405() throws Exception {
        service.seed(vpc("testvpc"));
        serve();
        assertStatus(call("PATCH", VPCS + "/testvpc", vpc("testvpc"), "application/yaml", null), 405, "MethodNotAllowed");
        Answer extra = get(VPCS + "/testvpc/extra");
        assertThat(extra.code()).isEqualTo(404);
        assertThat(extra.body()).doesNotContain("no resource \"namespaces\"");
        assertNothingChanged();
    }

    // ---- JSON and YAML

    @Test
    void yamlIsAnsweredWhenAskedByQueryOrAcceptHeader() throws Exception {
        service.seed(vpc("testvpc"));
        serve();
        Answer byQuery = get(VPCS + "/testvpc?output=yaml");
        assertThat(byQuery.code()).isEqualTo(200);
        assertThat(byQuery.contentType()).startsWith("application/yaml");
        assertThat(byQuery.body()).contains("kind: DPUVPC\n", "name: testvpc\n", "resourceVersion: \"7\"");
        assertThat(byQuery.yaml().at("/spec/isolationClassName").asText()).isEqualTo("ovn.vpc.dpu.nvidia.com");

        Answer byAccept = send(request("GET", VPCS + "/testvpc", HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/yaml"));
        assertThat(byAccept.contentType()).startsWith("application/yaml");
        assertThat(byAccept.yaml()).isEqualTo(byQuery.yaml());
        // JSON otherwise, and ?output wins over Accept.
        Answer json = send(request("GET", VPCS + "/testvpc?output=json", HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/yaml"));
        assertThat(json.contentType()).startsWith("application/json");
        assertThat(json.json()).isEqualTo(byQuery.yaml());
        Answer both = send(request("GET", VPCS + "/testvpc", HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/json, application/yaml"));
        assertThat(both.contentType()).startsWith("application/json");
    }

    @Test
    void listsAndErrorsComeInYamlToo() throws Exception {
        service.seed(stream(vpc("a"), vpc("b")));
        serve();
        Answer list = get(VPCS + "?output=yaml");
        assertThat(list.code()).isEqualTo(200);
        assertThat(list.body()).contains("kind: DPUVPCList", "items:");
        assertThat(names(list.yaml())).containsExactly("a", "b");

        Answer missing = get(VPCS + "/nosuch?output=yaml");
        assertThat(missing.code()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/yaml");
        assertThat(missing.yaml().get("kind").asText()).isEqualTo("Status");
        assertThat(missing.yaml().get("code").asInt()).isEqualTo(404);
        assertThat(missing.yaml().get("reason").asText()).isEqualTo("NotFound");
    }

    // ---- POST and PUT

    @Test
    void postingOneDocumentAnswers201WhenCreatedAnd200Otherwise() throws Exception {
        serve();
        Answer created = postYaml(VPCS, vpc("testvpc"));
        assertThat(created.code()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("kind").asText()).isEqualTo("DPUVPC");
        assertThat(created.json().at("/metadata/name").asText()).isEqualTo("testvpc");
        assertThat(created.json().at("/metadata/uid").asText()).isEqualTo("uid-testvpc");
        assertThat(service.applied).hasSize(1);
        Document applied = service.applied.get(0);
        assertThat(applied.key()).isEqualTo(ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "testvpc"));
        assertThat(applied.spec()).isEqualTo(new io.dpuvpc.actors.model.DpuVpcSpec("t", "ovn.vpc.dpu.nvidia.com", true,
                null));

        Answer again = postYaml(VPCS, vpc("testvpc"));
        assertThat(again.code()).isEqualTo(200);
        assertThat(again.json().at("/metadata/name").asText()).isEqualTo("testvpc");
        assertThat(service.applied).hasSize(2);

        // In YAML when asked.
        Answer yaml = postYaml(VPCS + "?output=yaml", vpc("other"));
        assertThat(yaml.code()).isEqualTo(201);
        assertThat(yaml.contentType()).startsWith("application/yaml");
        assertThat(yaml.yaml().at("/metadata/name").asText()).isEqualTo("other");
    }

    @Test
    void thePathNamespaceIsTheDefaultNamespaceOfTheDocuments() throws Exception {
        serve();
        assertThat(postYaml(VPC + "/namespaces/blue/dpuvpcs", vpc("a")).code()).isEqualTo(201);
        // A document naming the path's namespace is fine too.
        assertThat(postYaml(VPC + "/namespaces/blue/dpuvpcs", vpcIn("b", "blue")).code()).isEqualTo(201);
        // The cluster-wide collection of a namespaced kind defaults to "default" and takes any namespace.
        assertThat(postYaml(VPC + "/dpuvpcs", vpc("c")).code()).isEqualTo(201);
        assertThat(postYaml(VPC + "/dpuvpcs", vpcIn("d", "green")).code()).isEqualTo(201);
        assertThat(service.applied.stream().map(d -> d.key().namespace() + "/" + d.key().name()))
                .containsExactly("blue/a", "blue/b", "default/c", "green/d");
        // PUT to an item takes the path's namespace too.
        assertThat(call("PUT", VPC + "/namespaces/red/dpuvpcs/e", vpc("e"), "application/yaml", null).code())
                .isEqualTo(201);
        assertThat(service.applied.get(4).key()).isEqualTo(ResourceKey.namespaced(ResourceKind.DPU_VPC, "red", "e"));
    }

    @Test
    void severalDocumentsOfMixedKindsAreAppliedInOrderAndAnsweredAsAList() throws Exception {
        serve();
        Answer answer = postYaml(VPCS, stream(ISOLATION_CLASS, vpc("testvpc"), NETWORK, DSI));
        assertThat(answer.code()).as(answer.body()).isEqualTo(200);
        JsonNode list = answer.json();
        assertThat(list.get("apiVersion").asText()).isEqualTo("v1");
        assertThat(list.get("kind").asText()).isEqualTo("List");
        assertThat(list.get("items").findValuesAsText("kind"))
                .containsExactly("IsolationClass", "DPUVPC", "DPUVirtualNetwork", "DPUServiceInterface");
        assertThat(names(list)).containsExactly("ovn.vpc.dpu.nvidia.com", "testvpc", "testnet1", "testnet1-vf2");
        assertThat(service.applied.stream().map(Document::key)).containsExactly(
                ResourceKey.clusterScoped(ResourceKind.ISOLATION_CLASS, "ovn.vpc.dpu.nvidia.com"),
                ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "testvpc"),
                ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, "default", "testnet1"),
                ResourceKey.namespaced(ResourceKind.DPU_SERVICE_INTERFACE, "default", "testnet1-vf2"));
        // Even when all were created, several documents answer 200; a kind List in JSON or YAML.
        Answer yaml = postYaml(VPCS + "?output=yaml", stream(vpc("x"), vpc("y")));
        assertThat(yaml.code()).isEqualTo(200);
        assertThat(yaml.body()).contains("kind: List");
        assertThat(names(yaml.yaml())).containsExactly("x", "y");
        // A kind List body is several documents too.
        Answer fromList = call("POST", VPCS, """
                {"apiVersion": "v1", "kind": "List", "items": [
                  {"apiVersion": "vpc.dpu.nvidia.com/v1alpha1", "kind": "DPUVPC", "metadata": {"name": "l1"},
                   "spec": {"tenant": "t", "isolationClassName": "ovn.vpc.dpu.nvidia.com", "interNetworkAccess": true}},
                  {"apiVersion": "vpc.dpu.nvidia.com/v1alpha1", "kind": "DPUVPC", "metadata": {"name": "l2"},
                   "spec": {"tenant": "t", "isolationClassName": "ovn.vpc.dpu.nvidia.com", "interNetworkAccess": true}}]}
                """, "application/json", null);
        assertThat(fromList.code()).as(fromList.body()).isEqualTo(200);
        assertThat(names(fromList.json())).containsExactly("l1", "l2");
    }

    @Test
    void aDocumentInAnotherNamespaceThanThePathIs400AndNothingIsApplied() throws Exception {
        serve();
        JsonNode one = assertStatus(postYaml(VPCS, vpcIn("a", "blue")), 400, "BadRequest",
                "metadata.namespace \"blue\" does not match the namespace of the path, \"default\"");
        assertThat(one.get("message").asText()).doesNotStartWith("document");
        // In a body of several, the message names the document; the good first one is not applied either.
        assertStatus(postYaml(VPCS, stream(vpc("a"), vpcIn("b", "blue"))), 400, "BadRequest",
                "document 1: metadata.namespace \"blue\" does not match");
        assertStatus(call("PUT", VPCS + "/a", vpcIn("a", "blue"), "application/yaml", null), 400, "BadRequest",
                "does not match the namespace of the path");
        assertNothingChanged();
    }

    @Test
    void aPutMustCarryExactlyTheOneDocumentOfItsPath() throws Exception {
        serve();
        assertStatus(call("PUT", VPCS + "/a", vpc("b"), "application/yaml", null), 400, "BadRequest",
                "metadata.name \"b\" does not match the name of the path, \"a\"");
        assertStatus(call("PUT", VPCS + "/testnet1", NETWORK, "application/yaml", null), 400, "BadRequest",
                "a DPUVirtualNetwork was sent to the path of DPUVPC \"testnet1\": send it to its own kind's path");
        assertStatus(call("PUT", VPCS + "/a", stream(vpc("a"), vpc("a")), "application/yaml", null), 400, "BadRequest",
                "PUT of a single resource takes exactly one document, not 2: POST several to the collection path");
        assertStatus(call("PUT", VPCS + "/a", stream(vpc("a"), vpc("b")), "application/yaml", null), 400, "BadRequest",
                "does not match the name of the path");
        assertNothingChanged();

        Answer put = call("PUT", VPCS + "/a", vpc("a"), "application/yaml", null);
        assertThat(put.code()).isEqualTo(201);
        assertThat(call("PUT", VPCS + "/a", vpc("a"), "application/yaml", null).code()).isEqualTo(200);
        assertThat(service.applied).hasSize(2);
    }

    @Test
    void aMalformedOrEmptyBodyIs400AndChangesNothing() throws Exception {
        serve();
        JsonNode yaml = assertStatus(postYaml(VPCS, "kind: [unclosed"), 400, "BadRequest");
        assertThat(yaml.get("message").asText()).isNotBlank();
        assertStatus(call("POST", VPCS, "{\"apiVersion\": ", "application/json", null), 400, "BadRequest");
        assertStatus(call("POST", VPCS, "[1, 2]", "application/json", null), 400, "BadRequest");
        assertStatus(postYaml(VPCS, vpc("a").replace("interNetworkAccess: true", "interNetworkAccess: [x]")), 400,
                "BadRequest");
        assertStatus(postYaml(VPCS, ""), 400, "BadRequest");
        assertStatus(postYaml(VPCS, "# only a comment\n"), 400, "BadRequest");
        assertStatus(call("PUT", VPCS + "/a", "kind: [unclosed", "application/yaml", null), 400, "BadRequest");
        assertNothingChanged();
    }

    @Test
    void anUnknownKindInTheBodyIs404FromTheCodec() throws Exception {
        serve();
        String widget = vpc("a").replace("kind: DPUVPC", "kind: DPUWidget");
        JsonNode status = assertStatus(postYaml(VPCS, widget), 404, "NotFound", "DPUWidget");
        assertThat(status.at("/details/causes/0/reason").asText()).isEqualTo("UnknownKind");
        // Known kind, wrong group.
        assertStatus(postYaml(VPCS, vpc("a").replace("vpc.dpu.nvidia.com/v1alpha1", "svc.dpu.nvidia.com/v1alpha1")), 404,
                "NotFound");
        // One unknown document among good ones: nothing is applied.
        assertStatus(postYaml(VPCS, stream(vpc("a"), widget)), 404, "NotFound");
        assertNothingChanged();
    }

    @Test
    void anInvalidFieldIs422WithItsPathAndDocumentIndexAndChangesNothing() throws Exception {
        serve();
        String noTenant = vpc("bad").replace("tenant: t", "tenant: \"\"");
        JsonNode one = assertStatus(postYaml(VPCS, noTenant), 422, "Invalid", "spec.tenant");
        assertThat(causeFields(one)).containsExactly("spec.tenant");

        // Every error of every document, each under documents[i].
        String twoErrors = noTenant.replace("isolationClassName: ovn.vpc.dpu.nvidia.com", "isolationClassName: Not_A_Name");
        JsonNode several = assertStatus(postYaml(VPCS, stream(vpc("good"), twoErrors, noTenant)), 422, "Invalid");
        assertThat(causeFields(several)).containsExactlyInAnyOrder("documents[1].spec.tenant",
                "documents[1].spec.isolationClassName", "documents[2].spec.tenant");
        assertThat(several.at("/details/causes").findValuesAsText("message")).allMatch(m -> !m.isBlank());
        // An unknown field (a typo) is invalid too, with its path.
        String typo = vpc("typo").replace("interNetworkAccess", "interNetworkAcess");
        JsonNode unknown = assertStatus(postYaml(VPCS, stream(vpc("good"), typo)), 422, "Invalid", "interNetworkAcess");
        assertThat(causeFields(unknown)).containsExactly("documents[1].spec.interNetworkAcess");
        assertThat(unknown.at("/details/causes/0/reason").asText()).isEqualTo("UnknownField");

        JsonNode badName = assertStatus(postYaml(VPCS, vpc("Not_A_Name")), 422, "Invalid");
        assertThat(causeFields(badName)).contains("metadata.name");
        assertNothingChanged();
    }

    @Test
    void theServicesInvalidStopsAtThatDocumentAndSaysWhichEarlierOnesWereApplied() throws Exception {
        FieldError immutable = new FieldError("spec.tenant", "FieldValueImmutable",
                "spec.tenant is immutable: delete and re-create the DPUVPC to change it");
        service.onApply = d -> d.key().name().equals("b") ? CompletableFuture.completedFuture(
                new ResourceService.ApplyOutcome.Invalid(d.key(), List.of(immutable))) : null;
        serve();
        JsonNode status = assertStatus(postYaml(VPCS, stream(vpc("a"), vpc("b"), vpc("c"))), 422, "Invalid",
                "document 1 (DPUVPC \"b\") is invalid: spec.tenant is immutable",
                "the 1 document(s) before it were applied: a");
        assertThat(causeFields(status)).containsExactly("documents[1].spec.tenant");
        assertThat(status.at("/details/causes/0/reason").asText()).isEqualTo("FieldValueImmutable");
        assertThat(status.at("/details/name").asText()).isEqualTo("b");
        assertThat(status.at("/details/kind").asText()).isEqualTo("DPUVPC");
        // a was applied, b refused, c never tried.
        assertThat(service.applied.stream().map(d -> d.key().name())).containsExactly("a", "b");
        assertThat(service.resources.keySet().stream().map(ResourceKey::name)).containsExactly("a");

        // Refused first: nothing was applied, and the message says so.
        service.applied.clear();
        JsonNode first = assertStatus(postYaml(VPCS, stream(vpc("b"), vpc("c"))), 422, "Invalid",
                "document 0 (DPUVPC \"b\") is invalid", "nothing in this request was applied");
        assertThat(first.get("message").asText()).doesNotContain("before it were applied");
        assertThat(service.applied.stream().map(d -> d.key().name())).containsExactly("b");

        // A single document: the plain Kubernetes message and field path.
        JsonNode single = assertStatus(postYaml(VPCS, vpc("b")), 422, "Invalid",
                "DPUVPC \"b\" is invalid: spec.tenant is immutable");
        assertThat(causeFields(single)).containsExactly("spec.tenant");
    }

    /**
     * Main-code bug (reported, not fixed here): for document i > 0 the message is {@code "...;
     * nothing in this request was applied; the 1 document(s) before it were applied: a"}, which
     * contradicts itself. Enable once {@code ApiStatus.invalidDocument} no longer appends "nothing in
     * this request was applied" when earlier documents were applied.
     */
    @Test
    void theMessageOfALaterInvalidDocumentDoesNotAlsoClaimNothingWasApplied() throws Exception {
        service.onApply = d -> d.key().name().equals("b") ? CompletableFuture.completedFuture(
                new ResourceService.ApplyOutcome.Invalid(d.key(), List.of(new FieldError("spec.tenant",
                        "FieldValueImmutable", "spec.tenant is immutable")))) : null;
        serve();
        JsonNode status = assertStatus(postYaml(VPCS, stream(vpc("a"), vpc("b"))), 422, "Invalid",
                "before it were applied: a");
        assertThat(status.get("message").asText()).doesNotContain("nothing in this request was applied");
    }

    @Test
    void aBodyOfSeveralDocumentsIsCheckedWholeBeforeAnyIsApplied() throws Exception {
        FieldError immutable = new FieldError("spec.tenant", "FieldValueImmutable", "spec.tenant is immutable");
        service.onCheck = d -> d.key().name().equals("c")
                ? Optional.of(new ResourceService.ApplyOutcome.Invalid(d.key(), List.of(immutable))) : Optional.empty();
        serve();
        JsonNode status = assertStatus(postYaml(VPCS, stream(vpc("a"), vpc("b"), vpc("c"))), 422, "Invalid",
                "document 2 (DPUVPC \"c\") is invalid", "nothing in this request was applied");
        assertThat(causeFields(status)).containsExactly("documents[2].spec.tenant");
        assertThat(service.checked.stream().map(d -> d.key().name())).containsExactly("a", "b", "c");
        assertThat(service.applied).isEmpty();

        service.onCheck = d -> d.key().name().equals("b")
                ? Optional.of(new ResourceService.ApplyOutcome.Conflict(d.key(), "read it again")) : Optional.empty();
        assertStatus(postYaml(VPCS, stream(vpc("a"), vpc("b"))), 409, "Conflict", "document 1: read it again",
                "nothing in this request was applied");
        assertThat(service.applied).isEmpty();
    }

    @Test
    void aConflictIs409WithTheServicesMessage() throws Exception {
        service.onApply = d -> d.key().name().equals("b") ? CompletableFuture.completedFuture(
                new ResourceService.ApplyOutcome.Conflict(d.key(), "DPUVPC \"b\" is at resourceVersion 9, not 1: "
                        + "read it again and re-apply")) : null;
        serve();
        JsonNode one = assertStatus(call("PUT", VPCS + "/b", vpc("b"), "application/yaml", null), 409, "Conflict",
                "DPUVPC \"b\" is at resourceVersion 9, not 1: read it again and re-apply");
        assertThat(one.at("/details/name").asText()).isEqualTo("b");
        assertThat(one.get("message").asText()).doesNotContain("before it");
        assertStatus(postYaml(VPCS, stream(vpc("a"), vpc("b"), vpc("c"))), 409, "Conflict", "read it again",
                "the 1 document(s) before it were applied: a");
        assertThat(service.applied.stream().map(d -> d.key().name())).containsExactly("b", "a", "b");
    }

    @Test
    void anUnavailableControllerIs503AndOtherFailuresAre500() throws Exception {
        serve();
        service.onApply = d -> FakeResourceService.unavailable("the controller did not answer within 5s: retry");
        assertStatus(postYaml(VPCS, vpc("a")), 503, "ServiceUnavailable", "the controller did not answer within 5s: retry");
        assertStatus(postYaml(VPCS, stream(vpc("a"), vpc("b"))), 503, "ServiceUnavailable", "did not answer");
        service.onDelete = k -> FakeResourceService.unavailable("journal unreachable");
        assertStatus(call("DELETE", VPCS + "/a", null, null, null), 503, "ServiceUnavailable", "journal unreachable");
        service.onRead = new ResourceService.Unavailable("shards are starting", null);
        assertStatus(get(VPCS + "/a"), 503, "ServiceUnavailable", "shards are starting");
        assertStatus(get(VPCS), 503, "ServiceUnavailable", "shards are starting");
        Answer yaml = get(VPCS + "?output=yaml");
        assertThat(yaml.code()).isEqualTo(503);
        assertThat(yaml.yaml().get("message").asText()).isEqualTo("shards are starting");

        service.onRead = new IllegalStateException("boom");
        assertStatus(get(VPCS + "/a"), 500, "InternalError", "internal error");
        service.onApply = d -> CompletableFuture.failedFuture(new IllegalStateException("boom"));
        assertStatus(postYaml(VPCS, vpc("a")), 500, "InternalError", "internal error");
    }

    @Test
    void aBodyOverTheLimitWithContentLengthIs413AndChangesNothing() throws Exception {
        serve();
        String big = "#" + "x".repeat((int) MAX_BODY) + "\n" + vpc("a");
        assertStatus(postYaml(VPCS, big), 413, "RequestEntityTooLarge", "larger than the " + MAX_BODY + " bytes",
                "apply fewer documents per request");
        assertStatus(call("PUT", VPCS + "/a", big, "application/yaml", null), 413, "RequestEntityTooLarge");
        assertNothingChanged();
        // Exactly at the limit is read.
        String exact = vpc("a");
        exact = "#" + "x".repeat((int) MAX_BODY - exact.length() - 2) + "\n" + exact;
        assertThat(exact.getBytes(StandardCharsets.UTF_8)).hasSize((int) MAX_BODY);
        assertThat(postYaml(VPCS, exact).code()).isEqualTo(201);
    }

    private Answer postChunked(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return send(request("POST", VPCS, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                .header("Content-Type", "application/yaml"));
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedAndChangesNothingAndOneUnderItIsApplied() throws Exception {
        serve();
        // No Content-Length: only reading tells. (413 expected: see the disabled test below.)
        Answer chunked = postChunked("#" + "x".repeat((int) MAX_BODY) + "\n" + vpc("a"));
        assertThat(chunked.code()).isIn(400, 413);
        assertNothingChanged();
        Answer ok = postChunked(vpc("a"));
        assertThat(ok.code()).as(ok.body()).isEqualTo(201);
        assertThat(service.applied).hasSize(1);
    }

    /**
     * Main-code bug (reported, not fixed here): a chunked body over {@code maxBodyBytes} makes
     * {@code extractStrictEntity} fail with Pekko's {@code EntityStreamException("Request too
     * large")}, not an {@code EntityStreamSizeException}, so the default handler answers 400
     * {@code text/plain} "Request too large" instead of the 413 Status.
     */
    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        serve();
        assertStatus(postChunked("#" + "x".repeat((int) MAX_BODY) + "\n" + vpc("a")), 413, "RequestEntityTooLarge",
                "larger than the " + MAX_BODY + " bytes");
        assertNothingChanged();
    }

    @Test
    void aWrongContentTypeIs415AndChangesNothing() throws Exception {
        serve();
        for (String type : List.of("text/html", "application/xml", "multipart/form-data; boundary=x")) {
            assertStatus(call("POST", VPCS, vpc("a"), type, null), 415, "UnsupportedMediaType",
                    "is not served: send application/yaml or application/json");
        }
        assertStatus(call("PUT", VPCS + "/a", vpc("a"), "text/html", null), 415, "UnsupportedMediaType");
        assertNothingChanged();
    }

    @Test
    void everyYamlAndJsonContentTypeIsAcceptedAndAGenericOneIsSniffed() throws Exception {
        serve();
        String json = ResourceDocuments.toJson(YAML.readTree(vpc("j")));
        // No Content-Type at all (java.net.http sends none): JSON by its first character, else YAML.
        assertThat(call("POST", VPCS, json, null, null).code()).isEqualTo(201);
        assertThat(call("POST", VPCS, "\n  " + json, null, null).code()).isEqualTo(200);
        assertThat(call("POST", VPCS, vpc("y"), null, null).code()).isEqualTo(201);
        // curl's and editors' generic types are sniffed the same way.
        assertThat(call("POST", VPCS, vpc("y2"), "application/octet-stream", null).code()).isEqualTo(201);
        assertThat(call("POST", VPCS, json.replace("\"j\"", "\"j2\""), "text/plain; charset=utf-8", null).code())
                .isEqualTo(201);
        // Declared types.
        for (String type : List.of("application/x-yaml", "text/yaml", "application/yaml; charset=utf-8")) {
            assertThat(call("POST", VPCS, vpc("t"), type, null).code()).as(type).isIn(200, 201);
        }
        assertThat(call("POST", VPCS, json, "application/json; charset=utf-8", null).code()).isEqualTo(200);
        assertThat(service.applied.stream().map(d -> d.key().name()))
                .containsExactly("j", "j", "y", "y2", "j2", "t", "t", "t", "j");
    }

    // ---- DELETE

    @Test
    void aDeleteAnswersASuccessStatusAndAMissingOneIs404() throws Exception {
        service.seed(stream(vpc("testvpc"), ISOLATION_CLASS));
        serve();
        Answer deleted = call("DELETE", VPCS + "/testvpc", null, null, null);
        assertThat(deleted.code()).isEqualTo(200);
        JsonNode status = deleted.json();
        assertThat(status.get("kind").asText()).isEqualTo("Status");
        assertThat(status.get("apiVersion").asText()).isEqualTo("v1");
        assertThat(status.get("status").asText()).isEqualTo("Success");
        assertThat(status.at("/details/name").asText()).isEqualTo("testvpc");
        assertThat(status.at("/details/kind").asText()).isEqualTo("DPUVPC");
        ResourceKey key = ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "testvpc");
        assertThat(service.deleted).containsExactly(new FakeResourceService.Deleted(key, Optional.empty()));
        assertThat(service.resources).doesNotContainKey(key);

        assertStatus(call("DELETE", VPCS + "/testvpc", null, null, null), 404, "NotFound",
                "DPUVPC \"testvpc\" not found in namespace \"default\"");
        // A cluster-scoped item.
        assertThat(call("DELETE", VPC + "/isolationclasses/ovn.vpc.dpu.nvidia.com", null, null, null).code())
                .isEqualTo(200);
        assertThat(service.deleted.get(2).key())
                .isEqualTo(ResourceKey.clusterScoped(ResourceKind.ISOLATION_CLASS, "ovn.vpc.dpu.nvidia.com"));
        assertThat(service.applied).isEmpty();
    }

    @Test
    void aDeleteGuardedByResourceVersionPassesItOnAndAConflictIs409() throws Exception {
        service.seed(vpc("testvpc"));
        serve();
        ResourceKey key = ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "testvpc");
        JsonNode conflict = assertStatus(call("DELETE", VPCS + "/testvpc?resourceVersion=1", null, null, null), 409,
                "Conflict", "is at resourceVersion 7, not 1: read it again");
        assertThat(conflict.at("/details/name").asText()).isEqualTo("testvpc");
        assertThat(service.resources).containsKey(key);
        Answer ok = call("DELETE", VPCS + "/testvpc?resourceVersion=7", null, null, null);
        assertThat(ok.code()).isEqualTo(200);
        assertThat(service.deleted).containsExactly(new FakeResourceService.Deleted(key, Optional.of("1")),
                new FakeResourceService.Deleted(key, Optional.of("7")));
        assertThat(service.resources).doesNotContainKey(key);
    }

    // ---- authentication

    @Test
    void withTokensAMutatingCallWithoutATokenIs401AndChangesNothing() throws Exception {
        service.seed(vpc("testvpc"));
        serveWithTokens();
        for (Answer answer : List.of(postYaml(VPCS, vpc("a")),
                call("PUT", VPCS + "/a", vpc("a"), "application/yaml", null),
                call("DELETE", VPCS + "/testvpc", null, null, null),
                // Authentication comes before reading the body: even a body that would be refused.
                call("POST", VPCS, "kind: [unclosed", "text/html", null))) {
            assertStatus(answer, 401, "Unauthorized", "this call changes state and needs a token",
                    "Authorization: Bearer <token>");
            assertThat(answer.response().headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"dpuvpc\"");
        }
        assertNothingChanged();
    }

    @Test
    void withTokensAWrongTokenIs401AndAReadOnlyOneIs403() throws Exception {
        serveWithTokens();
        String wrong = "wrong-token-0123456789abcdef";
        Answer bad = call("POST", VPCS, vpc("a"), "application/yaml", wrong);
        assertStatus(bad, 401, "Unauthorized", "the token is not valid for this server");
        assertThat(bad.body()).doesNotContain(wrong);
        assertThat(bad.response().headers().firstValue("WWW-Authenticate")).isPresent();
        // A prefix or an extension of a good token is not that token.
        assertStatus(call("POST", VPCS, vpc("a"), "application/yaml", RW.substring(0, RW.length() - 1)), 401,
                "Unauthorized");
        assertStatus(call("POST", VPCS, vpc("a"), "application/yaml", RW + "0"), 401, "Unauthorized");
        // Not a bearer token.
        assertStatus(send(request("POST", VPCS, HttpRequest.BodyPublishers.ofString(vpc("a")))
                .header("Content-Type", "application/yaml").header("Authorization", "Basic " + RW)), 401, "Unauthorized");

        JsonNode forbidden = assertStatus(call("POST", VPCS, vpc("a"), "application/yaml", RO), 403, "Forbidden",
                "the token is read-only; this call changes state");
        assertThat(forbidden.has("details")).isFalse();
        assertStatus(call("DELETE", VPCS + "/a", null, null, RO), 403, "Forbidden");
        assertNothingChanged();
    }

    @Test
    void withTokensAReadWriteTokenPassesAndReadsNeedNone() throws Exception {
        service.seed(vpc("testvpc"));
        serveWithTokens();
        Answer created = call("POST", VPCS, vpc("a"), "application/yaml", RW);
        assertThat(created.code()).as(created.body()).isEqualTo(201);
        // The scheme is case-insensitive, as RFC 7235 has it.
        Answer lower = send(request("PUT", VPCS + "/b", HttpRequest.BodyPublishers.ofString(vpc("b")))
                .header("Content-Type", "application/yaml").header("Authorization", "bearer " + RW));
        assertThat(lower.code()).as(lower.body()).isEqualTo(201);
        assertThat(call("DELETE", VPCS + "/testvpc", null, null, RW).code()).isEqualTo(200);
        assertThat(service.applied.stream().map(d -> d.key().name())).containsExactly("a", "b");
        assertThat(service.deleted).hasSize(1);

        // Reads: no token needed, and a read-only one is fine.
        assertThat(get(VPCS).code()).isEqualTo(200);
        assertThat(get(VPCS + "/a").code()).isEqualTo(200);
        assertThat(get(VPC + "/dpuvpcs").code()).isEqualTo(200);
        assertThat(call("GET", VPCS + "/a", null, null, RO).code()).isEqualTo(200);
        assertThat(get("/describe/dpuvpcs").code()).isEqualTo(200);
        assertThat(get("/healthz").code()).isEqualTo(200);
        assertThat(get("/readyz").code()).isEqualTo(200);
    }

    @Test
    void withoutTokensEveryCallPasses() throws Exception {
        service.seed(vpc("testvpc"));
        serve();
        assertThat(postYaml(VPCS, vpc("a")).code()).isEqualTo(201);
        // Whatever Authorization is sent is ignored.
        assertThat(call("PUT", VPCS + "/a", vpc("a"), "application/yaml", "anything").code()).isEqualTo(200);
        assertThat(call("DELETE", VPCS + "/testvpc", null, null, null).code()).isEqualTo(200);
        assertThat(service.applied).hasSize(2);
        assertThat(service.deleted).hasSize(1);
    }

    // ---- health and readiness

    @Test
    void healthIsAlwaysOkAndReadinessSaysWhatItWaitsFor() throws Exception {
        AtomicReference<Optional<String>> notReady = new AtomicReference<>(Optional.of("the journal is not reachable"));
        serve(AccessTokens.none(), notReady::get, SETTINGS);
        Answer health = get("/healthz");
        assertThat(health.code()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
        JsonNode status = assertStatus(get("/readyz"), 503, "ServiceUnavailable", "not ready: the journal is not reachable");
        assertThat(status.has("details")).isFalse();
        assertThat(get("/readyz?output=yaml").yaml().get("reason").asText()).isEqualTo("ServiceUnavailable");
        // Asked on every request.
        notReady.set(Optional.empty());
        Answer ready = get("/readyz");
        assertThat(ready.code()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ok\n");
        assertThat(service.listed).isEmpty();
    }

    // ---- asynchrony

    @Test
    void aServiceCallInProgressBlocksNoOtherRequest() throws Exception {
        CompletableFuture<ResourceService.ApplyOutcome> pending = new CompletableFuture<>();
        CountDownLatch asked = new CountDownLatch(1);
        service.onApply = d -> {
            asked.countDown();
            return pending;
        };
        serve();
        CompletableFuture<HttpResponse<String>> slow = HTTP.sendAsync(request("POST", VPCS,
                HttpRequest.BodyPublishers.ofString(vpc("a"))).header("Content-Type", "application/yaml").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(get("/healthz").code()).isEqualTo(200);
        assertThat(get(VPCS).code()).isEqualTo(200);
        assertThat(slow).isNotDone();
        Document doc = service.applied.get(0);
        pending.complete(new ResourceService.ApplyOutcome.Applied(FakeResourceService.viewOf(doc, "1", Conditions.EMPTY),
                true, true));
        HttpResponse<String> answer = slow.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(answer.body()).at("/metadata/name").asText()).isEqualTo("a");
    }

    // ---- describe

    private static final Clock WHEN = Clock.fixed(Instant.parse("2025-06-17T13:00:00Z"), ZoneOffset.UTC);

    private void seedTree() {
        service.seed(stream(vpc("testvpc"), NETWORK, DSI));
        ResourceKey vpcKey = ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "testvpc");
        ResourceKey netKey = ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, "default", "testnet1");
        ResourceKey dsiKey = ResourceKey.namespaced(ResourceKind.DPU_SERVICE_INTERFACE, "default", "testnet1-vf2");
        withConditions(vpcKey, Conditions.EMPTY.setTrue("Ready", 1, WHEN).setTrue("TopologyReconciled", 1, WHEN));
        withConditions(netKey, Conditions.EMPTY.setFalse("Ready", "SubnetOverlaps", "change spec.subnet", 1, WHEN));
        withConditions(dsiKey, Conditions.EMPTY.setTrue("Ready", 1, WHEN));
        String child = DpuServiceInterfaceEntity.childName("testnet1-vf2", "dpu-a");
        Document si = Document.of(ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "default", child), Map.of(),
                Map.of(), Optional.empty(), new ServiceInterfaceTemplate(TemplateMetadata.EMPTY,
                        ServiceInterfaceSpec.vf(0, 2, "testnet1").withNode("dpu-a")));
        service.resources.put(si.key(), FakeResourceService.viewOf(si, "3",
                Conditions.EMPTY.set("Ready", ConditionStatus.TRUE, "Success", "", 1, WHEN)));
    }

    private void withConditions(ResourceKey key, Conditions conditions) {
        ResourceView v = service.resources.get(key);
        service.resources.put(key, new ResourceView(v.key(), v.labels(), v.annotations(), v.spec(), v.metadata(),
                conditions, v.statusFields()));
    }

    @Test
    void describeDrawsTheTreeAsTextByDefaultAndJsonWhenAsked() throws Exception {
        seedTree();
        serve();
        Answer text = get("/describe/dpuvpcs");
        assertThat(text.code()).isEqualTo(200);
        assertThat(text.contentType()).startsWith("text/plain");
        assertThat(text.body()).startsWith("NAME").contains("DPUVPCs\n", "└─DPUVPC/testvpc", "TopologyReconciled",
                "DPUVirtualNetwork/testnet1", "SubnetOverlaps", "DPUServiceInterface/testnet1-vf2",
                "ServiceInterface/testnet1-vf2-dpu-a");
        assertThat(service.listed.stream().map(FakeResourceService.Listed::kind)).containsExactlyInAnyOrder(
                ResourceKind.DPU_VPC, ResourceKind.DPU_VIRTUAL_NETWORK, ResourceKind.DPU_SERVICE_INTERFACE,
                ResourceKind.SERVICE_INTERFACE);
        assertThat(service.listed).allMatch(l -> l.namespace().isEmpty());

        Answer json = get("/describe/dpuvpcs?output=json");
        assertThat(json.code()).isEqualTo(200);
        assertThat(json.contentType()).startsWith("application/json");
        JsonNode vpc = json.json().get("dpuvpcs").get(0);
        assertThat(vpc.get("name").asText()).isEqualTo("DPUVPC/testvpc");
        assertThat(vpc.get("namespace").asText()).isEqualTo("default");
        assertThat(vpc.get("conditions").findValuesAsText("type")).containsExactly("Ready", "TopologyReconciled");
        JsonNode net = vpc.get("children").get(0);
        assertThat(net.get("name").asText()).isEqualTo("DPUVirtualNetwork/testnet1");
        JsonNode dsi = net.get("children").get(0);
        assertThat(dsi.get("name").asText()).isEqualTo("DPUServiceInterface/testnet1-vf2");
        assertThat(dsi.get("children").get(0).get("name").asText()).isEqualTo("ServiceInterface/testnet1-vf2-dpu-a");
        assertThat(net.get("children")).hasSize(1);
    }

    @Test
    void describeShowsOnlyFailedConditionsWhenAskedAndRefusesAnUnknownChoice() throws Exception {
        seedTree();
        serve();
        JsonNode failed = get("/describe/dpuvpcs?output=json&showConditions=failed").json();
        JsonNode vpc = failed.get("dpuvpcs").get(0);
        assertThat(vpc.get("conditions")).isEmpty();
        JsonNode net = vpc.get("children").get(0);
        assertThat(net.get("conditions").findValuesAsText("status")).containsExactly("False");
        // The DSI is kept for its child, whose conditions are all True: both go.
        assertThat(net.get("children")).isEmpty();
        Answer text = get("/describe/dpuvpcs?showConditions=FAILED");
        assertThat(text.body()).contains("SubnetOverlaps").doesNotContain("TopologyReconciled", "DPUServiceInterface/");

        assertStatus(get("/describe/dpuvpcs?showConditions=some"), 400, "BadRequest",
                "showConditions must be all or failed, not \"some\"");
        assertThat(get("/describe/dpuvpcs?showConditions=all").body()).contains("TopologyReconciled");
    }

    @Test
    void describeOfANamespaceAsksForThatNamespaceAndAnUnavailableServiceIs503() throws Exception {
        seedTree();
        serve();
        Answer other = get("/describe/dpuvpcs?namespace=blue");
        assertThat(other.code()).isEqualTo(200);
        assertThat(other.body()).contains("(no DPUVPC)").doesNotContain("testvpc");
        assertThat(service.listed).hasSize(4).allMatch(l -> l.namespace().equals(Optional.of("blue")));
        service.onRead = new ResourceService.Unavailable("shards are starting", null);
        assertStatus(get("/describe/dpuvpcs"), 503, "ServiceUnavailable", "shards are starting");
    }

    /** A body that arrives slower than {@code bodyTimeout}: the request is refused without applying. */
    @Test
    void aBodyThatStallsIsRefusedAndChangesNothing() throws Exception {
        serve(AccessTokens.none(), Optional::empty, new AdminRoutes.Settings(MAX_BODY, Duration.ofMillis(500)));
        int port = binding.localAddress().getPort();
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(8000);
            byte[] part = vpc("a").getBytes(StandardCharsets.UTF_8);
            var out = socket.getOutputStream();
            // A chunked upload whose first chunk arrives and whose end never does.
            out.write(("POST " + VPCS + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/yaml\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(part.length) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(part);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readResponse(socket.getInputStream());
            bodies.add(response);
            assertThat(response).startsWith("HTTP/1.1 408")
                    .contains("Request timed out after 500 milliseconds while waiting for entity data");
        }
        assertNothingChanged();
    }

    /** The status line, headers and Content-Length body of one HTTP/1.1 response. */
    private static String readResponse(InputStream in) throws java.io.IOException {
        java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
        int headerEnd = -1;
        int length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            read.write(b);
            String text = read.toString(StandardCharsets.UTF_8);
            if (headerEnd < 0 && text.endsWith("\r\n\r\n")) {
                headerEnd = text.length();
                var m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
                length = m.find() ? Integer.parseInt(m.group(1)) : 0;
            }
            if (headerEnd >= 0 && read.size() >= headerEnd + length) {
                break;
            }
        }
        return read.toString(StandardCharsets.UTF_8);
    }
}
