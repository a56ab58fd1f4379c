package io.dpuvpc.ovn.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DpuLab} with two real chassis against a real OVN central: the test stands in for the node
 * agent (it configures each chassis's OVS as {@code shared/LAB.md} shows) and proves that the lab
 * carries the product's traffic: chassis registered in SB, a 9000-byte underlay, the external
 * network with its echo service, and a ping between two host VFs over geneve.
 */
@ExtendWith(OvnCentralExtension.class)
class DpuChassisIT {
    private static final Duration CMD = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void twoChassisCarryHostTrafficOverGeneveAndDownRemovesEverything(OvnCentral ovn) {
        long started = System.nanoTime();
        String prefix = "t" + ProcessHandle.current().pid() % 1000;
        DpuLab lab = DpuLab.builder(dir).prefix(prefix).dpus("d1", "d2").vfsPerDpu(1).stopOnJvmExit(true).start();
        try {
            System.err.printf("DpuChassisIT: lab up in %d ms%n", (System.nanoTime() - started) / 1_000_000);
            assertThat(lab.isRunning()).isTrue();
            assertThat(DpuLab.isUp(dir)).isTrue();
            assertThatThrownBy(() -> DpuLab.builder(dir).prefix(prefix).dpus("d1", "d2").start())
                    .isInstanceOf(OvnLabException.class).hasMessageContaining("already up");
            DpuChassis d1 = lab.chassis("d1");
            DpuChassis d2 = lab.chassis("d2");
            assertThat(d1.dbEndpoint()).isEqualTo("unix:" + dir.resolve("d1").resolve("conf.sock"));
            assertThat(d1.namespace()).isEqualTo(prefix + "-dpu-d1");
            assertThat(d2.underlayIp()).isEqualTo("192.168.100.2");

            // The underlay as the lab made it (address on ul0): 8972 + 28 = 9000 bytes, DF set; one more is refused.
            ping(d1.namespace(), "-M", "do", "-s", "8972", d2.underlayIp());
            assertThat(LabNetwork.runIn(d1.namespace(), CMD, "ping", "-c", "1", "-W", "1", "-M", "do", "-s", "8973",
                    d2.underlayIp()).ok()).as("9001 bytes with DF").isFalse();
            // No namespace of the lab can reach the machine's own networks.
            for (String ns : lab.network().namespaces()) {
                assertThat(LabNetwork.runIn(ns, CMD, "ip", "route", "show", "default").orThrow().stdout()).as(ns).isBlank();
            }

            for (DpuChassis dpu : lab.chassis()) {
                configureLikeTheAgent(dpu, ovn);
            }

            // Both chassis and their geneve encaps in SB.
            awaitSb(() -> ovn.sbctl("--bare", "--columns=name", "list", "Chassis"), "d1", "d2");
            String encaps = ovn.sbctl("--bare", "--columns=chassis_name,type,ip", "list", "Encap");
            assertThat(encaps).contains("d1", "d2", "geneve", "192.168.100.1", "192.168.100.2");

            // The underlay again, now through each chassis's br-phy: OVS keeps the 9000 MTU.
            ping(d1.namespace(), "-M", "do", "-s", "8972", d2.underlayIp());

            // ext answers ping and echo through each DPU's uplink (ext0 in br-ex, address on br-ex).
            for (DpuChassis dpu : lab.chassis()) {
                ping(dpu.namespace(), LabNames.EXT_GATEWAY_IP);
                String echo = LabNetwork.runIn(dpu.namespace(), CMD, "/usr/bin/python3", "-c",
                        "import socket; s = socket.create_connection(('" + LabNames.EXT_GATEWAY_IP + "', "
                                + LabNames.ECHO_PORT + "), 5); print(s.recv(100).decode().strip())").orThrow().stdout();
                assertThat(echo.strip()).isEqualTo(dpu.ports().externalIp());
            }

            // Host VFs: eth0 in the host namespace, its representor in the DPU namespace.
            for (DpuChassis dpu : lab.chassis()) {
                LabNetwork.runIn(dpu.hostNamespaces().get(0), CMD, "ip", "link", "show", "eth0").orThrow();
                LabNetwork.runIn(dpu.namespace(), CMD, "ip", "link", "show", dpu.representors().get(0)).orThrow();
                assertThat(ExternalCommand.run(CMD, List.of("ip", "link", "show", dpu.representors().get(0))).ok())
                        .as("no representor in the root namespace").isFalse();
            }

            // A logical switch with a port on each chassis, and a ping between the hosts over geneve.
            String ls = "ls-" + prefix;
            ovn.nbctl("ls-add", ls);
            plugVf(ovn, ls, d1, "vm1-" + prefix, "0a:00:00:00:00:01", "10.0.0.1");
            plugVf(ovn, ls, d2, "vm2-" + prefix, "0a:00:00:00:00:02", "10.0.0.2");
            for (String lsp : List.of("vm1-" + prefix, "vm2-" + prefix)) {
                ovn.nbctl("--timeout=20", "wait-until", "Logical_Switch_Port", lsp, "up=true");
            }
            awaitPing(d1.hostNamespaces().get(0), "10.0.0.2", Duration.ofSeconds(15));
            ping(d2.hostNamespaces().get(0), "10.0.0.1");
            // A TCP-sized packet too (1472 + 28 = the hosts' MTU of 1500), fragmentation forbidden.
            ping(d1.hostNamespaces().get(0), "-M", "do", "-s", "1472", "10.0.0.2");
            assertThat(d1.vswitchdAppctl("dpctl/dump-flows")).contains("tnl_pop");
        } finally {
            List<String> removed = lab.down();
            System.err.println("DpuChassisIT: down removed " + removed);
        }

        List<String> left = new ArrayList<>();
        for (String ns : lab.network().namespaces()) {
            if (LabNetwork.namespaceExists(ns)) {
                left.add(ns);
            }
        }
        assertThat(left).as("namespaces left").isEmpty();
        assertThat(ExternalCommand.run("ip", "netns", "list").stdout()).doesNotContain(prefix + "-");
        assertThat(Daemons.processesMentioning(dir.toString())).as("lab processes left").isEmpty();
        assertThat(DpuLab.isUp(dir)).isFalse();
        assertThat(lab.down()).as("a second down has nothing to do").isEmpty();
        assertThat(DpuLab.down(dir)).isEmpty();
        System.err.printf("DpuChassisIT: took %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    void chassisRestartsAndReprovisionsAndAnotherProcessTakesTheLabDown(@TempDir Path other) {
        long started = System.nanoTime();
        String prefix = "r" + ProcessHandle.current().pid() % 1000;
        DpuLab lab = DpuLab.builder(dir).prefix(prefix).dpus("d1").vfsPerDpu(0).stopOnJvmExit(true).start();
        try {
            assertThatThrownBy(() -> DpuLab.builder(other).prefix(prefix).dpus("d1").vfsPerDpu(0).start())
                    .as("a second lab with the same prefix").hasMessageContaining("already exist");
            assertThat(lab.isRunning()).as("the first lab is untouched").isTrue();

            DpuChassis d1 = lab.chassis("d1");
            d1.vsctl("set", "Open_vSwitch", ".", "external_ids:system-id=d1");
            d1.vsctl("add-br", "br-test", "--", "set", "Bridge", "br-test", "datapath_type=netdev");
            long db = pid(d1, OvsdbServerDaemon.PROGRAM);
            long vswitchd = pid(d1, DpuChassis.VSWITCHD);
            long controller = pid(d1, DpuChassis.CONTROLLER);

            d1.restartVswitchd();
            assertThat(pid(d1, DpuChassis.VSWITCHD)).isNotEqualTo(vswitchd);
            assertThat(Daemons.isAlive(vswitchd)).isFalse();
            assertThat(d1.isRunning()).isTrue();
            assertThat(d1.vsctl("list-br")).contains("br-test");
            // The new vswitchd made br-test's tap again, in the DPU namespace.
            d1.runInNamespace("ip", "link", "show", "br-test").orThrow();

            d1.restartOvsdbServer();
            assertThat(pid(d1, OvsdbServerDaemon.PROGRAM)).isNotEqualTo(db);
            assertThat(d1.isRunning()).isTrue();
            assertThat(d1.vsctl("get", "Open_vSwitch", ".", "external_ids:system-id").strip()).isEqualTo("d1");

            d1.reprovision();
            assertThat(pid(d1, DpuChassis.CONTROLLER)).isNotEqualTo(controller);
            assertThat(d1.isRunning()).isTrue();
            // An empty database: only what ovn-controller creates on its own (br-int) may be there.
            assertThat(d1.vsctl("list-br")).doesNotContain("br-test");
            assertThat(d1.vsctl("get", "Open_vSwitch", ".", "external_ids")).doesNotContain("system-id");
        } finally {
            // As `down` from another process would: only the state file and pidfiles.
            List<String> removed = DpuLab.down(dir);
            System.err.println("DpuChassisIT: down removed " + removed);
        }
        assertThat(lab.network().existingNamespaces()).isEmpty();
        assertThat(Daemons.processesMentioning(dir.toString())).isEmpty();
        assertThat(DpuLab.down(dir)).isEmpty();

        // A record saying "up" with nothing of it left (as after a reboot) does not block the next start.
        Path state = dir.resolve(DpuLab.STATE_FILE);
        try {
            Files.writeString(state, Files.readString(state).replace("state=down", "state=up"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (DpuLab again = DpuLab.builder(dir).prefix(prefix).dpus("d1").vfsPerDpu(0).stopOnJvmExit(true).start()) {
            assertThat(again.isRunning()).isTrue();
        }
        assertThat(Daemons.processesMentioning(dir.toString())).isEmpty();
        System.err.printf("DpuChassisIT: lifecycle took %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    private static long pid(DpuChassis dpu, String daemon) {
        OvnCentral.DaemonStatus status = dpu.status().stream().filter(s -> s.name().equals(daemon)).findFirst().orElseThrow();
        assertThat(status.alive()).as(daemon).isTrue();
        OptionalLong pid = status.pid();
        return pid.orElseThrow();
    }

    /** What the node agent will do, as shared/LAB.md shows, plus br-phy and br-ex for the netdev datapath. */
    private static void configureLikeTheAgent(DpuChassis dpu, OvnCentral ovn) {
        dpu.vsctl("set", "Open_vSwitch", ".",
                "external_ids:system-id=" + dpu.name(),
                "external_ids:ovn-remote=" + ovn.sbTcpEndpoint(),
                "external_ids:ovn-encap-type=geneve",
                "external_ids:ovn-encap-ip=" + dpu.underlayIp(),
                "external_ids:ovn-bridge-datapath-type=netdev",
                "external_ids:ovn-bridge-mappings=external:br-ex");
        // ovn-controller may create br-int itself once it sees ovn-remote.
        dpu.vsctl("--may-exist", "add-br", "br-int", "--", "set", "Bridge", "br-int", "datapath_type=netdev",
                "fail_mode=secure", "other_config:disable-in-band=true");
        // Userspace tunnels leave through the OVS bridge that owns the encap IP: ul0 into br-phy,
        // its address onto br-phy's internal port.
        dpu.vsctl("add-br", "br-phy", "--", "set", "Bridge", "br-phy", "datapath_type=netdev",
                "--", "add-port", "br-phy", dpu.underlayInterface(),
                "--", "set", "Interface", "br-phy", "mtu_request=" + LabNames.UNDERLAY_MTU);
        dpu.runInNamespace("ip", "addr", "flush", "dev", dpu.underlayInterface()).orThrow();
        dpu.runInNamespace("ip", "addr", "add", dpu.ports().underlayCidr(), "dev", "br-phy").orThrow();
        dpu.runInNamespace("ip", "link", "set", "br-phy", "up").orThrow();
        // The external bridge with the uplink; its internal port gets the DPU's external address.
        dpu.vsctl("add-br", "br-ex", "--", "set", "Bridge", "br-ex", "datapath_type=netdev",
                "--", "add-port", "br-ex", dpu.uplinkInterface());
        dpu.runInNamespace("ip", "addr", "add", dpu.ports().externalIp() + "/" + LabNames.EXT_PREFIX_LENGTH,
                "dev", "br-ex").orThrow();
        dpu.runInNamespace("ip", "link", "set", "br-ex", "up").orThrow();
        dpu.runInNamespace("ethtool", "-K", "br-ex", "tx", "off").orThrow();
    }

    private static void plugVf(OvnCentral ovn, String ls, DpuChassis dpu, String lsp, String mac, String ip) {
        ovn.nbctl("lsp-add", ls, lsp);
        ovn.nbctl("lsp-set-addresses", lsp, mac + " " + ip);
        String host = dpu.hostNamespaces().get(0);
        LabNetwork.runIn(host, CMD, "ip", "link", "set", "eth0", "address", mac).orThrow();
        LabNetwork.runIn(host, CMD, "ip", "addr", "add", ip + "/24", "dev", "eth0").orThrow();
        String representor = dpu.representors().get(0);
        dpu.vsctl("add-port", "br-int", representor, "--", "set", "Interface", representor,
                "external_ids:iface-id=" + lsp);
    }

    private static void ping(String namespace, String... args) {
        List<String> command = new ArrayList<>(List.of("ping", "-c", "1", "-W", "2"));
        command.addAll(List.of(args));
        LabNetwork.runIn(namespace, CMD, command.toArray(String[]::new)).orThrow();
    }

    private static void awaitPing(String namespace, String ip, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ExternalCommand.Result last;
        do {
            last = LabNetwork.runIn(namespace, CMD, "ping", "-c", "1", "-W", "1", ip);
            if (last.ok()) {
                return;
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no ping from " + namespace + " to " + ip + " within " + timeout + ": " + last.describe());
    }

    private static void awaitSb(Supplier<String> read, String... expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String text = read.get();
        while (!List.of(expected).stream().allMatch(text::contains) && System.nanoTime() < deadline) {
            Daemons.sleep(Duration.ofMillis(100));
            text = read.get();
        }
        assertThat(text).contains(expected);
    }
}
