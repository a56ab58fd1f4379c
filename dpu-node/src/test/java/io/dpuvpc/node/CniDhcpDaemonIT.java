package io.dpuvpc.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code dhcp} daemon of containernetworking-plugins, supervised: started, restarted, stopped. */
class CniDhcpDaemonIT {
    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @BeforeAll
    static void needsThePlugin() {
        assumeTrue(CniDhcpDaemon.BINARIES.stream().anyMatch(Files::isExecutable),
            "the CNI dhcp plugin is not installed (apt-get install containernetworking-plugins)");
    }

    @AfterAll
    static void stopKit() {
        KIT.shutdownTestKit();
    }

    @Test
    void servesTheSocketComesBackWhenKilledAndDiesWithItsActor() throws Exception {
        Path socket = dir.resolve("cni/dhcp.sock");
        TestProbe<CniDhcpDaemon.Status> status = KIT.createTestProbe(CniDhcpDaemon.Status.class);
        ActorRef<CniDhcpDaemon.Command> daemon = KIT.spawn(CniDhcpDaemon.create(socket, status.ref()));

        CniDhcpDaemon.Status first = next(status, CniDhcpDaemon.Status::running);
        assertThat(first.starts()).isEqualTo(1);
        ProcessHandle firstProcess = ProcessHandle.of(first.pid()).orElseThrow();
        awaitAnswering(socket);

        // Killed (its socket file stays behind): started again on the same socket.
        firstProcess.destroyForcibly();
        CniDhcpDaemon.Status exited = next(status, s -> !s.running());
        assertThat(exited.lastError()).contains("exited");
        CniDhcpDaemon.Status second = next(status, CniDhcpDaemon.Status::running);
        assertThat(second.pid()).isNotEqualTo(first.pid());
        assertThat(second.starts()).isEqualTo(2);
        awaitAnswering(socket);

        ProcessHandle secondProcess = ProcessHandle.of(second.pid()).orElseThrow();
        KIT.stop(daemon);
        assertThat(secondProcess.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS).isAlive()).isFalse();
    }

    @Test
    void aSocketSomeoneElseServesIsLeftAloneAndReported() throws Exception {
        Path socket = dir.resolve("taken.sock");
        try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            other.bind(UnixDomainSocketAddress.of(socket));
            TestProbe<CniDhcpDaemon.Status> status = KIT.createTestProbe(CniDhcpDaemon.Status.class);
            ActorRef<CniDhcpDaemon.Command> daemon = KIT.spawn(CniDhcpDaemon.create(socket, status.ref()));

            CniDhcpDaemon.Status refused = status.receiveMessage(WAIT);
            assertThat(refused.running()).isFalse();
            assertThat(refused.lastError()).isEqualTo("another process serves " + socket);
            assertThat(Files.exists(socket)).isTrue();
            KIT.stop(daemon);
        }
    }

    @Test
    void theBackoffDoublesUpToThirtySeconds() {
        assertThat(CniDhcpDaemon.backoff(0)).isEqualTo(Duration.ofMillis(500));
        assertThat(CniDhcpDaemon.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(CniDhcpDaemon.backoff(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(CniDhcpDaemon.backoff(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(CniDhcpDaemon.backoff(40)).isEqualTo(Duration.ofSeconds(30));
    }

    /** The first status told from now on that matches {@code wanted}. */
    private static CniDhcpDaemon.Status next(TestProbe<CniDhcpDaemon.Status> probe,
                                             java.util.function.Predicate<CniDhcpDaemon.Status> wanted) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            CniDhcpDaemon.Status s = probe.receiveMessage(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (wanted.test(s)) {
                return s;
            }
        }
    }

    private static void awaitAnswering(Path socket) {
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> {
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                return channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                return false;
            }
        });
    }
}
