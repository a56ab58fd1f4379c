package io.dpuvpc.app.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.dpuvpc.http.document.KindNames;

class ResourceTableTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    static JsonNode network(String namespace, String name, String created, String readyStatus, String reason,
                            String message) throws Exception {
        String conditions = readyStatus == null ? "" : ",\"status\":{\"conditions\":[{\"type\":\"Observed\",\"status\":\"True\","
                + "\"reason\":\"Seen\",\"message\":\"\"},{\"type\":\"Ready\",\"status\":\"" + readyStatus
                + "\",\"observedGeneration\":1,\"lastTransitionTime\":\"" + created + "\",\"reason\":\"" + reason
                + "\",\"message\":\"" + message + "\"}]}";
        return MAPPER.readTree("{\"apiVersion\":\"vpc.dpu.nvidia.com/v1alpha1\",\"kind\":\"DPUVirtualNetwork\","
                + "\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + namespace + "\",\"generation\":1,"
                + "\"creationTimestamp\":\"" + created + "\"},\"spec\":{\"vpcName\":\"bluevpc\",\"type\":\"Bridged\","
                + "\"bridgedNetwork\":{\"ipam\":{\"ipv4\":{\"dhcp\":true,\"subnet\":\"10.0.1.0/24\"}}}}" + conditions + "}");
    }

    @Test
    void networksShowReadyTheirSubnetVpcAndAge() throws Exception {
        List<JsonNode> items = List.of(
                network("default", "net-a", "2026-11-26T11:59:15Z", "True", "Reconciled", "in OVN"),
                network("default", "network-b", "2026-11-24T09:00:00Z", "False", "AwaitingVpc", "no VPC"),
                network("default", "net-c", "2026-11-26T11:55:00Z", null, null, null));

        String table = ResourceTable.render(KindNames.resolve("dpuvirtualnetworks").orElseThrow(), items, false, false, NOW);

        assertEquals("""
                NAME        READY     SUBNET        VPC       AGE
                net-a       True      10.0.1.0/24   bluevpc   45s
                network-b   False     10.0.1.0/24   bluevpc   2d3h
                net-c       Unknown   10.0.1.0/24   bluevpc   5m
                """, table);
    }

    @Test
    void allNamespacesPutsTheNamespaceFirstAndWideAddsReasonAndMessage() throws Exception {
        List<JsonNode> items = List.of(
                network("tenant-a", "net-a", "2026-11-26T11:00:00Z", "False", "AwaitingVpc", "VPC \\\"bluevpc\\\" does not exist"));

        String table = ResourceTable.render(KindNames.resolve("DPUVirtualNetwork").orElseThrow(), items, true, true, NOW);

        assertEquals("""
                NAMESPACE   NAME    READY   SUBNET        VPC       AGE   REASON        MESSAGE
                tenant-a    net-a   False   10.0.1.0/24   bluevpc   60m   AwaitingVpc   VPC "bluevpc" does not exist
                """, table);
    }

    @Test
    void vpcsShowTheirTenantAndClusterScopedKindsNoNamespace() throws Exception {
        JsonNode vpc = MAPPER.readTree("{\"kind\":\"DPUVPC\",\"metadata\":{\"name\":\"bluevpc\",\"namespace\":\"default\"},"
                + "\"spec\":{\"tenant\":\"blue\"}}");
        JsonNode isolation = MAPPER.readTree("{\"kind\":\"IsolationClass\",\"metadata\":{\"name\":\"ovn\","
                + "\"creationTimestamp\":\"2024-11-26T12:00:00Z\"},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}");

        assertEquals("""
                NAMESPACE   NAME      READY     TENANT   AGE
                default     bluevpc   Unknown   blue     <unknown>
                """, ResourceTable.render(KindNames.resolve("dpuvpc").orElseThrow(), List.of(vpc), true, false, NOW));
        assertEquals("""
                NAME   READY   AGE
                ovn    True    2y
                """, ResourceTable.render(KindNames.resolve("isolationclasses").orElseThrow(), List.of(isolation), true, false, NOW));
    }

    @Test
    void serviceInterfacesShowTheirNodeAndNetwork() throws Exception {
        JsonNode si = MAPPER.readTree("{\"kind\":\"ServiceInterface\",\"metadata\":{\"name\":\"vf-1\",\"namespace\":\"default\","
                + "\"creationTimestamp\":\"2026-11-26T11:59:59Z\"},\"spec\":{\"node\":\"dpu-1\",\"interfaceType\":\"vf\","
                + "\"virtualNetwork\":\"net-a\"},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\","
                + "\"reason\":\"AwaitingPort\",\"message\":\"no DPU agent\"}]}}");

        assertEquals("""
                NAME   READY   NODE    NETWORK   AGE
                vf-1   False   dpu-1   net-a     1s
                """, ResourceTable.render(KindNames.resolve("serviceinterfaces").orElseThrow(), List.of(si), false, false, NOW));
    }

    @Test
    void wideServiceInterfacesShowTheMacTheHostTakesAndTheAddressItLeased() throws Exception {
        JsonNode si = MAPPER.readTree("{\"kind\":\"ServiceInterface\",\"metadata\":{\"name\":\"vf-1\",\"namespace\":\"default\","
                + "\"creationTimestamp\":\"2026-11-26T11:59:59Z\"},\"spec\":{\"node\":\"dpu-1\",\"virtualNetwork\":\"net-a\"},"
                + "\"status\":{\"macAddress\":\"0a:58:c0:b2:00:02\",\"ipAddress\":\"192.178.0.2\",\"conditions\":[{\"type\":"
                + "\"Ready\",\"status\":\"True\",\"reason\":\"Success\",\"message\":\"\"}]}}");

        assertEquals("""
                NAME   READY   NODE    NETWORK   MAC                 IP            AGE   REASON    MESSAGE
                vf-1   True    dpu-1   net-a     0a:58:c0:b2:00:02   192.178.0.2   1s    Success   <none>
                """, ResourceTable.render(KindNames.resolve("serviceinterfaces").orElseThrow(), List.of(si), false, true, NOW));
    }

    @Test
    void agesRoundAsKubectlRoundsThem() {
        assertEquals("0s", ResourceTable.humanDuration(Duration.ofMillis(-500)));
        assertEquals("119s", ResourceTable.humanDuration(Duration.ofSeconds(119)));
        assertEquals("2m", ResourceTable.humanDuration(Duration.ofSeconds(120)));
        assertEquals("5m30s", ResourceTable.humanDuration(Duration.ofSeconds(330)));
        assertEquals("179m", ResourceTable.humanDuration(Duration.ofMinutes(179)));
        assertEquals("3h5m", ResourceTable.humanDuration(Duration.ofMinutes(185)));
        assertEquals("47h", ResourceTable.humanDuration(Duration.ofHours(47)));
        assertEquals("7d23h", ResourceTable.humanDuration(Duration.ofHours(191)));
        assertEquals("400d", ResourceTable.humanDuration(Duration.ofDays(400)));
        assertEquals("3y10d", ResourceTable.humanDuration(Duration.ofDays(365 * 3 + 10)));
        assertEquals("<unknown>", ResourceTable.age("yesterday", NOW));
    }
}
