package io.dpuvpc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.ovn.ovsdb.Operation;
import io.dpuvpc.node.StaleChassis.ChassisRow;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rules of a stale chassis, and the one transaction's operations that remove it. */
class StaleChassisTest {
    private static final UUID LIVE = UUID.fromString("00000000-0000-0000-0000-000000000001");
    private static final UUID OLD = UUID.fromString("00000000-0000-0000-0000-000000000002");
    private static final UUID OTHER = UUID.fromString("00000000-0000-0000-0000-000000000003");
    private static final UUID OLD_ENCAP = UUID.fromString("00000000-0000-0000-0000-00000000000e");

    private static ChassisRow chassis(UUID uuid, String name, String hostname, String... ips) {
        return new ChassisRow(uuid, name, hostname, uuid.equals(OLD) ? Set.of(OLD_ENCAP) : Set.of(), Set.of(ips));
    }

    @Test
    void anotherNameAtOurVtepAddressIsStaleAndEveryOtherNodeIsNot() {
        List<StaleChassis.Stale> stale = StaleChassis.find("dpu-a", "192.168.100.1", List.of(
            chassis(LIVE, "dpu-a", "dpu-a"),
            chassis(OLD, "old-a", "", "192.168.100.1"),
            chassis(OTHER, "dpu-b", "dpu-b", "192.168.100.2")));

        assertThat(stale).hasSize(1);
        assertThat(stale.get(0).chassis().name()).isEqualTo("old-a");
        assertThat(stale.get(0).reason()).isEqualTo("it has an Encap at dpu-a's VTEP address 192.168.100.1");
    }

    @Test
    void theChassisOfASilentNodeIsStaleButNeverOurOwn() {
        List<StaleChassis.Stale> stale = StaleChassis.find("dpu-a", "192.168.100.1", List.of(
            chassis(LIVE, "dpu-a", "dpu-a", "192.168.100.1"),
            chassis(OTHER, "dpu-b", "dpu-b", "192.168.100.2"),
            chassis(OLD, "dpu-c", "dpu-c", "192.168.100.3")), Set.of("dpu-a", "dpu-c"));

        assertThat(stale).extracting(s -> s.chassis().name()).containsExactly("dpu-c");
        assertThat(stale.get(0).reason()).contains("dpu-c has not reported");
    }

    @Test
    void anotherNameWithOurHostnameIsStale() {
        // An earlier installation that never set system-id: ovn-controller named it by a generated UUID.
        List<StaleChassis.Stale> stale = StaleChassis.find("dpu-a", "192.168.100.1", List.of(
            chassis(OLD, "5f0c6a0e-generated", "dpu-a", "192.168.100.9")));

        assertThat(stale).extracting(s -> s.chassis().name()).containsExactly("5f0c6a0e-generated");
        assertThat(stale.get(0).reason()).isEqualTo("its hostname is dpu-a");
    }

    @Test
    void ourOwnChassisIsNeverStaleEvenAtAnOldAddress() {
        // ovn-controller moves its own Encap to the new address; deleting the row would unbind our ports.
        assertThat(StaleChassis.find("dpu-a", "192.168.100.1", List.of(chassis(LIVE, "dpu-a", "dpu-a", "192.168.100.7"))))
            .isEmpty();
        assertThat(StaleChassis.find("dpu-a", "192.168.100.1", List.of())).isEmpty();
    }

    @Test
    void theDeletionNamesEachRowByUuidAndTheChassisPrivateByName() {
        StaleChassis.Stale stale = new StaleChassis.Stale(chassis(OLD, "old-a", "", "192.168.100.1"), "test");

        assertThat(StaleChassis.deletion(stale, true)).extracting(o -> o.toJson().toString()).containsExactly(
            "{\"op\":\"delete\",\"table\":\"Chassis\",\"where\":[[\"_uuid\",\"==\",[\"uuid\",\"" + OLD + "\"]]]}",
            "{\"op\":\"delete\",\"table\":\"Encap\",\"where\":[[\"_uuid\",\"==\",[\"uuid\",\"" + OLD_ENCAP + "\"]]]}",
            "{\"op\":\"delete\",\"table\":\"Chassis_Private\",\"where\":[[\"name\",\"==\",\"old-a\"]]}");
        assertThat(StaleChassis.deletion(stale, false)).extracting(Operation::toJson)
            .extracting(j -> j.get("table").asText()).containsExactly("Chassis", "Encap");
    }
}
