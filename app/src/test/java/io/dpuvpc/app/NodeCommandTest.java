package io.dpuvpc.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dpuvpc.app.cluster.NodeProcess;
import io.dpuvpc.node.NodeAgentSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code vpc node}'s options: what reaches the agent, and usage errors that name the option. */
class NodeCommandTest {
  private static NodeProcess.Settings parse(String... args) {
    NodeCommand command = new NodeCommand();
    new CommandLine(command).parseArgs(args);
    return command.settings();
  }

  @Test
  void optionsBecomeTheAgentsSettingsWithABlueFieldsDefaults() {
    NodeProcess.Settings s = parse("--name", "dpu-a", "--vtep-ip", "10.0.0.1", "--sb", "tcp:10.0.0.9:6642",
        "--label", "vpc.dpu.nvidia.com/tenant=red", "--label", "zone=a=b",
        "--external-ip", "172.16.1.1/16", "--external-gw", "172.16.0.1");
    NodeAgentSettings agent = s.agent();
    assertThat(agent.nodeName()).isEqualTo("dpu-a");
    assertThat(agent.labels()).isEqualTo(Map.of("vpc.dpu.nvidia.com/tenant", "red", "zone", "a=b"));
    assertThat(agent.datapath()).isEqualTo(NodeAgentSettings.Datapath.SYSTEM);
    assertThat(agent.uplink()).isEqualTo("p0");
    assertThat(agent.mtu()).isEqualTo(9000);
    assertThat(agent.ovsdbRemote()).isEqualTo(NodeAgentSettings.DEFAULT_OVSDB_REMOTE);
    assertThat(agent.externalIp()).isEqualTo("172.16.1.1/16");
    assertThat(s.seedNodes()).containsExactly("pekko://dpuvpc@127.0.0.1:25520");
    assertThat(s.port()).isZero();
    assertThat(agent.cniDhcpSocket()).isEqualTo("/run/vpc/cni/dhcp.sock");
  }

  @Test
  void theCniDhcpDaemonMovesOrIsSwitchedOff() {
    String[] base = {"--name", "a", "--vtep-ip", "10.0.0.1", "--sb", "tcp:1.2.3.4:6642", "--cni-dhcp-socket"};
    assertThat(parse(append(base, "/run/other/dhcp.sock")).agent().cniDhcpSocket()).isEqualTo("/run/other/dhcp.sock");
    assertThat(parse(append(base, "none")).agent().cniDhcpSocket()).isNull();
    assertThat(parse(append(base, "")).agent().cniDhcpSocket()).isNull();
    assertThatThrownBy(() -> parse(append(base, "dhcp.sock"))).hasMessageContaining("absolute path");
  }

  private static String[] append(String[] args, String last) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = last;
    return all;
  }

  @Test
  void badOptionsAreUsageErrorsNamingTheOption() {
    assertThatThrownBy(() -> parse("--name", "a", "--vtep-ip", "10.0.0.1", "--sb", "tcp:1.2.3.4:6642", "--datapath", "dpdk"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--datapath");
    assertThatThrownBy(() -> parse("--name", "a", "--vtep-ip", "10.0.0.1", "--sb", "tcp:1.2.3.4:6642", "--label", "red"))
        .hasMessageContaining("--label red: expected KEY=VALUE");
    assertThatThrownBy(() -> parse("--name", "a", "--vtep-ip", "10.0.0.1", "--sb", "tcp:1.2.3.4:6642",
        "--external-ip", "172.16.1.1/16")).hasMessageContaining("--external-gw");
    assertThatThrownBy(() -> parse("--name", "a", "--vtep-ip", "10.0.0.1", "--sb", "nowhere"))
        .isInstanceOf(CommandLine.ParameterException.class);
    assertThatThrownBy(() -> parse("--name", "a", "--vtep-ip", "10.0.0.1", "--sb", "tcp:1.2.3.4:6642", "--seed", "x"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("x");
  }

  @Test
  void theLabStartsEachAgentWithACommandLineThatGivesItExactlyItsSettings() {
    NodeAgentSettings agent = NodeAgentSettings.builder("a", "192.168.100.1", "tcp:127.0.0.1:6642")
        .labels(Map.of("vpc.dpu.nvidia.com/tenant", "red"))
        .externalGateway("172.16.1.1/16", "172.16.0.1")
        .datapath(NodeAgentSettings.Datapath.NETDEV)
        .externalBridge("br-ex", "ext0")
        .heartbeat(java.time.Duration.ofSeconds(2))
        .ovsdbRemote("unix:/tmp/lab/a/db.sock")
        .build();
    NodeProcess.Settings parsed = parse(LabFleetRunner.nodeArguments(agent, 25599).stream().skip(1).toArray(String[]::new));
    assertThat(parsed.agent()).isEqualTo(agent);
    // Without a socket the agent runs no daemon, and the command line says so.
    NodeAgentSettings withSocket = agent.withCniDhcpSocket("/tmp/lab/processes/cni-dhcp-a.sock");
    assertThat(parse(LabFleetRunner.nodeArguments(withSocket, 25599).stream().skip(1).toArray(String[]::new)).agent())
        .isEqualTo(withSocket);
    assertThat(parsed.seedNodes()).containsExactly("pekko://dpuvpc@127.0.0.1:25599");
  }

  @Test
  void labLabelsArePerDpuAndAMalformedOneNamesItself() {
    assertThat(LabFleetRunner.labels(java.util.List.of("a", "b"), java.util.List.of("a:tenant=red", "a:x=y=z")))
        .isEqualTo(Map.of("a", Map.of("tenant", "red", "x", "y=z"), "b", Map.of()));
    assertThatThrownBy(() -> LabFleetRunner.labels(java.util.List.of("a"), java.util.List.of("tenant=red")))
        .hasMessageContaining("--label tenant=red: expected DPU:KEY=VALUE");
  }
}
