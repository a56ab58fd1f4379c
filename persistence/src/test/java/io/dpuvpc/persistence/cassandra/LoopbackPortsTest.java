package io.dpuvpc.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoopbackPortsTest {
    @TempDir
    Path tmp;

    @Test
    void portsAreBelowTheEphemeralRangeBindableAndNeverGivenTwice() throws Exception {
        int ephemeralLow = LoopbackPorts.ephemeralLow(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = LoopbackPorts.free();
            assertThat(port).isBetween(Math.max(1024, ephemeralLow - LoopbackPorts.SPAN), ephemeralLow - 1);
            assertThat(ports.add(port)).as("port %d given twice", port).isTrue();
            try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(server.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void theRangeIsReadFromTheKernelAndAnUnreadableOneFallsBackToLinuxsDefault() throws Exception {
        Path range = Files.writeString(tmp.resolve("ip_local_port_range"), "40000\t60999\n");
        assertThat(LoopbackPorts.ephemeralLow(range)).isEqualTo(40000);
        assertThat(LoopbackPorts.ephemeralLow(tmp.resolve("missing"))).isEqualTo(32768);
        assertThat(LoopbackPorts.ephemeralLow(Files.writeString(tmp.resolve("garbage"), "x y"))).isEqualTo(32768);
    }
}
