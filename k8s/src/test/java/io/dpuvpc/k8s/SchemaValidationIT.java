package io.dpuvpc.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dpuvpc.k8s.KubeApiServerExtension.Result;
import io.dpuvpc.k8s.crd.DpuVpc;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CRDs' OpenAPI schemas as a real API server applies them: an object that breaks one is refused
 * with 422 Invalid naming the field, through kubectl and through fabric8. The fabric8 mock server
 * checks none of this and stores whatever it is sent.
 */
class SchemaValidationIT {
    @RegisterExtension
    static final KubeApiServerExtension KUBE = new KubeApiServerExtension();

    static final String ROUTED_NETWORK = """
            apiVersion: vpc.dpu.nvidia.com/v1alpha1
            kind: DPUVirtualNetwork
            metadata: {name: routed, namespace: default}
            spec:
              vpcName: testvpc
              type: Routed
              bridgedNetwork: {ipam: {ipv4: {subnet: 10.0.0.0/24}}}
            """;
    static final String FOO_INTERFACE = """
            apiVersion: svc.dpu.nvidia.com/v1alpha1
            kind: DPUServiceInterface
            metadata: {name: foo-if, namespace: default}
            spec:
              template:
                spec:
                  template:
                    spec: {interfaceType: foo, virtualNetwork: testnet1}
            """;
    static final String VPC_WITHOUT_TENANT = """
            apiVersion: vpc.dpu.nvidia.com/v1alpha1
            kind: DPUVPC
            metadata: {name: notenant, namespace: default}
            spec: {isolationClassName: ovn.vpc.dpu.nvidia.com}
            """;
    static final String SUBNET_WITHOUT_PREFIX = """
            apiVersion: vpc.dpu.nvidia.com/v1alpha1
            kind: DPUVirtualNetwork
            metadata: {name: noprefix, namespace: default}
            spec:
              vpcName: testvpc
              bridgedNetwork: {ipam: {ipv4: {subnet: 10.0.0.0}}}
            """;
    static final String NEGATIVE_VF = """
            apiVersion: svc.dpu.nvidia.com/v1alpha1
            kind: ServiceInterface
            metadata: {name: negative-vf, namespace: default}
            spec: {interfaceType: vf, vf: {pfID: 0, vfID: -1}}
            """;

    @BeforeAll
    static void crds() {
        KUBE.registerCrds();
    }

    @Test
    void kubectlIsToldTheEnumOfType() throws IOException {
        Result result = apply(ROUTED_NETWORK);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("DPUVirtualNetwork \"routed\" is invalid",
                "spec.type: Unsupported value: \"Routed\"", "supported values: \"Bridged\"");
    }

    @Test
    void kubectlIsToldTheEnumOfInterfaceType() throws IOException {
        Result result = apply(FOO_INTERFACE);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("\"foo-if\" is invalid",
                "spec.template.spec.template.spec.interfaceType: Unsupported value: \"foo\"");
    }

    @Test
    void kubectlIsToldOfAMissingRequiredField() throws IOException {
        Result result = apply(VPC_WITHOUT_TENANT);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("\"notenant\" is invalid", "spec.tenant: Required value");
    }

    @Test
    void fabric8GetsA422NamingTheField() {
        assertInvalid(ROUTED_NETWORK, "spec.type", "FieldValueNotSupported");
        assertInvalid(FOO_INTERFACE, "spec.template.spec.template.spec.interfaceType", "FieldValueNotSupported");
        assertInvalid(VPC_WITHOUT_TENANT, "spec.tenant", "FieldValueRequired");
        assertInvalid(SUBNET_WITHOUT_PREFIX, "spec.bridgedNetwork.ipam.ipv4.subnet", "FieldValueInvalid");
        assertInvalid(NEGATIVE_VF, "spec.vf.vfID", "FieldValueInvalid");
    }

    @Test
    void nothingRefusedWasStored() {
        fabric8GetsA422NamingTheField();

        assertThat(KUBE.client().genericKubernetesResources("vpc.dpu.nvidia.com/v1alpha1", "DPUVirtualNetwork")
                .inNamespace("default").list().getItems()).extracting(r -> r.getMetadata().getName())
                .doesNotContain("routed", "noprefix");
        assertThat(KUBE.client().resources(DpuVpc.class).inNamespace("default").withName("notenant").get()).isNull();
    }

    @Test
    void unknownFieldsArePrunedNotRefused() {
        // A structural schema without x-kubernetes-preserve-unknown-fields: the server drops what it
        // does not know (the mock keeps it), so a misspelt optional field is lost without an error.
        GenericKubernetesResource vpc = generic("""
                apiVersion: vpc.dpu.nvidia.com/v1alpha1
                kind: DPUVPC
                metadata: {name: colourful, namespace: default}
                spec: {tenant: foo, isolationClassName: ovn.vpc.dpu.nvidia.com, colour: red, interNetworkAcess: true}
                """);
        GenericKubernetesResource created = KUBE.client().resource(vpc).create();

        assertThat(created.<Object>get("spec", "tenant")).isEqualTo("foo");
        Map<String, Object> spec = created.get("spec");
        assertThat(spec).containsOnlyKeys("tenant", "isolationClassName");
    }

    private static void assertInvalid(String yaml, String field, String causeReason) {
        GenericKubernetesResource resource = generic(yaml);
        KubernetesClientException e = catchThrowableOfType(KubernetesClientException.class,
                () -> KUBE.client().resource(resource).create());

        assertThat(e).as("%s is refused", resource.getMetadata().getName()).isNotNull();
        assertThat(e.getCode()).isEqualTo(422);
        assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
        assertThat(e.getStatus().getDetails().getCauses()).extracting(StatusCause::getField, StatusCause::getReason)
                .contains(org.assertj.core.groups.Tuple.tuple(field, causeReason));
        assertThat(e.getMessage()).contains(field);
    }

    private static GenericKubernetesResource generic(String yaml) {
        return KUBE.client().getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
    }

    /** kubectl apply of one document; --validate=false so that the answer is the API server's. */
    private static Result apply(String yaml) throws IOException {
        Path file = Files.createTempFile(KUBE.dir(), "invalid-", ".yaml");
        Files.writeString(file, yaml);
        return KUBE.kubectl("apply", "--validate=false", "-f", file.toString());
    }
}
