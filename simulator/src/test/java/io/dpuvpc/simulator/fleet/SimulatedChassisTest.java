package io.dpuvpc.simulator.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dpuvpc.ovn.ovsdb.Operation;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SimulatedChassisTest {

    @Test
    void numberedDpusHaveDistinctNamesAndTunnelAddresses() {
        assertThat(SimulatedChassis.numbered(0)).isEqualTo(new SimulatedChassis("sim-dpu-00000", "sim-dpu-00000", "100.64.0.1"));
        assertThat(SimulatedChassis.numbered(255).encapIp()).isEqualTo("100.64.1.0");
        assertThat(SimulatedChassis.numbered(65535).encapIp()).isEqualTo("100.65.0.0");
        Set<String> ips = new HashSet<>();
        IntStream.range(0, 70_000).forEach(i -> ips.add(SimulatedChassis.numbered(i).encapIp()));
        assertThat(ips).hasSize(70_000);
        assertThatThrownBy(() -> SimulatedChassis.numbered(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void registrationInsertsEncapChassisAndChassisPrivateLinkedByUuidName() {
        List<Operation> ops = SimulatedChassis.numbered(3).registration(7);

        assertThat(ops).hasSize(3);
        assertThat(ops.get(SimulatedChassis.ENCAP_INSERT).toJson().toString())
            .contains("\"table\":\"Encap\"", "\"uuid-name\":\"encap7\"", "\"ip\":\"100.64.0.4\"", "\"type\":\"geneve\"",
                "[\"csum\",\"true\"]", "\"chassis_name\":\"sim-dpu-00003\"");
        assertThat(ops.get(SimulatedChassis.CHASSIS_INSERT).toJson().toString())
            .contains("\"table\":\"Chassis\"", "\"uuid-name\":\"chassis7\"", "[\"named-uuid\",\"encap7\"]",
                "[\"port-up-notif\",\"true\"]", "\"hostname\":\"sim-dpu-00003\"");
        assertThat(ops.get(2).toJson().toString())
            .contains("\"table\":\"Chassis_Private\"", "\"chassis\":[\"named-uuid\",\"chassis7\"]", "\"name\":\"sim-dpu-00003\"");
    }

    @Test
    void deregistrationDeletesTheThreeRows() {
        UUID chassis = UUID.randomUUID();
        UUID encap = UUID.randomUUID();
        List<String> json = SimulatedChassis.numbered(3).deregistration(chassis, encap).stream()
            .map(op -> op.toJson().toString()).toList();

        assertThat(json).hasSize(3).allMatch(op -> op.contains("\"op\":\"delete\""));
        assertThat(json.get(0)).contains("Chassis_Private", "sim-dpu-00003");
        assertThat(json.get(1)).contains("\"table\":\"Chassis\"", chassis.toString());
        assertThat(json.get(2)).contains("\"table\":\"Encap\"", encap.toString());
    }
}
