package io.dpuvpc.actors.entity;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.northbound.Northbound;
import io.dpuvpc.actors.northbound.NorthboundReasons;
import io.dpuvpc.actors.northbound.TopologyIntent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A Northbound bridge for entity tests: it answers every Publish at once as {@link #answer} says
 * (RECONCILED by default; an interface's port up with its MAC and an address 10.0.0.x) and every
 * Withdraw with WITHDRAWN, and records what it received so that tests can assert it. Switching
 * the answer re-answers the intents it holds, as the real bridge reports every change it sees.
 */
final class FakeNorthbound {
  /** How the fake answers a Publish. */
  record Answer(Northbound.State state, String reason, String message) {
    static final Answer RECONCILED = new Answer(Northbound.State.RECONCILED, "Success", "");
    static final Answer UNREACHABLE = new Answer(Northbound.State.PENDING, NorthboundReasons.NORTHBOUND_UNREACHABLE,
        "cannot reach the OVN Northbound database at tcp:127.0.0.1:6641; retrying");
  }

  private final List<Northbound.Command> received = new CopyOnWriteArrayList<>();
  private final Map<ResourceKey, Northbound.Publish> current = new ConcurrentHashMap<>();
  private final Map<ResourceKey, String> ips = new ConcurrentHashMap<>();
  private final AtomicInteger nextIp = new AtomicInteger(10);
  private volatile Answer answer = Answer.RECONCILED;
  private volatile boolean portsUp = true;

  Behavior<Northbound.Command> behavior() {
    return Behaviors.receive(Northbound.Command.class)
        .onMessage(Northbound.Publish.class, publish -> {
          received.add(publish);
          current.put(publish.intent().owner(), publish);
          reply(publish);
          return Behaviors.same();
        })
        .onMessage(Northbound.Withdraw.class, withdraw -> {
          received.add(withdraw);
          current.remove(withdraw.owner());
          withdraw.replyTo().tell(new Northbound.Observed(withdraw.owner(), 0, Northbound.State.WITHDRAWN, "Withdrawn",
              "", null));
          return Behaviors.same();
        })
        .onMessage(Northbound.Release.class, release -> {
          received.add(release);
          current.remove(release.owner());
          return Behaviors.same();
        })
        .build();
  }

  /** Answers from now on as {@code next}, and re-answers every intent it holds. */
  void answer(Answer next) {
    answer = next;
    current.values().forEach(this::reply);
  }

  /** Whether interfaces' ports are reported up (bound on their chassis). */
  void portsUp(boolean up) {
    portsUp = up;
  }

  private void reply(Northbound.Publish publish) {
    TopologyIntent intent = publish.intent();
    Answer now = answer;
    Northbound.PortFacts port = null;
    if (intent instanceof TopologyIntent.Interface i) {
      String ip = ips.computeIfAbsent(i.owner(), k -> "10.0.0." + nextIp.getAndIncrement());
      port = new Northbound.PortFacts(portsUp, i.mac(), ip);
    }
    publish.replyTo().tell(new Northbound.Observed(intent.owner(), intent.generation(), now.state(), now.reason(),
        now.message(), port));
  }

  /** Everything received, oldest first. */
  List<Northbound.Command> received() {
    return List.copyOf(received);
  }

  /** The intents {@code owner} published, oldest first. */
  List<TopologyIntent> published(ResourceKey owner) {
    return received.stream().filter(c -> c instanceof Northbound.Publish p && p.intent().owner().equals(owner))
        .map(c -> ((Northbound.Publish) c).intent()).toList();
  }

  /** The Withdraws received for {@code owner}. */
  List<Northbound.Withdraw> withdrawn(ResourceKey owner) {
    return received.stream().filter(c -> c instanceof Northbound.Withdraw w && w.owner().equals(owner))
        .map(c -> (Northbound.Withdraw) c).toList();
  }

  /** The Releases received for {@code owner}. */
  List<Northbound.Release> released(ResourceKey owner) {
    return received.stream().filter(c -> c instanceof Northbound.Release r && r.owner().equals(owner))
        .map(c -> (Northbound.Release) c).toList();
  }
}
