package io.dpuvpc.k8s;

import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.k8s.crd.DpuVirtualNetwork;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** The resources of the repository's {@code examples/*.yaml}, read into the typed fabric8 model. */
final class ExampleResources {
    private ExampleResources() {}

    static final Path EXAMPLES = Path.of("..", "examples");
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** Every document of every example file, in file order. */
    static List<HasMetadata> all() {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            List<HasMetadata> resources = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                resources.addAll(read(Files.readString(file)));
            }
            return resources;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One example file's documents, e.g. {@code 01-single-vpc-single-network.yaml}. */
    static List<HasMetadata> file(String name) {
        try {
            return read(Files.readString(EXAMPLES.resolve(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A DPUVirtualNetwork in namespace default of VPC testvpc with only the required fields: its
     * name and subnet (the other fields take their defaults).
     */
    static DpuVirtualNetwork minimalNetwork(String name, String subnet) {
        return (DpuVirtualNetwork) read("""
                apiVersion: vpc.dpu.nvidia.com/v1alpha1
                kind: DPUVirtualNetwork
                metadata: {name: %s, namespace: default}
                spec:
                  vpcName: testvpc
                  bridgedNetwork: {ipam: {ipv4: {subnet: "%s"}}}
                """.formatted(name, subnet)).get(0);
    }

    /** The documents of a multi-document YAML text, each as the class of its kind. */
    static List<HasMetadata> read(String yaml) {
        return Arrays.stream(yaml.split("(?m)^---\\s*$"))
                .filter(doc -> doc.lines().anyMatch(line -> line.startsWith("kind:")))
                .map(ExampleResources::typed)
                .toList();
    }

    private static HasMetadata typed(String doc) {
        String kind = SERIALIZATION.unmarshal(doc, GenericKubernetesResource.class).getKind();
        ResourceKind domainKind = ResourceTypes.SERVED.stream().filter(k -> k.kindName().equals(kind))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(kind + " is not a served kind"));
        return SERIALIZATION.unmarshal(doc, ResourceTypes.of(domainKind));
    }
}
