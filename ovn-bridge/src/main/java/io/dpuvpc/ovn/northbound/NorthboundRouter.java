package io.dpuvpc.ovn.northbound;

import io.dpuvpc.actors.entity.EntityDirectory;
import io.dpuvpc.actors.entity.IsolationClassEntity;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.OvnEndpoint;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.northbound.Northbound;
import io.dpuvpc.actors.northbound.TopologyIntent;
import io.dpuvpc.actors.validation.IsolationClassValidator;
import io.dpuvpc.ovn.ovsdb.OvsdbClient;
import io.dpuvpc.ovn.ovsdb.OvsdbClientOptions;
import io.dpuvpc.ovn.ovsdb.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The {@link Northbound} port of one controller node: routes each entity's command to the
 * {@link NorthboundBridge} of its IsolationClass's Northbound endpoint, starting the bridge (one
 * connection per endpoint, shared by the classes that name the same one) the first time the class
 * is used. A class that does not exist, or is not ours, gets a FAILED observation naming it; the
 * entity asks again later (its own PrerequisitesReady says why meanwhile).
 *
 * <p>The router remembers each owner's latest Publish, so the intents survive their bridge: when
 * an IsolationClass's endpoint changes (checked every {@link #RECHECK_INTERVAL}) its owners are
 * released from the old bridge and published to the new one, and a bridge that stops on a failure
 * is started again with every intent it held.
 */
public final class NorthboundRouter extends AbstractBehavior<NorthboundRouter.Message> {
    static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);
    static final Duration RECHECK_INTERVAL = Duration.ofSeconds(15);
    static final Duration CLASS_RETRY = Duration.ofSeconds(2);

    public sealed interface Message {}

    private record FromEntity(Northbound.Command command) implements Message {}

    private record ClassLooked(String isolationClass, IsolationClassEntity.Status status, String failure) implements Message {}

    private record ClassRechecked(String isolationClass, IsolationClassEntity.Status status) implements Message {}

    private record BridgeStopped(String endpoint) implements Message {}

    private enum Recheck implements Message { INSTANCE }

    private record LookAgain(String isolationClass) implements Message {}

    /** For tests and benchmarks: the bridge serving an IsolationClass, once started. */
    public record GetBridge(String isolationClass, ActorRef<java.util.Optional<ActorRef<NorthboundBridge.Message>>> replyTo)
            implements Message {}

    /** Makes the bridge of an endpoint (tests substitute settings). */
    @FunctionalInterface
    public interface BridgeFactory {
        Behavior<NorthboundBridge.Message> create(OvsdbClientOptions options, OwnerCheck ownerCheck);
    }

    private final ActorContext<Message> context;
    private final EntityDirectory directory;
    private final BridgeFactory factory;
    private final Map<String, ActorRef<NorthboundBridge.Message>> byEndpoint = new HashMap<>();
    private final Map<String, ActorRef<NorthboundBridge.Message>> byClass = new HashMap<>();
    private final Map<String, List<Northbound.Command>> waiting = new HashMap<>();
    private final Map<String, String> endpointOfClass = new HashMap<>();
    private final Map<ResourceKey, Northbound.Publish> published = new HashMap<>();
    private final Map<String, IsolationClassSpec> specs = new HashMap<>();

    private final TimerScheduler<Message> timers;

    private NorthboundRouter(ActorContext<Message> context, TimerScheduler<Message> timers, EntityDirectory directory,
                             BridgeFactory factory) {
        super(context);
        this.context = context;
        this.timers = timers;
        this.directory = directory;
        this.factory = factory;
    }

    /** The entities' port: what {@link EntityDirectory#northbound()} answers on this node. */
    public static Behavior<Northbound.Command> create(EntityDirectory directory, BridgeFactory factory) {
        return Behaviors.transformMessages(Northbound.Command.class, behavior(directory, factory),
                pf -> pf.match(Northbound.Command.class, FromEntity::new));
    }

    /** The router itself, for callers that also use {@link GetBridge}. */
    public static Behavior<Message> behavior(EntityDirectory directory, BridgeFactory factory) {
        return behavior(directory, factory, RECHECK_INTERVAL);
    }

    /** With another interval between looks at the IsolationClasses in use (tests). */
    public static Behavior<Message> behavior(EntityDirectory directory, BridgeFactory factory, Duration recheckInterval) {
        // A bug in handling one message must not stop every write of this node: resume, keep the intents.
        return Behaviors.supervise(Behaviors.<Message>setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Recheck.INSTANCE, recheckInterval);
            return new NorthboundRouter(ctx, timers, directory, factory);
        }))).onFailure(SupervisorStrategy.resume());
    }

    /** Wraps an entity command for {@link #behavior}. */
    public static Message command(Northbound.Command command) {
        return new FromEntity(command);
    }

    /** Bridges with the default settings, each owning a client started in the background. */
    public static BridgeFactory defaultBridges() {
        return (options, ownerCheck) -> NorthboundBridge.create(OvsdbClient.start(options),
                NorthboundBridge.Settings.defaults(), ownerCheck);
    }

    @Override
    public Receive<Message> createReceive() {
        return newReceiveBuilder()
                .onMessage(FromEntity.class, m -> route(m.command()))
                .onMessage(ClassLooked.class, this::onClassLooked)
                .onMessageEquals(Recheck.INSTANCE, this::recheckClasses)
                .onMessage(ClassRechecked.class, this::onClassRechecked)
                .onMessage(BridgeStopped.class, this::onBridgeStopped)
                .onMessage(LookAgain.class, m -> {
                    lookUp(m.isolationClass());
                    return this;
                })
                .onMessage(GetBridge.class, m -> {
                    m.replyTo().tell(java.util.Optional.ofNullable(byClass.get(m.isolationClass())));
                    return this;
                })
                .build();
    }

    private Behavior<Message> route(Northbound.Command command) {
        remember(command);
        return deliver(command);
    }

    /** Keeps each owner's latest Publish, to give it again to another bridge. */
    private void remember(Northbound.Command command) {
        if (command instanceof Northbound.Publish publish) {
            published.put(publish.intent().owner(), publish);
        } else {
            published.remove(owner(command));
        }
    }

    private Behavior<Message> deliver(Northbound.Command command) {
        String isolationClass = isolationClass(command);
        ActorRef<NorthboundBridge.Message> bridge = byClass.get(isolationClass);
        if (bridge != null) {
            bridge.tell(new NorthboundBridge.FromEntity(withClassOptions(command)));
            return this;
        }
        if (command instanceof Northbound.Release) {
            return this; // nothing managed here for that class
        }
        List<Northbound.Command> queue = waiting.computeIfAbsent(isolationClass, k -> new ArrayList<>());
        queue.add(command);
        if (queue.size() == 1) {
            lookUp(isolationClass);
        }
        return this;
    }

    private void lookUp(String isolationClass) {
        context.ask(IsolationClassEntity.Status.class, directory.isolationClass(isolationClass), LOOKUP_TIMEOUT,
                IsolationClassEntity.Get::new,
                (status, failure) -> new ClassLooked(isolationClass, status, failure == null ? null : failure.getMessage()));
    }

    private Behavior<Message> onClassLooked(ClassLooked looked) {
        List<Northbound.Command> queue = waiting.get(looked.isolationClass());
        if (queue == null) {
            return this;
        }
        IsolationClassSpec spec = looked.status() == null ? null : looked.status().spec();
        String problem = looked.failure() != null ? "could not read IsolationClass \"" + looked.isolationClass() + "\" ("
                + looked.failure() + ")"
                : spec == null ? "IsolationClass \"" + looked.isolationClass() + "\" does not exist: create it"
                : IsolationClassValidator.validate(looked.isolationClass(), spec).isEmpty() ? null
                : "IsolationClass \"" + looked.isolationClass() + "\" is not valid: fix it";
        if (problem != null) {
            // Echo the intent's generation: the entity ignores answers about older intents. The
            // commands wait here and the class is looked up again: they go through once it heals.
            queue.stream().filter(command -> !(command instanceof Northbound.Release)).forEach(command ->
                    replyTo(command).tell(new Northbound.Observed(owner(command),
                            command instanceof Northbound.Publish p ? p.intent().generation() : 0,
                            Northbound.State.FAILED, "IsolationClassNotReady", problem, null)));
            timers.startSingleTimer(new LookAgain(looked.isolationClass()), CLASS_RETRY);
            return this;
        }
        waiting.remove(looked.isolationClass());
        specs.put(looked.isolationClass(), spec);
        ActorRef<NorthboundBridge.Message> bridge = bridgeFor(looked.isolationClass(), spec);
        queue.forEach(command -> bridge.tell(new NorthboundBridge.FromEntity(withClassOptions(command))));
        return this;
    }

    /**
     * A network's DHCP options come from its IsolationClass (DNS servers, MTU, lease time): the
     * class is the OVN-level configuration, so they are applied here, where the class is known.
     */
    private Northbound.Command withClassOptions(Northbound.Command command) {
        IsolationClassSpec spec = specs.get(isolationClass(command));
        if (spec == null || !(command instanceof Northbound.Publish publish)
                || !(publish.intent() instanceof TopologyIntent.Network network)) {
            return command;
        }
        Map<String, String> options = new java.util.TreeMap<>(spec.dhcpOptions());
        options.putAll(network.dhcpOptions());
        return new Northbound.Publish(publish.isolationClass(), new TopologyIntent.Network(network.owner(),
                network.generation(), network.vpc(), network.subnet(), network.excludeIps(), network.dhcp(), options),
                publish.replyTo());
    }

    private ActorRef<NorthboundBridge.Message> bridgeFor(String isolationClass, IsolationClassSpec spec) {
        OvsdbClientOptions options = options(spec);
        String endpoint = endpointKey(options);
        ActorRef<NorthboundBridge.Message> bridge = byEndpoint.computeIfAbsent(endpoint, e -> {
            ActorRef<NorthboundBridge.Message> started = context.spawnAnonymous(
                    factory.create(options, new EntityOwnerCheck(directory, context.getSystem())));
            context.watchWith(started, new BridgeStopped(e));
            return started;
        });
        byClass.put(isolationClass, bridge);
        endpointOfClass.put(isolationClass, endpoint);
        return bridge;
    }

    private static String endpointKey(OvsdbClientOptions options) {
        return options.endpoints() + " " + options.tls() + " " + options.reconnectMax();
    }

    private Behavior<Message> recheckClasses() {
        for (String isolationClass : byClass.keySet()) {
            context.ask(IsolationClassEntity.Status.class, directory.isolationClass(isolationClass), LOOKUP_TIMEOUT,
                    IsolationClassEntity.Get::new, (status, failure) -> new ClassRechecked(isolationClass, status));
        }
        return this;
    }

    /** The class now names another endpoint: its owners move to that endpoint's bridge. */
    private Behavior<Message> onClassRechecked(ClassRechecked checked) {
        String isolationClass = checked.isolationClass();
        IsolationClassSpec spec = checked.status() == null ? null : checked.status().spec();
        if (spec == null || !IsolationClassValidator.validate(isolationClass, spec).isEmpty()) {
            return this;
        }
        IsolationClassSpec before = specs.put(isolationClass, spec);
        if (endpointKey(options(spec)).equals(endpointOfClass.get(isolationClass))) {
            if (before != null && !before.dhcpOptions().equals(spec.dhcpOptions())) {
                // Same OVN, new DHCP options: the networks' rows follow.
                published.values().stream().filter(p -> p.isolationClass().equals(isolationClass)
                        && p.intent() instanceof TopologyIntent.Network).toList().forEach(this::deliver);
            }
            return this;
        }
        ActorRef<NorthboundBridge.Message> old = byClass.get(isolationClass);
        ActorRef<NorthboundBridge.Message> next = bridgeFor(isolationClass, spec);
        context.getLog().info("IsolationClass {} now names {}: moving its owners there", isolationClass,
                endpointOfClass.get(isolationClass));
        for (Northbound.Publish publish : List.copyOf(published.values())) {
            if (publish.isolationClass().equals(isolationClass)) {
                old.tell(new NorthboundBridge.FromEntity(new Northbound.Release(isolationClass, publish.intent().owner())));
                next.tell(new NorthboundBridge.FromEntity(withClassOptions(publish)));
            }
        }
        return this;
    }

    /** A bridge failed and stopped: its classes are looked up again and their intents published anew. */
    private Behavior<Message> onBridgeStopped(BridgeStopped stopped) {
        byEndpoint.remove(stopped.endpoint());
        List<String> classes = endpointOfClass.entrySet().stream().filter(e -> e.getValue().equals(stopped.endpoint()))
                .map(Map.Entry::getKey).toList();
        classes.forEach(c -> {
            byClass.remove(c);
            endpointOfClass.remove(c);
        });
        context.getLog().warn("Northbound bridge for {} stopped; starting it again for {}", stopped.endpoint(), classes);
        for (Northbound.Publish publish : List.copyOf(published.values())) {
            if (classes.contains(publish.isolationClass())) {
                deliver(publish);
            }
        }
        return this;
    }

    /** The client options an IsolationClass asks for: its endpoints (all raft members), reconnect time, probe and TLS. */
    static OvsdbClientOptions options(IsolationClassSpec spec) {
        String remotes = spec.nbEndpoints().stream().map(OvnEndpoint::toString).collect(Collectors.joining(","));
        OvsdbClientOptions.Builder builder = OvsdbClientOptions.builder(remotes).databases("OVN_Northbound")
                .reconnectTime(spec.reconnectTime()).inactivityProbe(spec.inactivityProbe());
        String key = spec.parameter(IsolationClassSpec.PRIVATE_KEY);
        if (key != null) {
            builder.tls(new TlsSettings(Path.of(key), Path.of(spec.parameter(IsolationClassSpec.CERTIFICATE)),
                    Path.of(spec.parameter(IsolationClassSpec.CA_CERT))));
        }
        return builder.build();
    }

    private static String isolationClass(Northbound.Command command) {
        if (command instanceof Northbound.Publish p) {
            return p.isolationClass();
        }
        if (command instanceof Northbound.Withdraw w) {
            return w.isolationClass();
        }
        return ((Northbound.Release) command).isolationClass();
    }

    private static ResourceKey owner(Northbound.Command command) {
        if (command instanceof Northbound.Publish p) {
            return p.intent().owner();
        }
        if (command instanceof Northbound.Withdraw w) {
            return w.owner();
        }
        return ((Northbound.Release) command).owner();
    }

    private static ActorRef<Northbound.Observed> replyTo(Northbound.Command command) {
        return command instanceof Northbound.Publish p ? p.replyTo() : ((Northbound.Withdraw) command).replyTo();
    }
}
