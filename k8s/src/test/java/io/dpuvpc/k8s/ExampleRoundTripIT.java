package io.dpuvpc.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every example resource, created through the typed client in a mock API server (CRUD mode) that
 * has the committed CRDs, reads back with the same spec and the domain spec it had before.
 */
@EnableKubernetesMockClient(crud = true)
class ExampleRoundTripIT {
    KubernetesClient client;

    @BeforeEach
    void registerCrds() {
        List<CustomResourceDefinition> crds = CrdRegistration.register(client);
        assertThat(crds).extracting(crd -> crd.getSpec().getNames().getKind())
                .containsExactlyInAnyOrder("IsolationClass", "DPUVPC", "DPUVirtualNetwork",
                        "DPUServiceInterface", "ServiceInterface");
    }

    @Test
    void everyExampleReadsBackIntact() {
        // The examples share names across files (each is a scenario of its own): one file at a time.
        for (String file : List.of("00-isolationclass.yaml", "01-single-vpc-single-network.yaml",
                "02-single-vpc-two-networks.yaml", "03-two-tenants.yaml", "04-exclusions-and-unknown-mac.yaml")) {
            List<HasMetadata> resources = ExampleResources.file(file);
            for (HasMetadata resource : resources) {
                HasMetadata created = client.resource(resource).create();
                assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
            }
            for (HasMetadata resource : resources) {
                HasMetadata read = readBack(resource);
                assertThat(read).as("%s %s", file, resource.getMetadata().getName()).isNotNull();
                assertThat(read.getClass()).isEqualTo(resource.getClass());
                assertThat(spec(read)).usingRecursiveComparison().isEqualTo(spec(resource));
                assertThat(DomainSpecs.of(read)).isEqualTo(DomainSpecs.of(resource));
            }
            for (HasMetadata resource : resources) {
                client.resource(resource).delete();
            }
        }
    }

    @Test
    void isolationClassIsClusterScopedAndTheOthersNamespaced() {
        List<HasMetadata> resources = ExampleResources.file("01-single-vpc-single-network.yaml");
        resources.forEach(r -> client.resource(r).create());
        client.resource(ExampleResources.file("00-isolationclass.yaml").get(0)).create();

        assertThat(client.resources(io.dpuvpc.k8s.crd.IsolationClass.class).list().getItems())
                .singleElement().satisfies(c -> assertThat(c.getMetadata().getNamespace()).isNull());
        assertThat(client.resources(io.dpuvpc.k8s.crd.DpuVpc.class).inNamespace("other").list().getItems()).isEmpty();
        assertThat(client.resources(io.dpuvpc.k8s.crd.DpuVpc.class).inNamespace("default").list().getItems())
                .extracting(v -> v.getMetadata().getName()).containsExactly("testvpc");
    }

    /** Through the typed client of the resource's class, in its namespace unless cluster scoped. */
    private HasMetadata readBack(HasMetadata resource) {
        var typed = client.resources(resource.getClass());
        String namespace = resource.getMetadata().getNamespace();
        return (namespace == null ? typed : typed.inNamespace(namespace))
                .withName(resource.getMetadata().getName()).get();
    }

    private static Object spec(HasMetadata resource) {
        return ((io.fabric8.kubernetes.client.CustomResource<?, ?>) resource).getSpec();
    }
}
