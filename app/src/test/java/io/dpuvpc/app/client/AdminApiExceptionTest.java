package io.dpuvpc.app.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.http.api.ApiStatus;
import io.dpuvpc.http.document.ResourceDocuments;

class AdminApiExceptionTest {

    @Test
    void aStatusPrintsItsMessageThenEachCauseOnItsOwnLine() {
        // The server's own Status, as AdminRoutes answers an invalid document.
        ApiStatus status = new ApiStatus(422, "Invalid", "DPUVirtualNetwork \"net-a\" is invalid: two problems",
                ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, "default", "net-a"), List.of(
                        new ApiStatus.Cause("FieldValueInvalid", "spec.bridgedNetwork.ipam.ipv4.subnet",
                                "\"10.0.0.0/33\" is not a CIDR"),
                        new ApiStatus.Cause("FieldValueRequired", "spec.vpcName", "spec.vpcName is required")));

        AdminApiException e = AdminApiException.of(422, ResourceDocuments.toJson(status.toJson()));

        assertEquals(422, e.code());
        assertEquals("Invalid", e.reason());
        assertEquals("""
                DPUVirtualNetwork "net-a" is invalid: two problems
                spec.bridgedNetwork.ipam.ipv4.subnet: "10.0.0.0/33" is not a CIDR
                spec.vpcName is required""", e.getMessage());
        assertEquals("dpuvirtualnetwork.vpc.dpu.nvidia.com/net-a (a.yaml): DPUVirtualNetwork \"net-a\" is invalid: two problems\n"
                + "spec.bridgedNetwork.ipam.ipv4.subnet: \"10.0.0.0/33\" is not a CIDR\nspec.vpcName is required",
                e.withContext("dpuvirtualnetwork.vpc.dpu.nvidia.com/net-a (a.yaml)").getMessage());
    }

    @Test
    void aYamlStatusReadsAsWell() {
        String yaml = ResourceDocuments.toYaml(ApiStatus.of(403, "Forbidden", "the token is read-only").toJson());

        assertEquals("the token is read-only", AdminApiException.of(403, yaml).getMessage());
    }

    @Test
    void aBodyThatIsNoStatusIsShownWithItsCode() {
        assertEquals("the admin API answered HTTP 405: HTTP method not allowed",
                AdminApiException.of(405, "HTTP method not allowed\n").getMessage());
        assertEquals("the admin API answered HTTP 502", AdminApiException.of(502, "").getMessage());
    }
}
