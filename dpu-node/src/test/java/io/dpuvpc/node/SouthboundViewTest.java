package io.dpuvpc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.ovn.ovsdb.Row;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the agent reads of the Southbound rows, in the shapes the monitor's cache holds them. */
class SouthboundViewTest {
    private static final UUID OURS = UUID.fromString("00000000-0000-0000-0000-000000000001");
    private static final UUID OTHER = UUID.fromString("00000000-0000-0000-0000-000000000002");
    private static final UUID OUR_ENCAP = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID OTHER_ENCAP = UUID.fromString("00000000-0000-0000-0000-00000000000b");

    private static Row chassis(UUID uuid, String name, UUID encap) {
        return new Row("Chassis", uuid, Map.of("name", name, "hostname", name, "encaps", Set.of(encap)));
    }

    private static Row encap(UUID uuid, String ip) {
        return new Row("Encap", uuid, Map.of("type", "geneve", "ip", ip, "chassis_name", "x"));
    }

    /** Optional columns come as sets of zero or one element. */
    private static Row binding(String logicalPort, UUID chassis, Boolean up) {
        return new Row("Port_Binding", UUID.randomUUID(), Map.of("logical_port", logicalPort,
            "chassis", chassis == null ? Set.of() : Set.of(chassis), "up", up == null ? Set.of() : Set.of(up)));
    }

    private static SouthboundView view(String ourIp, List<Row> bindings) {
        List<StaleChassis.ChassisRow> chassis = SouthboundView.chassisRows(
            List.of(chassis(OURS, "dpu-a", OUR_ENCAP), chassis(OTHER, "dpu-b", OTHER_ENCAP)),
            List.of(encap(OUR_ENCAP, ourIp), encap(OTHER_ENCAP, "192.168.100.2")));
        return SouthboundView.of("dpu-a", "192.168.100.1", chassis, bindings);
    }

    @Test
    void ourChassisIsRegisteredOnlyWithAnEncapAtOurAddress() {
        assertThat(view("192.168.100.1", List.of())).isEqualTo(new SouthboundView(true, "dpu-a", true, Map.of()));
        assertThat(view("192.168.100.9", List.of())).isEqualTo(new SouthboundView(true, "dpu-a", false, Map.of()));
        assertThat(SouthboundView.of("dpu-z", "192.168.100.1", List.of(), List.of()))
            .isEqualTo(new SouthboundView(true, null, false, Map.of()));
    }

    @Test
    void onlyTheBindingsOfOurChassisCountAndUpNeedsThem() {
        SouthboundView view = view("192.168.100.1", List.of(binding("lsp-up", OURS, true), binding("lsp-claimed", OURS, null),
            binding("lsp-elsewhere", OTHER, true), binding("lsp-unbound", null, false)));

        assertThat(view.boundPorts()).isEqualTo(Map.of("lsp-up", true, "lsp-claimed", false));
        assertThat(view.bound("lsp-up")).isTrue();
        assertThat(view.up("lsp-up")).isTrue();
        assertThat(view.bound("lsp-claimed")).isTrue();
        assertThat(view.up("lsp-claimed")).isFalse();
        assertThat(view.bound("lsp-elsewhere")).isFalse();
        assertThat(view.up("lsp-elsewhere")).isFalse();
        assertThat(view.bound("lsp-unbound")).isFalse();
        assertThat(SouthboundView.UNKNOWN.bound("lsp-up")).isFalse();
    }
}
