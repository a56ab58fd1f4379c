package io.dpuvpc.app.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestsTest {
    static final String EXAMPLE = """
            apiVersion: vpc.dpu.nvidia.com/v1alpha1
            kind: IsolationClass
            metadata:
              name: ovn
            spec:
              provisioner: ovn
            ---
            apiVersion: vpc.dpu.nvidia.com/v1alpha1
            kind: DPUVPC
            metadata:
              name: bluevpc
            spec:
              tenant: blue
              isolationClassName: ovn
            ---
            apiVersion: vpc.dpu.nvidia.com/v1alpha1
            kind: DPUVirtualNetwork
            metadata:
              name: net-a
              namespace: tenant-a
            spec:
              vpcName: bluevpc
              type: Bridged
              bridgedNetwork:
                ipam:
                  ipv4:
                    dhcp: true
                    subnet: 10.0.1.0/24
            """;

    private static List<String> paths(List<Manifests.Manifest> manifests) {
        return manifests.stream().map(m -> ResourcePaths.item(m.document())).toList();
    }

    @Test
    void eachDocumentGetsItsOwnPathTheDefaultNamespaceWhenItNamesNone() {
        List<Manifests.Manifest> manifests = Manifests.parse("a.yaml", EXAMPLE, null);

        assertEquals(List.of(
                "/apis/vpc.dpu.nvidia.com/v1alpha1/isolationclasses/ovn",
                "/apis/vpc.dpu.nvidia.com/v1alpha1/namespaces/default/dpuvpcs/bluevpc",
                "/apis/vpc.dpu.nvidia.com/v1alpha1/namespaces/tenant-a/dpuvirtualnetworks/net-a"), paths(manifests));
        assertEquals("a.yaml", manifests.get(0).source());
    }

    @Test
    void dashNSetsTheNamespaceOfDocumentsThatNameNoneAndRefusesAnother() {
        String vpc = EXAMPLE.substring(EXAMPLE.indexOf("---") + 4, EXAMPLE.lastIndexOf("---"));

        assertEquals(List.of("/apis/vpc.dpu.nvidia.com/v1alpha1/namespaces/tenant-b/dpuvpcs/bluevpc"),
                paths(Manifests.parse("vpc.yaml", vpc, "tenant-b")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Manifests.parse("a.yaml", EXAMPLE, "tenant-b"));
        assertEquals("a.yaml: the namespace of dpuvirtualnetwork.vpc.dpu.nvidia.com/net-a, \"tenant-a\", does not match "
                + "--namespace \"tenant-b\": pass -n tenant-a or leave -n out", e.getMessage());
    }

    @Test
    void aDirectoryIsReadInNameOrderJsonAndStdinToo(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("b.json"), "{\"apiVersion\":\"vpc.dpu.nvidia.com/v1alpha1\",\"kind\":\"DPUVPC\","
                + "\"metadata\":{\"name\":\"second\"},\"spec\":{\"tenant\":\"t\",\"isolationClassName\":\"ovn\"}}");
        Files.writeString(dir.resolve("a.yml"), "apiVersion: vpc.dpu.nvidia.com/v1alpha1\nkind: DPUVPC\n"
                + "metadata: {name: first}\nspec: {tenant: t, isolationClassName: ovn}\n");
        Files.writeString(dir.resolve("notes.txt"), "not a manifest");
        ByteArrayInputStream stdin = new ByteArrayInputStream(("apiVersion: vpc.dpu.nvidia.com/v1alpha1\nkind: DPUVPC\n"
                + "metadata: {name: third}\nspec: {tenant: t, isolationClassName: ovn}\n").getBytes(StandardCharsets.UTF_8));

        List<Manifests.Manifest> manifests = Manifests.read(List.of(dir.toString(), "-"), null, stdin);

        assertEquals(List.of("first", "second", "third"), manifests.stream().map(m -> m.document().key().name()).toList());
        assertEquals(List.of(dir.resolve("a.yml").toString(), dir.resolve("b.json").toString(), "<stdin>"),
                manifests.stream().map(Manifests.Manifest::source).toList());
    }

    @Test
    void aMalformedFileIsRefusedWithEachProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Manifests.parse("bad.yaml",
                "apiVersion: vpc.dpu.nvidia.com/v1alpha1\nkind: DPUVPC\nmetadata: {name: x}\nspec: {tenant: t, colour: blue}\n",
                null));

        assertTrue(e.getMessage().startsWith("bad.yaml is refused:\n"), e.getMessage());
        assertTrue(e.getMessage().contains("spec.colour"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Manifests.read(List.of("/no/such/file.yaml"), null, null));
    }
}
