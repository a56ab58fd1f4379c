package io.dpuvpc.simulator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.ovn.lab.OvnCentral;
import io.dpuvpc.ovn.lab.OvnCentralExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Simulated DPUs against a real OVN central (ovsdb-server NB and SB, ovn-northd): what they write
 * is checked with {@code ovn-sbctl}, and their bindings by what ovn-northd makes of them in the
 * Northbound. Each test uses DPUs and ports of its own, since the central is shared by the class.
 */
@ExtendWith(OvnCentralExtension.class)
class SimulatedOvnControllersIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    @Timeout(60)
    void fiftyChassisRegisterWithTheirEncaps(OvnCentral ovn) {
        List<SimulatedChassis> fleet = IntStream.range(0, 50).mapToObj(SimulatedChassis::numbered).toList();
        try (SimulatedOvnControllers sim = connect(ovn, new SimulatedOvnControllers.Settings(20, 100))) {
            SimulatedOvnControllers.await(sim.register(fleet), TIMEOUT);

            assertThat(sim.counters().transactions()).as("50 chassis, 20 a transaction").isEqualTo(3);
            assertThat(sim.counters().failed()).isZero();
        }
        // Other tests of the class may have registered DPUs of their own (numbered from 100).
        List<String> expected = fleet.stream().map(SimulatedChassis::name).toList();
        assertThat(lines(ovn.sbctl("--bare", "--columns=name", "list", "Chassis"))).containsAll(expected);
        assertThat(lines(ovn.sbctl("--bare", "--columns=name", "list", "Chassis_Private"))).containsAll(expected);
        assertThat(lines(ovn.sbctl("--bare", "--columns=chassis_name", "list", "Encap"))).containsAll(expected);
        // Each with its own geneve Encap, and the liveness fields of a fresh ovn-controller.
        assertThat(ovn.sbctl("--bare", "--columns=type,ip,options", "find", "Encap", "chassis_name=sim-dpu-00049"))
            .contains("geneve", "100.64.0.50", "csum=true");
        assertThat(lines(ovn.sbctl("--bare", "--columns=ip", "list", "Encap"))).doesNotHaveDuplicates()
            .containsAll(fleet.stream().map(SimulatedChassis::encapIp).toList());
        assertThat(ovn.sbctl("--bare", "--columns=hostname,other_config", "find", "Chassis", "name=sim-dpu-00007"))
            .contains("sim-dpu-00007", "port-up-notif=true");
        String chassisUuid = ovn.sbctl("--bare", "--columns=_uuid", "find", "Chassis", "name=sim-dpu-00007").trim();
        assertThat(ovn.sbctl("--bare", "--columns=chassis,nb_cfg", "find", "Chassis_Private", "name=sim-dpu-00007"))
            .contains(chassisUuid);
        assertThat(ovn.sbctl("show")).contains("Chassis sim-dpu-00023", "Encap geneve", "ip: \"100.64.0.24\"");
    }

    @Test
    @Timeout(90)
    void northdSetsClaimedPortsUpAndReleasedOnesDown(OvnCentral ovn) {
        List<String> ports = IntStream.range(0, 6).mapToObj(i -> "claim-p" + i).toList();
        addSwitch(ovn, "sw-claim", ports);
        List<SimulatedChassis> fleet = IntStream.range(100, 103).mapToObj(SimulatedChassis::numbered).toList();
        try (SimulatedOvnControllers sim = connect(ovn, SimulatedOvnControllers.Settings.batched())) {
            SimulatedOvnControllers.await(sim.register(fleet), TIMEOUT);
            for (int i = 0; i < ports.size(); i++) {
                sim.claim(fleet.get(i % fleet.size()).name(), ports.get(i));
            }

            for (String port : ports) {
                awaitTrue("northd sets " + port + " up", () -> nbUp(ovn, port).equals("true"));
            }
            String chassis = ovn.sbctl("--bare", "--columns=_uuid", "find", "Chassis", "name=" + fleet.get(1).name()).trim();
            assertThat(sbBinding(ovn, ports.get(1))).isEqualTo(chassis);

            sim.release(fleet.get(1).name(), ports.get(1));
            sim.release(fleet.get(0).name(), ports.get(2)); // not its port: nothing happens
            awaitTrue("northd sets the released port down", () -> nbUp(ovn, ports.get(1)).equals("false"));
            assertThat(sbBinding(ovn, ports.get(1))).isEmpty();
            assertThat(ovn.sbctl("--bare", "--columns=up", "find", "Port_Binding", "logical_port=" + ports.get(1)).trim())
                .isEqualTo("false");
            assertThat(nbUp(ovn, ports.get(2))).isEqualTo("true");
            assertThat(SimulatedOvnControllers.await(sim.boundCount(), TIMEOUT)).isEqualTo(5);
            assertThat(sim.counters().failed()).isZero();
            assertThat(sim.claim("no-such-dpu", ports.get(0))).failsWithin(TIMEOUT)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    @Timeout(90)
    void aRebootedDpuRegistersAgainAndRebindsItsPorts(OvnCentral ovn) {
        List<String> ports = List.of("reboot-p0", "reboot-p1", "reboot-p2");
        addSwitch(ovn, "sw-reboot", ports);
        SimulatedChassis dpu = SimulatedChassis.numbered(200);
        SimulatedChassis other = SimulatedChassis.numbered(201);
        try (SimulatedOvnControllers sim = connect(ovn, SimulatedOvnControllers.Settings.batched())) {
            SimulatedOvnControllers.await(sim.register(List.of(dpu, other)), TIMEOUT);
            sim.claim(dpu.name(), ports.get(0));
            sim.claim(dpu.name(), ports.get(1));
            sim.claim(other.name(), ports.get(2));
            ports.forEach(p -> awaitTrue(p + " up", () -> nbUp(ovn, p).equals("true")));
            UUID before = SimulatedOvnControllers.await(sim.chassisUuid(dpu.name()), TIMEOUT).orElseThrow();

            SimulatedOvnControllers.await(sim.reboot(dpu.name()), TIMEOUT);

            UUID after = SimulatedOvnControllers.await(sim.chassisUuid(dpu.name()), TIMEOUT).orElseThrow();
            assertThat(after).isNotEqualTo(before);
            assertThat(lines(ovn.sbctl("--bare", "--columns=_uuid", "find", "Chassis", "name=" + dpu.name())))
                .containsExactly(after.toString());
            assertThat(lines(ovn.sbctl("--bare", "--columns=ip", "find", "Encap", "chassis_name=" + dpu.name())))
                .containsExactly(dpu.encapIp());
            assertThat(lines(ovn.sbctl("--bare", "--columns=chassis", "find", "Chassis_Private", "name=" + dpu.name())))
                .containsExactly(after.toString());
            for (String port : ports.subList(0, 2)) {
                awaitTrue(port + " bound to the new chassis", () -> sbBinding(ovn, port).equals(after.toString()));
                awaitTrue(port + " up again", () -> nbUp(ovn, port).equals("true"));
            }
            assertThat(nbUp(ovn, ports.get(2))).as("the other DPU's port was never touched").isEqualTo("true");
            assertThat(sim.counters().failed()).isZero();
        }
    }

    private static SimulatedOvnControllers connect(OvnCentral ovn, SimulatedOvnControllers.Settings settings) {
        return SimulatedOvnControllers.connect(ovn.sbTcpEndpoint(), settings, TIMEOUT);
    }

    private static void addSwitch(OvnCentral ovn, String name, List<String> ports) {
        List<String> args = new ArrayList<>(List.of("ls-add", name));
        for (String port : ports) {
            args.addAll(List.of("--", "lsp-add", name, port));
        }
        ovn.nbctl(args.toArray(String[]::new));
    }

    private static String nbUp(OvnCentral ovn, String port) {
        return ovn.nbctl("get", "Logical_Switch_Port", port, "up").trim();
    }

    private static String sbBinding(OvnCentral ovn, String port) {
        return ovn.sbctl("--bare", "--columns=chassis", "find", "Port_Binding", "logical_port=" + port).trim();
    }

    private static List<String> lines(String output) {
        return Arrays.stream(output.split("\\R")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        Poll.until(what, TIMEOUT, Duration.ofMillis(50), condition);
    }
}
