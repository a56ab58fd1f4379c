package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.conditions.Condition;
import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.actors.model.DpuServiceInterfaceSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.BridgedNetwork;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.Ipam;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec.Ipv4Ipam;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One actor system with its own in-memory journal and {@link TestDirectory} per test, so that each
 * test has a fleet of its own (the fleet is one entity: tests sharing it would see each other's
 * nodes), and the few request/answer helpers the fleet, node and service interface tests share.
 * Use it as {@code @RegisterExtension final EntityHarness h = new EntityHarness();}: JUnit makes a
 * test instance, hence a harness, per test, and shuts the actor system down after it.
 */
final class EntityHarness implements AfterEachCallback {
  static final String NS = "default";

  final ActorTestKit testKit = ActorTestKit.create(EntityTestConfig.config());
  final TestDirectory directory = new TestDirectory(testKit, Clock.systemUTC());
  private final Map<String, String> subnets = new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public void afterEach(ExtensionContext context) {
    testKit.shutdownTestKit();
  }

  /** Sends the command {@code make} builds around a fresh probe, and returns the answer. */
  <C, R> R ask(RecipientRef<C> to, Function<ActorRef<R>, C> make) {
    TestProbe<R> probe = testKit.createTestProbe();
    to.tell(make.apply(probe.getRef()));
    return probe.receiveMessage();
  }

  ApplyReply setLabels(String node, Map<String, String> labels) {
    return ask(directory.node(node), r -> new DpuNodeEntity.SetLabels(labels, r));
  }

  ApplyReply report(DpuNode facts) {
    return ask(directory.node(facts.name()), r -> new DpuNodeEntity.Report(facts, r));
  }

  DpuNodeEntity.Status node(String name) {
    return ask(directory.node(name), DpuNodeEntity.GetStatus::new);
  }

  ApplyReply applyVpc(String name, LabelSelector nodeSelector) {
    return ask(directory.vpc(NS, name),
        r -> new DpuVpcEntity.Apply(new DpuVpcSpec("t", "ovn.vpc.dpu.nvidia.com", true, nodeSelector), r));
  }

  DpuVpcEntity.Status vpc(String name) {
    return ask(directory.vpc(NS, name), DpuVpcEntity.GetStatus::new);
  }

  /**
   * A network of the VPC "vpc", which is applied too (idempotent): an interface publishes only once
   * its network joined a VPC. Each network name gets its own subnet, so that siblings do not overlap.
   */
  ApplyReply applyNetwork(String name, LabelSelector nodeSelector) {
    applyVpc("vpc", LabelSelector.EVERYTHING);
    String subnet = subnets.computeIfAbsent(name, n -> "10.40." + subnets.size() + ".0/24");
    DpuVirtualNetworkSpec spec = new DpuVirtualNetworkSpec("vpc", nodeSelector, DpuVirtualNetworkSpec.BRIDGED, true, true,
        new BridgedNetwork(new Ipam(new Ipv4Ipam(true, subnet, List.of()))));
    return ask(directory.network(NS, name), r -> new DpuVirtualNetworkEntity.Apply(spec, r));
  }

  DpuVirtualNetworkEntity.Status network(String name) {
    return ask(directory.network(NS, name), DpuVirtualNetworkEntity.GetStatus::new);
  }

  ApplyReply applyServiceInterface(String name, ServiceInterfaceTemplate serviceInterface) {
    return ask(directory.serviceInterface(NS, name), r -> new ServiceInterfaceEntity.Apply(serviceInterface, r));
  }

  ServiceInterfaceEntity.Status serviceInterface(String name) {
    return ask(directory.serviceInterface(NS, name), ServiceInterfaceEntity.GetStatus::new);
  }

  ApplyReply applyDpuServiceInterface(String name, DpuServiceInterfaceSpec spec) {
    return ask(directory.dpuServiceInterface(NS, name), r -> new DpuServiceInterfaceEntity.Apply(spec, r));
  }

  DpuServiceInterfaceEntity.Status dpuServiceInterface(String name) {
    return ask(directory.dpuServiceInterface(NS, name), DpuServiceInterfaceEntity.GetStatus::new);
  }

  FleetEntity.Claims claims() {
    return ask(directory.fleet(), FleetEntity.GetClaims::new);
  }

  /** Waits until the condition {@code type} of what {@code status} reads has {@code reason}; returns it. */
  static Condition awaitReason(Supplier<Conditions> status, String type, String reason) {
    EntityTestConfig.eventually(() -> assertThat(status.get().get(type))
        .hasValueSatisfying(c -> assertThat(c.reason()).isEqualTo(reason)));
    return status.get().get(type).orElseThrow();
  }
}
