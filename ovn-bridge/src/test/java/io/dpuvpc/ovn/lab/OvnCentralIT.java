package io.dpuvpc.ovn.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OvnCentral} against the real ovsdb-server and ovn-northd. */
class OvnCentralIT {
    @TempDir
    Path dir;

    @Test
    void stopLeavesNoProcessBehind() {
        OvnCentral ovn = OvnCentral.builder(dir).stopOnJvmExit(true).start();
        List<OvnCentral.DaemonStatus> running = ovn.status();
        assertThat(running).extracting(OvnCentral.DaemonStatus::name)
                .containsExactly("ovsdb-server nb", "ovsdb-server sb", "ovn-northd");
        assertThat(running).allMatch(OvnCentral.DaemonStatus::alive);
        List<Long> pids = running.stream().map(s -> s.pid().orElseThrow()).toList();
        assertThat(Daemons.processesMentioning(dir.toString())).containsExactlyInAnyOrderElementsOf(pids);

        List<OvnCentral.DaemonStatus> stopped = ovn.stop();

        assertThat(stopped).extracting(s -> s.pid().orElseThrow()).containsExactlyInAnyOrderElementsOf(pids);
        assertThat(pids).noneMatch(Daemons::isAlive);
        assertThat(Daemons.processesMentioning(dir.toString())).isEmpty();
        assertThat(ovn.status()).noneMatch(OvnCentral.DaemonStatus::alive);
        assertThat(ovn.stop()).as("a second stop has nothing to stop").isEmpty();
    }

    @Test
    void portZeroBindsAFreePortThatServesTheDatabase() {
        try (OvnCentral ovn = OvnCentral.builder(dir).northd(false).stopOnJvmExit(true).start()) {
            assertThat(ovn.nbPort()).isPositive();
            assertThat(ovn.sbPort()).isPositive().isNotEqualTo(ovn.nbPort());
            assertThat(ovn.nbTcpEndpoint()).isEqualTo("tcp:127.0.0.1:" + ovn.nbPort());

            assertThat(listDbs("tcp:127.0.0.1:" + ovn.nbPort())).contains(OvnCentral.NB_DATABASE);
            assertThat(listDbs(ovn.sbTcpEndpoint())).contains(OvnCentral.SB_DATABASE);
            assertThat(listDbs(ovn.nbUnixEndpoint())).contains(OvnCentral.NB_DATABASE);
            assertThat(ovn.status()).extracting(OvnCentral.DaemonStatus::name)
                    .containsExactly("ovsdb-server nb", "ovsdb-server sb");
        }
    }

    @Test
    void northdTranslatesNbIntoSb() {
        try (OvnCentral ovn = OvnCentral.builder(dir).stopOnJvmExit(true).start()) {
            ovn.nbctl("ls-add", "x");
            // wait-until names a Datapath_Binding by its external_ids:name
            ExternalCommand.run(Duration.ofSeconds(15), List.of("ovn-sbctl", "--db=" + ovn.sbTcpEndpoint(),
                    "--timeout=10", "wait-until", "Datapath_Binding", "x")).orThrow();
            assertThat(ovn.sbctl("--bare", "--columns=external_ids", "find", "Datapath_Binding", "external_ids:name=x"))
                    .contains("name=x");
        }
    }

    @Test
    void nbRestartKeepsDataAndPort() {
        try (OvnCentral ovn = OvnCentral.builder(dir).stopOnJvmExit(true).start()) {
            int port = ovn.nbPort();
            ovn.nbctl("ls-add", "kept");
            long oldPid = ovn.status().get(0).pid().orElseThrow();

            ovn.stopNb();
            assertThat(ovn.isNbRunning()).isFalse();
            assertThat(Daemons.isAlive(oldPid)).isFalse();
            assertThat(ExternalCommand.run(Duration.ofSeconds(10), List.of("ovsdb-client", "list-dbs", ovn.nbTcpEndpoint())).ok())
                    .as("NB is down").isFalse();

            ovn.startNb();
            assertThat(ovn.nbPort()).isEqualTo(port);
            assertThat(ovn.status().get(0).pid().orElseThrow()).isNotEqualTo(oldPid);
            assertThat(ovn.nbctl("ls-list")).contains("(kept)");
            assertThat(listDbs("tcp:127.0.0.1:" + port)).contains(OvnCentral.NB_DATABASE);
            // northd reconnected through the unix socket and still translates
            ovn.nbctl("ls-add", "after-restart");
            ovn.awaitNorthdSync(Duration.ofSeconds(10));
        }
    }

    @Test
    void wipeNbEmptiesItOnTheSamePort() {
        try (OvnCentral ovn = OvnCentral.builder(dir).stopOnJvmExit(true).start()) {
            int port = ovn.nbPort();
            ovn.nbctl("ls-add", "gone");

            ovn.wipeNb();

            assertThat(ovn.nbPort()).isEqualTo(port);
            assertThat(ovn.nbctl("ls-list")).isBlank();
            ovn.awaitNorthdSync(Duration.ofSeconds(10));
            assertThat(ovn.sbctl("--bare", "--columns=_uuid", "list", "Datapath_Binding")).isBlank();
        }
    }

    @Test
    void anInactivityProbeIsServedFromConnectionRowsOnTheSamePortsAndSurvivesRestartAndWipe() throws IOException {
        try (OvnCentral ovn = OvnCentral.builder(dir).inactivityProbe(Duration.ofSeconds(1)).stopOnJvmExit(true).start()) {
            int nbPort = ovn.nbPort();
            assertThat(ovn.nbctl("--bare", "--columns=target,inactivity_probe", "list", "Connection"))
                    .contains("ptcp:" + nbPort + ":127.0.0.1").contains("1000");
            assertThat(ovn.sbctl("--bare", "--columns=target,inactivity_probe", "list", "Connection"))
                    .contains("ptcp:" + ovn.sbPort() + ":127.0.0.1").contains("1000");
            assertThat(listDbs(ovn.sbTcpEndpoint())).contains(OvnCentral.SB_DATABASE);
            assertSilentClientIsProbedWithinSeconds(nbPort, 5);

            ovn.restartNb();
            assertThat(ovn.nbPort()).isEqualTo(nbPort);
            assertSilentClientIsProbedWithinSeconds(nbPort, 5);

            ovn.wipeNb();
            assertThat(ovn.nbPort()).isEqualTo(nbPort);
            assertThat(ovn.nbctl("--bare", "--columns=inactivity_probe", "list", "Connection")).contains("1000");
            assertSilentClientIsProbedWithinSeconds(nbPort, 5);
            ovn.nbctl("ls-add", "after-wipe");
            ovn.awaitNorthdSync(Duration.ofSeconds(10));
            assertThat(OvnCentral.attach(dir).nbPort()).isEqualTo(nbPort);
        }
    }

    /**
     * A client that says nothing gets ovsdb-server's echo after the probe interval and is dropped
     * one interval later: with ovsdb-server's default 5 s the drop would come after 10 s.
     */
    private static void assertSilentClientIsProbedWithinSeconds(int port, int seconds) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(seconds * 1000);
            long start = System.nanoTime();
            byte[] all = socket.getInputStream().readAllBytes(); // until the server closes
            double took = (System.nanoTime() - start) / 1e9;
            System.out.printf("silent client on port %d: probed and dropped after %.1f s%n", port, took);
            assertThat(new String(all, StandardCharsets.UTF_8)).contains("\"echo\"");
            assertThat(took).isLessThan(seconds);
        }
    }

    @Test
    void fixedPortsAreUsedAndAttachSeesTheLab() throws IOException {
        int nbPort = freePort();
        int sbPort = freePort();
        OvnCentral ovn = OvnCentral.builder(dir).nbPort(nbPort).sbPort(sbPort).stopOnJvmExit(true).start();
        try {
            assertThat(listDbs("tcp:127.0.0.1:" + nbPort)).contains(OvnCentral.NB_DATABASE);

            OvnCentral attached = OvnCentral.attach(dir);
            assertThat(attached.nbTcpEndpoint()).isEqualTo("tcp:127.0.0.1:" + nbPort);
            assertThat(attached.sbTcpEndpoint()).isEqualTo("tcp:127.0.0.1:" + sbPort);
            assertThat(attached.isRunning()).isTrue();
            assertThat(attached.status()).extracting(OvnCentral.DaemonStatus::pid)
                    .containsExactlyElementsOf(ovn.status().stream().map(OvnCentral.DaemonStatus::pid).toList());

            assertThatThrownBy(() -> OvnCentral.builder(dir).start())
                    .isInstanceOf(OvnLabException.class).hasMessageContaining("already running");

            assertThat(attached.stop()).hasSize(3);
            assertThat(ovn.isRunning()).isFalse();
            assertThat(Daemons.processesMentioning(dir.toString())).isEmpty();
        } finally {
            ovn.stop();
        }
    }

    @Test
    void aTakenPortFailsClearlyAndLeavesNothingRunning() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            assertThatThrownBy(() -> OvnCentral.builder(dir).nbPort(taken.getLocalPort()).start())
                    .isInstanceOf(OvnLabException.class)
                    .hasMessageContaining("not listening on 127.0.0.1 port(s) [" + taken.getLocalPort() + "]");
        }
        assertThat(Daemons.processesMentioning(dir.toString())).isEmpty();
    }

    @Test
    void attachWithoutALabSaysSo() {
        assertThatThrownBy(() -> OvnCentral.attach(dir.resolve("nothing")))
                .isInstanceOf(OvnLabException.class).hasMessageContaining("no OVN lab");
    }

    @Test
    void restartAfterStopKeepsDatabasesUnlessFresh() {
        OvnCentral ovn = OvnCentral.builder(dir).northd(false).stopOnJvmExit(true).start();
        try {
            ovn.nbctl("ls-add", "persisted");
            ovn.stop();
            OvnCentral again = OvnCentral.builder(dir).northd(false).stopOnJvmExit(true).start();
            try {
                assertThat(again.nbctl("ls-list")).contains("(persisted)");
            } finally {
                again.stop();
            }
            OvnCentral fresh = OvnCentral.builder(dir).northd(false).fresh(true).stopOnJvmExit(true).start();
            try {
                assertThat(fresh.nbctl("ls-list")).isBlank();
            } finally {
                fresh.stop();
            }
        } finally {
            ovn.stop();
        }
        OptionalLong none = Daemons.readPid(dir.resolve("nb.pid"));
        assertThat(none.isEmpty() || !Daemons.isAlive(none.getAsLong())).isTrue();
    }

    static String listDbs(String endpoint) {
        return ExternalCommand.run(Duration.ofSeconds(10), List.of("ovsdb-client", "list-dbs", endpoint)).orThrow().stdout();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return socket.getLocalPort();
        }
    }
}
