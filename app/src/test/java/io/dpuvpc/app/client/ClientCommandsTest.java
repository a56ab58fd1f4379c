package io.dpuvpc.app.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.dpuvpc.app.Main;
import io.dpuvpc.persistence.cassandra.LoopbackPorts;
import picocli.CommandLine;

/** The verbs through {@code vpc}'s command line against {@link FakeAdminApi}: requests sent, output, exit codes. */
class ClientCommandsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String VPCS = "/apis/vpc.dpu.nvidia.com/v1alpha1/namespaces/default/dpuvpcs";
    private static final String NETWORKS = "/apis/vpc.dpu.nvidia.com/v1alpha1/namespaces/tenant-a/dpuvirtualnetworks";
    private static final String ISOLATION = "/apis/vpc.dpu.nvidia.com/v1alpha1/isolationclasses";

    private FakeAdminApi api;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** What a run ended with. */
    private record Run(int code, String out, String err) {}

    @BeforeEach
    void start() throws Exception {
        api = new FakeAdminApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private Run vpc(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.get(0).equals("help")) {
            all.add(1, "--server=" + api.url());
        }
        int code = commandLine.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private static String vpcDocument(long generation, String tenant) {
        return "{\"apiVersion\":\"vpc.dpu.nvidia.com/v1alpha1\",\"kind\":\"DPUVPC\",\"metadata\":{\"name\":\"bluevpc\","
                + "\"namespace\":\"default\",\"generation\":" + generation + ",\"resourceVersion\":\"" + generation + "\","
                + "\"creationTimestamp\":\"2026-11-26T10:00:00Z\"},\"spec\":{\"tenant\":\"" + tenant
                + "\",\"isolationClassName\":\"ovn\",\"interNetworkAccess\":false},\"status\":{\"conditions\":[{\"type\":"
                + "\"Ready\",\"status\":\"True\",\"reason\":\"Reconciled\",\"message\":\"in OVN\"}]}}";
    }

    @Test
    void applyPutsEachDocumentToItsPathAndSaysWhatChanged(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("example.yaml");
        Files.writeString(file, ManifestsTest.EXAMPLE);
        api.answer("GET", ISOLATION + "/ovn", 404, FakeAdminApi.status(404, "NotFound", "IsolationClass \"ovn\" not found"))
                .answer("PUT", ISOLATION + "/ovn", 201, "{\"kind\":\"IsolationClass\",\"metadata\":{\"name\":\"ovn\"}}")
                .answer("GET", VPCS + "/bluevpc", 200, vpcDocument(1, "blue"))
                .answer("PUT", VPCS + "/bluevpc", 200, vpcDocument(1, "blue"))
                .answer("GET", NETWORKS + "/net-a", 200, "{\"metadata\":{\"name\":\"net-a\",\"generation\":1},\"spec\":{}}")
                .answer("PUT", NETWORKS + "/net-a", 200, "{\"metadata\":{\"name\":\"net-a\",\"generation\":2},\"spec\":{}}");

        Run run = vpc("apply", "-f", file.toString());

        assertEquals(0, run.code(), run.err());
        assertEquals("""
                isolationclass.vpc.dpu.nvidia.com/ovn created
                dpuvpc.vpc.dpu.nvidia.com/bluevpc unchanged
                dpuvirtualnetwork.vpc.dpu.nvidia.com/net-a configured
                """, run.out());
        List<FakeAdminApi.Request> puts = api.requests().stream().filter(r -> r.method().equals("PUT")).toList();
        assertEquals(List.of(ISOLATION + "/ovn", VPCS + "/bluevpc", NETWORKS + "/net-a"),
                puts.stream().map(FakeAdminApi.Request::pathAndQuery).toList());
        assertEquals("application/json", puts.get(1).header("Content-Type"));
        JsonNode sent = MAPPER.readTree(puts.get(1).body());
        assertEquals("DPUVPC", sent.path("kind").asText());
        assertEquals("default", sent.path("metadata").path("namespace").asText());
        assertEquals("blue", sent.path("spec").path("tenant").asText());
    }

    @Test
    void applyStopsAtARefusedDocumentAndPrintsTheStatusWithItsCauses(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("vpc.yaml");
        Files.writeString(file, "apiVersion: vpc.dpu.nvidia.com/v1alpha1\nkind: DPUVPC\nmetadata: {name: bluevpc}\n"
                + "spec: {tenant: blue, isolationClassName: ovn}\n");
        api.answer("PUT", "/apis/vpc.dpu.nvidia.com/v1alpha1/namespaces/tenant-b/dpuvpcs/bluevpc", 422,
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"DPUVPC \\\"bluevpc\\\" is "
                        + "invalid: refers to an IsolationClass that does not exist\",\"reason\":\"Invalid\",\"details\":{"
                        + "\"name\":\"bluevpc\",\"kind\":\"DPUVPC\",\"causes\":[{\"reason\":\"FieldValueNotFound\",\"field\":"
                        + "\"spec.isolationClassName\",\"message\":\"IsolationClass \\\"ovn\\\" does not exist\"}]},\"code\":422}");

        Run run = vpc("apply", "-n", "tenant-b", "-f", file.toString());

        assertEquals(1, run.code());
        assertEquals("", run.out());
        assertTrue(run.err().startsWith("vpc: dpuvpc.vpc.dpu.nvidia.com/bluevpc (" + file + "): DPUVPC \"bluevpc\" is invalid: "
                + "refers to an IsolationClass that does not exist\nspec.isolationClassName: IsolationClass \"ovn\" does not exist\n"),
                run.err());
    }

    @Test
    void getPrintsATableOrTheServersDocuments() {
        api.answer("GET", VPCS, 200, "{\"kind\":\"DPUVPCList\",\"items\":[" + vpcDocument(1, "blue") + "]}")
                .answer("GET", VPCS + "/bluevpc", 200, "apiVersion: vpc.dpu.nvidia.com/v1alpha1\nkind: DPUVPC\n");

        Run table = vpc("get", "dpuvpcs");
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().startsWith("NAME      READY   TENANT   AGE\nbluevpc   True    blue     "), table.out());

        Run yaml = vpc("get", "dpuvpc", "bluevpc", "-o", "yaml");
        assertEquals(0, yaml.code(), yaml.err());
        assertTrue(yaml.out().endsWith("apiVersion: vpc.dpu.nvidia.com/v1alpha1\nkind: DPUVPC\n"), yaml.out());
        assertEquals("application/yaml", api.requests().get(1).header("Accept"));
    }

    @Test
    void getWatchPrintsEachEventAsItComes() {
        String deleted = "{\"apiVersion\":\"vpc.dpu.nvidia.com/v1alpha1\",\"kind\":\"DPUVPC\",\"metadata\":"
                + "{\"name\":\"bluevpc\",\"namespace\":\"default\"}}";
        api.answer("GET", VPCS + "?watch=true", 200, "{\"type\":\"ADDED\",\"object\":" + vpcDocument(1, "blue") + "}\n\n"
                + "{\"type\":\"DELETED\",\"object\":" + deleted + "}\n"
                + "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410,\"message\":\"list again\"}}\n");

        Run table = vpc("get", "dpuvpcs", "-w");
        assertEquals(0, table.code(), table.err());
        List<String> lines = table.out().lines().toList();
        assertEquals(3, lines.size(), table.out());
        assertTrue(lines.get(0).startsWith("EVENT    NAME      READY   TENANT   AGE"), lines.get(0));
        assertTrue(lines.get(1).startsWith("ADDED    bluevpc   True    blue     "), lines.get(1));
        assertTrue(lines.get(2).startsWith("DELETED  bluevpc   "), lines.get(2));
        assertEquals("the watch ended: list again\n", table.err());

        Run names = vpc("get", "dpuvpcs", "bluevpc", "-w", "-o", "name");
        assertTrue(names.out().endsWith("\nADDED dpuvpc.vpc.dpu.nvidia.com/bluevpc\nDELETED dpuvpc.vpc.dpu.nvidia.com/bluevpc\n"),
                names.out());
        assertEquals(2, vpc("get", "dpuvpcs", "-w", "-o", "yaml").code());
    }

    @Test
    void getAcrossNamespacesAndByName() {
        api.answer("GET", "/apis/vpc.dpu.nvidia.com/v1alpha1/dpuvpcs", 200, "{\"items\":[]}");

        Run none = vpc("get", "DPUVPC", "-A", "-o", "name");

        assertEquals(0, none.code());
        assertEquals("No resources found\n", none.err());
        Run byNameEverywhere = vpc("get", "dpuvpcs", "bluevpc", "-A");
        assertEquals(2, byNameEverywhere.code());
    }

    @Test
    void anUnknownKindIsAUsageErrorListingTheServedKinds() {
        Run run = vpc("get", "vpcs");

        assertEquals(2, run.code());
        assertTrue(run.err().contains("unknown kind \"vpcs\": the admin API serves isolationclasses, dpuvpcs, "
                + "dpuvirtualnetworks, dpuserviceinterfaces, serviceinterfaces"), run.err());
        assertTrue(api.requests().isEmpty());
    }

    @Test
    void deleteSaysWhatWentAndFailsOnWhatWasNotThere() {
        api.answer("DELETE", VPCS + "/bluevpc", 200, "{\"kind\":\"Status\",\"status\":\"Success\"}")
                .answer("DELETE", VPCS + "/gone", 404, FakeAdminApi.status(404, "NotFound",
                        "DPUVPC \"gone\" not found in namespace \"default\""));

        Run run = vpc("delete", "dpuvpcs", "gone", "bluevpc");

        assertEquals(1, run.code());
        assertEquals("dpuvpc.vpc.dpu.nvidia.com \"bluevpc\" deleted\n", run.out());
        assertTrue(run.err().startsWith("vpc: DPUVPC \"gone\" not found in namespace \"default\"\n"), run.err());

        Run ignoring = vpc("delete", "dpuvpc", "gone", "--ignore-not-found");
        assertEquals(0, ignoring.code(), ignoring.err());
    }

    @Test
    void deleteOfAFileGoesInReverseOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("example.yaml");
        Files.writeString(file, ManifestsTest.EXAMPLE);
        api.answer("DELETE", NETWORKS + "/net-a", 200, "{}").answer("DELETE", VPCS + "/bluevpc", 200, "{}")
                .answer("DELETE", ISOLATION + "/ovn", 200, "{}");

        Run run = vpc("delete", "-f", file.toString());

        assertEquals(0, run.code(), run.err());
        assertEquals(List.of(NETWORKS + "/net-a", VPCS + "/bluevpc", ISOLATION + "/ovn"),
                api.requests().stream().map(FakeAdminApi.Request::pathAndQuery).toList());
    }

    @Test
    void describePassesItsOptionsAndPrintsTheServersText() {
        api.answer("GET", "/describe/dpuvpcs?showConditions=failed&namespace=tenant-a", 200, "NAME  NAMESPACE\nDPUVPCs\n");

        Run run = vpc("describe", "dpuvpcs", "--show-conditions=failed", "-n", "tenant-a");

        assertEquals(0, run.code(), run.err());
        assertEquals("NAME  NAMESPACE\nDPUVPCs\n", run.out());
        assertEquals(2, vpc("describe", "dpuvirtualnetworks").code());
    }

    @Test
    void waitPollsUntilTheConditionIsMet() {
        String waiting = vpcDocument(1, "blue").replace("\"True\",\"reason\":\"Reconciled\"", "\"False\",\"reason\":\"Pending\"");
        api.answer("GET", VPCS + "/bluevpc", 200, waiting).answer("GET", VPCS + "/bluevpc", 200, vpcDocument(1, "blue"));

        Run run = vpc("wait", "--for=condition=Ready", "dpuvpcs", "bluevpc", "--timeout", "10s");

        assertEquals(0, run.code(), run.err());
        assertEquals("dpuvpc.vpc.dpu.nvidia.com/bluevpc condition met\n", run.out());
        assertEquals(2, api.requests().size());
    }

    @Test
    void waitTimesOutWithTheConditionsLastReasonAndMessage() {
        String waiting = vpcDocument(1, "blue").replace("\"True\",\"reason\":\"Reconciled\",\"message\":\"in OVN\"",
                "\"False\",\"reason\":\"AwaitingNetwork\",\"message\":\"no network yet\"");
        api.answer("GET", VPCS + "/bluevpc", 200, waiting);

        Run run = vpc("wait", "--for=condition=Ready", "dpuvpc", "bluevpc", "--timeout=1s");

        assertEquals(1, run.code());
        assertTrue(run.err().startsWith("vpc: timed out after 1s waiting for dpuvpc.vpc.dpu.nvidia.com/bluevpc to have "
                + "condition Ready=True: Ready is False (AwaitingNetwork): no network yet\n"), run.err());
    }

    @Test
    void anUnreachableServerSaysToStartTheController() throws Exception {
        int port = LoopbackPorts.free();
        CommandLine commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(err, true));

        int code = commandLine.execute("get", "dpuvpcs", "--server", "http://127.0.0.1:" + port);

        assertEquals(1, code);
        assertTrue(err.toString().startsWith("vpc: cannot reach the admin API at http://127.0.0.1:" + port
                + ": is `bin/vpc controller` running?\n"), err.toString());
    }

    @Test
    void theTokenGoesAsABearerHeaderAndIsNeverInAnError() {
        api.answer("PUT", VPCS + "/bluevpc", 403, FakeAdminApi.status(403, "Forbidden", "the token is read-only"));
        AdminClient client = new AdminClient(URI.create(api.url() + "/"), "s3cret\n", AdminClient.Tls.DEFAULT);

        AdminApiException e = org.junit.jupiter.api.Assertions.assertThrows(AdminApiException.class,
                () -> client.put(VPCS + "/bluevpc", "{}", AdminClient.JSON));

        assertEquals("Bearer s3cret", api.requests().get(0).header("Authorization"));
        assertEquals(403, e.code());
        assertFalse(e.getMessage().contains("s3cret"));
        client.send("GET", "/healthz", null, null, null);
        assertEquals("Bearer s3cret", api.requests().get(1).header("Authorization"));
    }
}
