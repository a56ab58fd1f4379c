package io.dpuvpc.http.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dpuvpc.actors.model.ResourceKind;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KindNamesTest {

    @Test
    void resolvesWhatKubectlUsersTypeInAnyCase() {
        Map<String, ResourceKind> names = Map.ofEntries(
                Map.entry("dpuvpc", ResourceKind.DPU_VPC),
                Map.entry("dpuvpcs", ResourceKind.DPU_VPC),
                Map.entry("DPUVPC", ResourceKind.DPU_VPC),
                Map.entry("dpuvirtualnetwork", ResourceKind.DPU_VIRTUAL_NETWORK),
                Map.entry("DPUVirtualNetworks", ResourceKind.DPU_VIRTUAL_NETWORK),
                Map.entry("dpuserviceinterface", ResourceKind.DPU_SERVICE_INTERFACE),
                Map.entry("dpuserviceinterfaces", ResourceKind.DPU_SERVICE_INTERFACE),
                Map.entry("serviceinterface", ResourceKind.SERVICE_INTERFACE),
                Map.entry("ServiceInterfaces", ResourceKind.SERVICE_INTERFACE),
                Map.entry("isolationclass", ResourceKind.ISOLATION_CLASS),
                Map.entry("IsolationClasses", ResourceKind.ISOLATION_CLASS),
                Map.entry("dpuvpcs.vpc.dpu.nvidia.com", ResourceKind.DPU_VPC),
                Map.entry("serviceinterfaces.svc.dpu.nvidia.com", ResourceKind.SERVICE_INTERFACE));
        names.forEach((name, kind) ->
                assertThat(KindNames.resolve(name)).as(name).hasValueSatisfying(s -> assertThat(s.kind()).isEqualTo(kind)));
    }

    @Test
    void unknownNamesResolveToNothing() {
        assertThat(KindNames.resolve("pods")).isEmpty();
        assertThat(KindNames.resolve("dpunode")).isEmpty();
        assertThat(KindNames.resolve("dpuvpcs.svc.dpu.nvidia.com")).isEmpty();
        assertThat(KindNames.resolve("")).isEmpty();
        assertThat(KindNames.resolve(null)).isEmpty();
    }

    @Test
    void eachServedKindHasItsGroupVersionPluralAndScope() {
        ServedKind vpc = KindNames.of(ResourceKind.DPU_VPC);
        assertThat(vpc.apiVersion()).isEqualTo("vpc.dpu.nvidia.com/v1alpha1");
        assertThat(vpc.plural()).isEqualTo("dpuvpcs");
        assertThat(vpc.namespaced()).isTrue();
        assertThat(vpc.listKind()).isEqualTo("DPUVPCList");

        ServedKind isolation = KindNames.of(ResourceKind.ISOLATION_CLASS);
        assertThat(isolation.plural()).isEqualTo("isolationclasses");
        assertThat(isolation.namespaced()).isFalse();
        assertThat(isolation.group()).isEqualTo("vpc.dpu.nvidia.com");

        assertThat(KindNames.of(ResourceKind.DPU_VIRTUAL_NETWORK).group()).isEqualTo("vpc.dpu.nvidia.com");
        assertThat(KindNames.of(ResourceKind.DPU_SERVICE_INTERFACE).apiVersion()).isEqualTo("svc.dpu.nvidia.com/v1alpha1");
        assertThat(KindNames.of(ResourceKind.SERVICE_INTERFACE).plural()).isEqualTo("serviceinterfaces");
        assertThat(KindNames.served()).hasSize(5);
        assertThatThrownBy(() -> KindNames.of(ResourceKind.DPU_NODE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void typeMetaMatchesExactlyAsTheApiServerDoes() {
        assertThat(KindNames.byTypeMeta("svc.dpu.nvidia.com/v1alpha1", "ServiceInterface"))
                .hasValueSatisfying(s -> assertThat(s.kind()).isEqualTo(ResourceKind.SERVICE_INTERFACE));
        assertThat(KindNames.byTypeMeta("vpc.dpu.nvidia.com/v1alpha1", "ServiceInterface")).isEmpty();
        assertThat(KindNames.byTypeMeta("vpc.dpu.nvidia.com/v1alpha1", "dpuvpc")).isEmpty();
    }

    @Test
    void mediaKindFollowsTheContentType() {
        assertThat(MediaKind.fromContentType("application/json; charset=utf-8")).contains(MediaKind.JSON);
        assertThat(MediaKind.fromContentType("application/merge-patch+json")).contains(MediaKind.JSON);
        assertThat(MediaKind.fromContentType("application/yaml")).contains(MediaKind.YAML);
        assertThat(MediaKind.fromContentType("text/x-yaml")).contains(MediaKind.YAML);
        assertThat(MediaKind.fromContentType("text/plain")).isEmpty();
    }
}
