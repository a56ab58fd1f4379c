package io.dpuvpc.k8s;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Creates the committed CRDs (k8s/crds) in a cluster, as {@code kubectl apply -f crds/} would. */
final class CrdRegistration {
    private CrdRegistration() {}

    static List<CustomResourceDefinition> register(KubernetesClient client) {
        try (Stream<Path> files = Files.list(CrdYamlTest.COMMITTED)) {
            return files.sorted().map(file -> {
                try (var in = Files.newInputStream(file)) {
                    CustomResourceDefinition crd = client.getKubernetesSerialization()
                            .unmarshal(in, CustomResourceDefinition.class);
                    return client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
