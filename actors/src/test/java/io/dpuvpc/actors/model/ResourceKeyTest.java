package io.dpuvpc.actors.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResourceKeyTest {

  @Test
  void namespacedKeysPrintKindNamespaceName() {
    ResourceKey vpc = ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "testvpc");
    assertThat(vpc).hasToString("DPUVPC/default/testvpc");
    assertThat(vpc.sibling(ResourceKind.DPU_VIRTUAL_NETWORK, "testnet1"))
        .isEqualTo(ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, "default", "testnet1"));
    assertThat(vpc.sibling(ResourceKind.ISOLATION_CLASS, "ovn.vpc.dpu.nvidia.com"))
        .hasToString("IsolationClass/ovn.vpc.dpu.nvidia.com");
  }

  @Test
  void clusterScopedKeysHaveAnEmptyNamespace() {
    ResourceKey ic = ResourceKey.clusterScoped(ResourceKind.ISOLATION_CLASS, "ovn.vpc.dpu.nvidia.com");
    assertThat(ic.namespace()).isEmpty();
    assertThat(new ResourceKey(ResourceKind.DPU_NODE, null, "dpu-1").namespace()).isEmpty();
    assertThat(ic).hasToString("IsolationClass/ovn.vpc.dpu.nvidia.com");
  }

  @Test
  void scopeIsEnforced() {
    assertThatThrownBy(() -> ResourceKey.namespaced(ResourceKind.ISOLATION_CLASS, "default", "x"))
        .hasMessageContaining("cluster scoped");
    assertThatThrownBy(() -> ResourceKey.clusterScoped(ResourceKind.DPU_VPC, "x"))
        .hasMessageContaining("namespaced");
  }

  @Test
  void parsesItsOwnText() {
    for (ResourceKey key : java.util.List.of(
        ResourceKey.namespaced(ResourceKind.DPU_SERVICE_INTERFACE, "default", "testnet1-vf2"),
        ResourceKey.clusterScoped(ResourceKind.ISOLATION_CLASS, "ovn.vpc.dpu.nvidia.com"),
        ResourceKey.clusterScoped(ResourceKind.DPU_NODE, "worker2-0000-c8-00"))) {
      assertThat(ResourceKey.parse(key.toString())).isEqualTo(key);
    }
    assertThatThrownBy(() -> ResourceKey.parse("DPUVPC")).hasMessageContaining("not a resource key");
    assertThatThrownBy(() -> ResourceKey.parse("Pod/default/x")).hasMessageContaining("not a resource kind");
    assertThatThrownBy(() -> ResourceKey.parse("DPUVPC/a/b/c")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResourceKey.parse("DPUVPC/testvpc")).hasMessageContaining("namespaced");
  }

  @Test
  void kindNamesAreTheReferenceKinds() {
    assertThat(ResourceKind.DPU_VPC.kindName()).isEqualTo("DPUVPC");
    assertThat(ResourceKind.DPU_VIRTUAL_NETWORK.kindName()).isEqualTo("DPUVirtualNetwork");
    assertThat(ResourceKind.DPU_SERVICE_INTERFACE.kindName()).isEqualTo("DPUServiceInterface");
    assertThat(ResourceKind.SERVICE_INTERFACE.kindName()).isEqualTo("ServiceInterface");
    assertThat(ResourceKind.ISOLATION_CLASS.kindName()).isEqualTo("IsolationClass");
  }
}
