package io.dpuvpc.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.DpuServiceInterfaceSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.ExcludeIp;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import io.dpuvpc.actors.model.TemplateMetadata;
import io.dpuvpc.actors.validation.DpuVirtualNetworkValidator;
import io.dpuvpc.actors.validation.FieldError;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DomainSpecsTest {

    @Test
    void everyExampleMapsToASpecTheDomainValidatorsAccept() {
        List<HasMetadata> examples = ExampleResources.all();
        assertThat(examples).hasSizeGreaterThan(10);
        for (HasMetadata resource : examples) {
            ResourceKind kind = DomainSpecs.kindOf(resource);
            assertThat(kind.kindName()).isEqualTo(resource.getKind());
            assertThat(DomainSpecs.validate(kind, resource.getMetadata().getName(), DomainSpecs.of(resource)))
                    .as("%s/%s", resource.getKind(), resource.getMetadata().getName())
                    .isEmpty();
        }
    }

    @Test
    void isolationClassKeepsProvisionerAndParameters() {
        HasMetadata isolationClass = ExampleResources.file("00-isolationclass.yaml").get(0);

        assertThat(DomainSpecs.of(isolationClass)).isEqualTo(new IsolationClassSpec("ovn.vpc.dpu.nvidia.com",
                Map.of("ovn-nb-endpoint", "tcp:10.1.1.100:30641", "ovn-nb-reconnect-time", "5")));
    }

    @Test
    void exampleOneMapsFieldForField() {
        List<HasMetadata> example = ExampleResources.file("01-single-vpc-single-network.yaml");

        assertThat(DomainSpecs.of(example.get(0)))
                .isEqualTo(new DpuVpcSpec("foo", "ovn.vpc.dpu.nvidia.com", true, LabelSelector.EVERYTHING));
        assertThat(DomainSpecs.of(example.get(1))).isEqualTo(DpuVirtualNetworkSpec.bridged("testvpc", true,
                new DpuVirtualNetworkSpec.Ipv4Ipam(true, "192.178.0.0/16", List.of())));
        assertThat(DomainSpecs.of(example.get(2))).isEqualTo(DpuServiceInterfaceSpec.of(
                LabelSelector.EVERYTHING, Map.of(), ServiceInterfaceSpec.vf(0, 2, "testnet1")));
    }

    @Test
    void nodeSelectorsKeepTheirLabels() {
        HasMetadata redVpc = ExampleResources.file("03-two-tenants.yaml").get(0);

        assertThat(((DpuVpcSpec) DomainSpecs.of(redVpc)).nodeSelector())
                .isEqualTo(LabelSelector.ofLabels(Map.of("vpc.dpu.nvidia.com/tenant", "red")));
    }

    @Test
    void matchExpressionsMapToRequirements() {
        HasMetadata dsi = ExampleResources.read("""
                apiVersion: svc.dpu.nvidia.com/v1alpha1
                kind: DPUServiceInterface
                metadata: {name: pf0, namespace: default}
                spec:
                  template:
                    spec:
                      nodeSelector:
                        matchExpressions:
                        - {key: zone, operator: In, values: [a, b]}
                        - {key: maintenance, operator: DoesNotExist}
                      template:
                        spec: {interfaceType: pf, pf: {pfID: 0}, virtualNetwork: net}
                """).get(0);

        assertThat(((DpuServiceInterfaceSpec) DomainSpecs.of(dsi)).nodeSelector()).isEqualTo(LabelSelector.of(Map.of(),
                LabelSelector.Requirement.in("zone", "a", "b"), LabelSelector.Requirement.doesNotExist("maintenance")));
    }

    @Test
    void exclusionsAndTheUnknownMacAnnotationSurvive() {
        List<HasMetadata> example = ExampleResources.file("04-exclusions-and-unknown-mac.yaml");

        var network = (DpuVirtualNetworkSpec) DomainSpecs.of(example.get(0));
        assertThat(network.ipv4().excludeIPs()).containsExactly(
                ExcludeIp.ip("192.178.100.10"), ExcludeIp.range("192.178.100.100", "192.178.100.110"));
        var serviceInterface = (DpuServiceInterfaceSpec) DomainSpecs.of(example.get(1));
        assertThat(serviceInterface.interfaceTemplate().unknownMac()).isTrue();
        assertThat(serviceInterface.interfaceTemplate().spec()).isEqualTo(
                ServiceInterfaceSpec.service("my-service", "my-sf", "dpf-operator-system/mybrint-vpc-nodhcp",
                        "example-network"));
    }

    @Test
    void absentOptionalFieldsTakeTheDomainDefaults() {
        HasMetadata network = ExampleResources.minimalNetwork("plain", "10.0.0.0/24");

        var spec = (DpuVirtualNetworkSpec) DomainSpecs.of(network);
        assertThat(spec.type()).isEqualTo(DpuVirtualNetworkSpec.BRIDGED);
        assertThat(spec.masquerade()).isTrue();
        assertThat(spec.externallyRouted()).isFalse();
        assertThat(spec.nodeSelector()).isEqualTo(LabelSelector.EVERYTHING);
    }

    @Test
    void aServiceInterfaceCarriesItsNodeAndAnnotations() {
        HasMetadata serviceInterface = ExampleResources.read("""
                apiVersion: svc.dpu.nvidia.com/v1alpha1
                kind: ServiceInterface
                metadata:
                  name: si-1
                  namespace: default
                  annotations: {ovn.vpc.dpu.nvidia.com/unknown-mac: "true"}
                spec:
                  node: dpu-1
                  interfaceType: pf
                  pf: {pfID: 1}
                  virtualNetwork: net
                """).get(0);

        assertThat(DomainSpecs.of(serviceInterface)).isEqualTo(new ServiceInterfaceTemplate(
                TemplateMetadata.annotated(Map.of("ovn.vpc.dpu.nvidia.com/unknown-mac", "true")),
                ServiceInterfaceSpec.pf(1, "net").withNode("dpu-1")));
    }

    @Test
    void aSubnetThatIsNotANetworkAddressIsReportedOnItsField() {
        HasMetadata network = ExampleResources.minimalNetwork("bad", "10.0.0.1/24");

        List<FieldError> errors = DomainSpecs.validate(ResourceKind.DPU_VIRTUAL_NETWORK, "bad", DomainSpecs.of(network));
        assertThat(errors).extracting(FieldError::fieldPath).containsExactly(DpuVirtualNetworkValidator.SUBNET_PATH);
        assertThat(errors.get(0).message()).contains("10.0.0.0/24");
    }
}
