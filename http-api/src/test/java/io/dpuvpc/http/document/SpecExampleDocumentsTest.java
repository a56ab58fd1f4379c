package io.dpuvpc.http.document;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.Annotations;
import io.dpuvpc.actors.model.DpuServiceInterfaceSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.ExcludeIp;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.Ipv4Ipam;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import io.dpuvpc.actors.model.TemplateMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every reference example parses to records equal to those the actors' {@code SpecExamplesTest}
 * builds from the same YAML (its values are repeated here: that test is not on this module's path),
 * and each passes the domain validators.
 */
class SpecExampleDocumentsTest {

    private static final String CLASS = "ovn.vpc.dpu.nvidia.com";
    private static final String TENANT = "vpc.dpu.nvidia.com/tenant";
    private static final String NETWORK = "vpc.dpu.nvidia.com/network";

    // ---- SpecExamplesTest's builders and values

    private static DpuVirtualNetworkSpec net(String vpc, LabelSelector selector, String subnet, ExcludeIp... excludes) {
        return new DpuVirtualNetworkSpec(vpc, selector, "Bridged", true, true,
                new DpuVirtualNetworkSpec.BridgedNetwork(new DpuVirtualNetworkSpec.Ipam(
                        new Ipv4Ipam(true, subnet, List.of(excludes)))));
    }

    private static DpuServiceInterfaceSpec vf2(LabelSelector selector, String network) {
        return DpuServiceInterfaceSpec.of(selector, Map.of(), ServiceInterfaceSpec.vf(0, 2, network));
    }

    private static Document doc(ResourceKind kind, String name, Object spec) {
        ResourceKey key = kind.clusterScoped()
                ? ResourceKey.clusterScoped(kind, name)
                : ResourceKey.namespaced(kind, "default", name);
        return Document.of(key, Map.of(), Map.of(), Optional.empty(), spec);
    }

    private static List<Document> parseFile(String file) {
        return ResourceDocuments.parse(SpecExampleFiles.read(file), MediaKind.YAML);
    }

    @Test
    void isolationClass00() {
        assertThat(parseFile("00-isolationclass.yaml")).containsExactly(
                doc(ResourceKind.ISOLATION_CLASS, CLASS, new IsolationClassSpec("ovn.vpc.dpu.nvidia.com",
                        Map.of("ovn-nb-endpoint", "tcp:10.1.1.100:30641", "ovn-nb-reconnect-time", "5"))));
    }

    @Test
    void singleVpcSingleNetwork01() {
        assertThat(parseFile("01-single-vpc-single-network.yaml")).containsExactly(
                doc(ResourceKind.DPU_VPC, "testvpc", new DpuVpcSpec("foo", CLASS, true, LabelSelector.EVERYTHING)),
                doc(ResourceKind.DPU_VIRTUAL_NETWORK, "testnet1",
                        net("testvpc", LabelSelector.EVERYTHING, "192.178.0.0/16")),
                doc(ResourceKind.DPU_SERVICE_INTERFACE, "testnet1-vf2", vf2(null, "testnet1")));
    }

    @Test
    void singleVpcTwoNetworks02() {
        assertThat(parseFile("02-single-vpc-two-networks.yaml")).containsExactly(
                doc(ResourceKind.DPU_VPC, "testvpc", new DpuVpcSpec("foo", CLASS, true, LabelSelector.EVERYTHING)),
                doc(ResourceKind.DPU_VIRTUAL_NETWORK, "testnet1", net("testvpc", null, "192.178.0.0/16")),
                doc(ResourceKind.DPU_VIRTUAL_NETWORK, "testnet2", net("testvpc", null, "192.188.0.0/16")),
                doc(ResourceKind.DPU_SERVICE_INTERFACE, "testnet1-vf2",
                        vf2(LabelSelector.ofLabels(Map.of(NETWORK, "testnet1")), "testnet1")),
                doc(ResourceKind.DPU_SERVICE_INTERFACE, "testnet2-vf2",
                        vf2(LabelSelector.ofLabels(Map.of(NETWORK, "testnet2")), "testnet2")));
    }

    @Test
    void twoTenants03() {
        var red = LabelSelector.ofLabels(Map.of(TENANT, "red"));
        var blue = LabelSelector.ofLabels(Map.of(TENANT, "blue"));
        assertThat(parseFile("03-two-tenants.yaml")).containsExactly(
                doc(ResourceKind.DPU_VPC, "redvpc", new DpuVpcSpec("red", CLASS, true, red)),
                doc(ResourceKind.DPU_VPC, "bluevpc", new DpuVpcSpec("blue", CLASS, true, blue)),
                doc(ResourceKind.DPU_VIRTUAL_NETWORK, "bluenet", net("bluevpc", blue, "192.178.0.0/16")),
                doc(ResourceKind.DPU_VIRTUAL_NETWORK, "rednet", net("redvpc", red, "192.178.0.0/16")),
                doc(ResourceKind.DPU_SERVICE_INTERFACE, "rednet-vf2", vf2(red, "rednet")),
                doc(ResourceKind.DPU_SERVICE_INTERFACE, "bluenet-vf2", vf2(blue, "bluenet")));
    }

    @Test
    void exclusionsAndUnknownMac04() {
        var unknownMac = DpuServiceInterfaceSpec.of(null, Map.of(Annotations.UNKNOWN_MAC, "true"),
                ServiceInterfaceSpec.service("my-service", "my-sf", "dpf-operator-system/mybrint-vpc-nodhcp",
                        "example-network"));
        List<Document> documents = parseFile("04-exclusions-and-unknown-mac.yaml");
        assertThat(documents).containsExactly(
                doc(ResourceKind.DPU_VIRTUAL_NETWORK, "example-network", net("example-vpc", null, "192.178.0.0/16",
                        ExcludeIp.ip("192.178.100.10"), ExcludeIp.range("192.178.100.100", "192.178.100.110"))),
                doc(ResourceKind.DPU_SERVICE_INTERFACE, "unknown-mac-sf", unknownMac));
        assertThat(documents.get(1).specAs(DpuServiceInterfaceSpec.class).interfaceTemplate().unknownMac()).isTrue();
    }

    @Test
    void serviceInterfaceFromTheStatusExampleCarriesItsAnnotationsInTheTemplate() {
        String yaml = """
                apiVersion: svc.dpu.nvidia.com/v1alpha1
                kind: ServiceInterface
                metadata:
                  name: bluenet-vf2-worker2
                  namespace: dpf-operator-system
                  annotations:
                    ovn.vpc.dpu.nvidia.com/lsp-connected: "true"
                    ovn.vpc.dpu.nvidia.com/lsp-mac-address: 5a:19:ad:cf:61:85
                spec:
                  interfaceType: vf
                  node: worker2-0000-c8-00
                  vf:
                    parentInterfaceRef: -worker2-0000-c8-00
                    pfID: 0
                    vfID: 2
                  virtualNetwork: bluenet
                status:
                  conditions:
                  - lastTransitionTime: "2025-06-17T13:51:40Z"
                    message: ""
                    observedGeneration: 1
                    reason: Success
                    status: "True"
                    type: Ready
                  observedGeneration: 1
                """;
        Map<String, String> annotations = Map.of(
                Annotations.LSP_CONNECTED, "true", Annotations.LSP_MAC_ADDRESS, "5a:19:ad:cf:61:85");
        var si = new ServiceInterfaceTemplate(TemplateMetadata.annotated(annotations),
                new ServiceInterfaceSpec("worker2-0000-c8-00", "vf", null,
                        new ServiceInterfaceSpec.Vf(0, 2, "-worker2-0000-c8-00"), null, "bluenet"));
        Document expected = Document.of(
                ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "dpf-operator-system", "bluenet-vf2-worker2"),
                Map.of(), annotations, Optional.empty(), si);

        assertThat(ResourceDocuments.parse(yaml, MediaKind.YAML)).containsExactly(expected);
        assertThat(expected.validate()).isEmpty();
    }

    @Test
    void everyExampleFileParsesAndPassesTheDomainValidators() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(SpecExampleFiles.directory())) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSize(5);
        int total = 0;
        for (Path file : files) {
            List<Document> documents = ResourceDocuments.parse(Files.readString(file), MediaKind.YAML);
            assertThat(documents).as(file.getFileName().toString()).isNotEmpty();
            for (Document d : documents) {
                assertThat(d.validate()).as(file.getFileName() + " " + d.key()).isEmpty();
            }
            total += documents.size();
        }
        assertThat(total).isEqualTo(1 + 3 + 5 + 6 + 2);
    }
}
