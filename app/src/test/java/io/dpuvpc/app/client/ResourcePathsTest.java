package io.dpuvpc.app.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.dpuvpc.http.document.KindNames;
import io.dpuvpc.http.document.ServedKind;

class ResourcePathsTest {

    @Test
    void kindsResolveByPluralSingularKindAndGroup() {
        for (String name : List.of("dpuvpcs", "dpuvpc", "DPUVPC", "dpuvpcs.vpc.dpu.nvidia.com")) {
            assertEquals("dpuvpcs", ResourcePaths.kind(name).plural(), name);
        }
    }

    @Test
    void anUnknownKindListsTheServedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResourcePaths.kind("vpcs"));

        assertEquals("unknown kind \"vpcs\": the admin API serves isolationclasses, dpuvpcs, dpuvirtualnetworks, "
                + "dpuserviceinterfaces, serviceinterfaces (each also by its kind or singular name, e.g. DPUVPC or dpuvpc)",
                e.getMessage());
    }

    @Test
    void namespacedKindsHaveTheNamespaceInThePathClusterScopedOnesNot() {
        ServedKind vpcs = ResourcePaths.kind("dpuvpcs");
        ServedKind interfaces = ResourcePaths.kind("serviceinterfaces");
        ServedKind isolation = ResourcePaths.kind("isolationclasses");

        assertEquals("/apis/vpc.dpu.nvidia.com/v1alpha1/namespaces/tenant-a/dpuvpcs/bluevpc",
                ResourcePaths.item(vpcs, "tenant-a", "bluevpc"));
        assertEquals("/apis/svc.dpu.nvidia.com/v1alpha1/namespaces/default/serviceinterfaces",
                ResourcePaths.collection(interfaces, "default"));
        assertEquals("/apis/vpc.dpu.nvidia.com/v1alpha1/dpuvpcs", ResourcePaths.collection(vpcs, null));
        assertEquals("/apis/vpc.dpu.nvidia.com/v1alpha1/isolationclasses/ovn", ResourcePaths.item(isolation, "default", "ovn"));
        assertEquals("/apis/vpc.dpu.nvidia.com/v1alpha1/isolationclasses", ResourcePaths.collection(isolation, "default"));
        assertThrows(IllegalArgumentException.class, () -> ResourcePaths.item(vpcs, "", "bluevpc"));
        assertEquals("dpuvpc.vpc.dpu.nvidia.com/bluevpc", ResourcePaths.displayName(vpcs, "bluevpc"));
        assertEquals("serviceinterface.svc.dpu.nvidia.com/vf-1",
                ResourcePaths.displayName(KindNames.resolve("ServiceInterface").orElseThrow(), "vf-1"));
    }
}
