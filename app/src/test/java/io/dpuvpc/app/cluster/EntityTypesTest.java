package io.dpuvpc.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dpuvpc.actors.entity.FleetEntity;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.junit.jupiter.api.Test;

/** Type keys and entity ids: one type per kind, ids that parse back, and a wrong kind refused. */
class EntityTypesTest {

  @Test
  void everyResourceKindHasItsTypeNamedAfterTheKindPlusTheFleetAndTheIndexes() {
    List<String> expected = new ArrayList<>(Arrays.stream(ResourceKind.values()).map(ResourceKind::kindName).toList());
    expected.add("Fleet");
    expected.add("ResourceIndex");
    assertThat(EntityTypes.ALL).extracting(EntityTypeKey::name).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(FleetEntity.ID).isEqualTo("fleet");
  }

  @Test
  void entityIdsAreResourceKeysAndParseBack() {
    ResourceKey vpc = ResourceKey.namespaced(ResourceKind.DPU_VPC, "tenant-a", "blue");
    assertThat(EntityTypes.entityId(vpc)).isEqualTo("DPUVPC/tenant-a/blue");
    assertThat(EntityTypes.resourceKey(EntityTypes.DPU_VPC, "DPUVPC/tenant-a/blue")).isEqualTo(vpc);
    ResourceKey ic = ResourceKey.clusterScoped(ResourceKind.ISOLATION_CLASS, "ovn");
    assertThat(EntityTypes.resourceKey(EntityTypes.ISOLATION_CLASS, EntityTypes.entityId(ic))).isEqualTo(ic);
  }

  @Test
  void anIdOfAnotherKindIsAWiringBug() {
    assertThatThrownBy(() -> EntityTypes.resourceKey(EntityTypes.DPU_VPC, "DPUVirtualNetwork/tenant-a/blue"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a DPUVPC");
  }
}
