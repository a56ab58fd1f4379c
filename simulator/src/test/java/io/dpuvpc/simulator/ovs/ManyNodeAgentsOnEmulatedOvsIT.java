package io.dpuvpc.simulator.ovs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dpuvpc.node.LocalOvsdbServer;
import io.dpuvpc.node.NodeAgent;
import io.dpuvpc.node.NodeDirectory;
import io.dpuvpc.ovn.ovsdb.Row;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 300 real node agents in one JVM, each with its own emulated database and node entity, their
 * OVSDB clients on one shared two-thread group: all converge and plug a port, and the JVM gains a
 * bounded number of threads, not two per agent.
 */
class ManyNodeAgentsOnEmulatedOvsIT {
    private static final int AGENTS = 300;
    private static final String NO_SOUTHBOUND = "unix:/nonexistent/dpuvpc-test/sb.sock";

    @TempDir
    Path dir;

    @Test
    void threeHundredAgentsConvergeOnTheirOwnDatabasesWithoutAThreadEach() throws Exception {
        ActorTestKit kit = ActorTestKit.create(NodeDirectory.CONFIG);
        EventLoopGroup io = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try (EmulatedOvsdbServer server = EmulatedOvsdbServer.start(dir, 2)) {
            NodeDirectory directory = new NodeDirectory(kit);
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            long started = System.nanoTime();
            List<ActorRef<NodeAgent.Command>> agents = new ArrayList<>();
            for (int i = 0; i < AGENTS; i++) {
                String node = String.format("dpu-%03d", i);
                EmulatedDatabase database = server.open(node);
                directory.spawnNode(node);
                var settings = LocalOvsdbServer.agentSettings(database.remote(), node, "10.0." + (i / 250) + "." + (i % 250 + 1),
                    NO_SOUTHBOUND);
                agents.add(kit.spawn(NodeAgent.create(settings, directory, Clock.systemUTC(), io), "agent-" + node));
            }
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> readyCount(kit, agents) == AGENTS);
            long readyMillis = (System.nanoTime() - started) / 1_000_000;
            int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();

            for (int i = 0; i < AGENTS; i++) {
                agents.get(i).tell(new NodeAgent.Plug("pf0vf1", "lsp-" + i));
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> pluggedCount(server) == AGENTS);
            long pluggedMillis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("%d agents: ready in %d ms, a port plugged on each in %d ms; threads %d -> %d%n", AGENTS,
                readyMillis, pluggedMillis, threadsBefore, threadsAfter);

            Row vf = server.database("dpu-123").rows("Interface").toCompletableFuture().get().stream()
                .filter(r -> "pf0vf1".equals(r.getString("name"))).findFirst().orElseThrow();
            assertThat(vf.getStringMap("external_ids")).containsEntry("iface-id", "lsp-123");
            // Two OVSDB clients per agent on their own threads would add 600; the actors' dispatcher may grow a little.
            assertThat(threadsAfter - threadsBefore).isLessThan(60);
        } finally {
            kit.shutdownTestKit();
            io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static long readyCount(ActorTestKit kit, List<ActorRef<NodeAgent.Command>> agents) {
        List<CompletableFuture<NodeAgent.State>> states = agents.stream().map(a -> AskPattern.<NodeAgent.Command, NodeAgent.State>ask(
            a, NodeAgent.GetState::new, Duration.ofSeconds(10), kit.scheduler()).toCompletableFuture()).toList();
        return states.stream().map(CompletableFuture::join).filter(NodeAgent.State::ready).count();
    }

    private static long pluggedCount(EmulatedOvsdbServer server) {
        long plugged = 0;
        for (int i = 0; i < AGENTS; i++) {
            List<Row> interfaces = server.database(String.format("dpu-%03d", i)).rows("Interface").toCompletableFuture().join();
            plugged += interfaces.stream().filter(r -> r.getStringMap("external_ids").containsKey("iface-id")).count();
        }
        return plugged;
    }
}
