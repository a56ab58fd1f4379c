package io.dpuvpc.http.api;

import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.entity.ApplyReply;
import io.dpuvpc.actors.entity.DeleteReply;
import io.dpuvpc.actors.entity.DpuServiceInterfaceEntity;
import io.dpuvpc.actors.entity.DpuVirtualNetworkEntity;
import io.dpuvpc.actors.entity.DpuVpcEntity;
import io.dpuvpc.actors.entity.EntityDirectory;
import io.dpuvpc.actors.entity.IsolationClassEntity;
import io.dpuvpc.actors.entity.ResourceIndexEntity;
import io.dpuvpc.actors.entity.ResourceMetadata;
import io.dpuvpc.actors.entity.ServiceInterfaceEntity;
import io.dpuvpc.actors.model.DpuServiceInterfaceSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import io.dpuvpc.http.document.Document;
import io.dpuvpc.http.document.Metadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The admin API's view of the entities: each call is an ask of the resource's entity (through the
 * {@link EntityDirectory}, so sharded or local alike) or of its kind's {@link ResourceIndexEntity}.
 * An entity that does not answer within the ask timeout (journal unreachable, node starting) fails
 * the call with {@link ResourceService.Unavailable}, which the API answers 503.
 */
public final class EntityResourceService implements ResourceService {
    /** Keys per index page, and asks in flight while a list reads the resources' status. */
    static final int PAGE = 1000;
    static final int PARALLEL_READS = 64;

    private final EntityDirectory directory;
    private final ActorSystem<?> system;
    private final Scheduler scheduler;
    private final Duration timeout;

    public EntityResourceService(EntityDirectory directory, ActorSystem<?> system, Duration timeout) {
        this.directory = directory;
        this.system = system;
        this.scheduler = system.scheduler();
        this.timeout = timeout;
    }

    // ---- apply

    @Override
    public CompletionStage<ApplyOutcome> apply(Document document) {
        ResourceKey key = document.key();
        String expected = document.resourceVersion().orElse(null);
        // Read first: "created" versus "configured" is what the user is told.
        return get(key).thenCompose(before -> send(document, expected).thenCompose(reply -> {
            if (reply instanceof ApplyReply.Rejected rejected) {
                return CompletableFuture.completedFuture(new ApplyOutcome.Invalid(key, rejected.errors()));
            }
            if (reply instanceof ApplyReply.Conflict conflict) {
                return CompletableFuture.completedFuture(conflict(key, conflict.expected(), conflict.actual()));
            }
            ApplyReply.Accepted accepted = (ApplyReply.Accepted) reply;
            return get(key).thenApply(after -> new ApplyOutcome.Applied(after.orElseThrow(() -> new IllegalStateException(
                    key + " accepted the apply but reads as absent")), before.isEmpty(), accepted.changed()));
        }));
    }

    @Override
    public CompletionStage<Optional<ApplyOutcome>> check(Document document) {
        ResourceKey key = document.key();
        Optional<String> expected = document.resourceVersion();
        return get(key).thenApply(current -> {
            String actual = current.map(v -> v.metadata().resourceVersion()).orElse(null);
            if (expected.isPresent() && !expected.get().equals(actual)) {
                return Optional.of(conflict(key, expected.get(), actual));
            }
            Object before = current.map(ResourceView::spec).orElse(null);
            List<io.dpuvpc.actors.validation.FieldError> errors = before == null ? List.of() : switch (key.kind()) {
                // The checks the entities make on an update (DpuVpcEntity, DpuVirtualNetworkEntity).
                case DPU_VPC -> io.dpuvpc.actors.validation.DpuVpcValidator.validateUpdate(key.name(),
                        (DpuVpcSpec) before, document.specAs(DpuVpcSpec.class));
                case DPU_VIRTUAL_NETWORK -> io.dpuvpc.actors.validation.DpuVirtualNetworkValidator.validateUpdate(
                        key.name(), (DpuVirtualNetworkSpec) before, document.specAs(DpuVirtualNetworkSpec.class));
                default -> List.of();
            };
            return errors.isEmpty() ? Optional.empty() : Optional.of(new ApplyOutcome.Invalid(key, errors));
        });
    }

    private static ApplyOutcome.Conflict conflict(ResourceKey key, String expected, String actual) {
        return new ApplyOutcome.Conflict(key, actual == null
                ? key.kind().kindName() + " \"" + key.name() + "\" does not exist, but the document expects "
                        + "resourceVersion " + expected + ": remove metadata.resourceVersion to create it"
                : "the object has been modified: " + key.kind().kindName() + " \"" + key.name()
                        + "\" is at resourceVersion " + actual + ", not " + expected
                        + "; read it again and apply your change to the latest version");
    }

    private CompletionStage<ApplyReply> send(Document d, String expected) {
        return applySpec(d.key(), d.spec(), expected);
    }

    /**
     * Sends {@code spec} (the kind's domain record) to {@code key}'s entity; {@code expected}: the
     * resourceVersion it must be at, null for an unconditional apply. The entity's own answer, for
     * ingresses other than documents (the Kubernetes informers).
     */
    public CompletionStage<ApplyReply> applySpec(ResourceKey key, Object spec, String expected) {
        return switch (key.kind()) {
            case ISOLATION_CLASS -> ask(directory.isolationClass(key.name()),
                    r -> new IsolationClassEntity.Apply((IsolationClassSpec) spec, expected, r));
            case DPU_VPC -> ask(directory.vpc(key.namespace(), key.name()),
                    r -> new DpuVpcEntity.Apply((DpuVpcSpec) spec, expected, r));
            case DPU_VIRTUAL_NETWORK -> ask(directory.network(key.namespace(), key.name()),
                    r -> new DpuVirtualNetworkEntity.Apply((DpuVirtualNetworkSpec) spec, expected, r));
            case DPU_SERVICE_INTERFACE -> ask(directory.dpuServiceInterface(key.namespace(), key.name()),
                    r -> new DpuServiceInterfaceEntity.Apply((DpuServiceInterfaceSpec) spec, expected, r));
            case SERVICE_INTERFACE -> ask(directory.serviceInterface(key.namespace(), key.name()),
                    r -> new ServiceInterfaceEntity.Apply((ServiceInterfaceTemplate) spec, expected, r));
            default -> CompletableFuture.failedFuture(new IllegalArgumentException(key.kind().kindName()
                    + " is not applied through the admin API"));
        };
    }

    // ---- get

    @Override
    public CompletionStage<Optional<ResourceView>> get(ResourceKey key) {
        return switch (key.kind()) {
            case ISOLATION_CLASS -> ask(directory.isolationClass(key.name()), IsolationClassEntity.Get::new)
                    .thenApply(s -> view(key, s.spec(), s.generation(), s.metadata(), Conditions.EMPTY, Map.of()));
            case DPU_VPC -> ask(directory.vpc(key.namespace(), key.name()), DpuVpcEntity.GetStatus::new)
                    .thenApply(s -> view(key, s.spec(), s.generation(), s.metadata(), s.conditions(),
                            fields("virtualNetworks", s.virtualNetworks(), "nodes", s.nodes())));
            case DPU_VIRTUAL_NETWORK -> ask(directory.network(key.namespace(), key.name()), DpuVirtualNetworkEntity.GetStatus::new)
                    .thenApply(s -> view(key, s.spec(), s.generation(), s.metadata(), s.conditions(),
                            fields("serviceInterfaces", s.serviceInterfaces(), "isolationClass", s.isolationClass())));
            case DPU_SERVICE_INTERFACE -> ask(directory.dpuServiceInterface(key.namespace(), key.name()),
                    DpuServiceInterfaceEntity.GetStatus::new)
                    .thenApply(s -> view(key, s.spec(), s.generation(), s.metadata(), s.conditions(),
                            fields("serviceInterfaces", s.children().stream().map(c -> Map.of("node", c.node(),
                                    "name", c.name())).toList())));
            case SERVICE_INTERFACE -> ask(directory.serviceInterface(key.namespace(), key.name()), ServiceInterfaceEntity.GetStatus::new)
                    .thenApply(s -> s.serviceInterface() == null ? Optional.<ResourceView>empty() : Optional.of(new ResourceView(key,
                            Map.of(), Map.of(), s.serviceInterface(), metadata(s.generation(), s.metadata()), s.conditions(),
                            fields("portConnected", s.portConnected(), "macAddress", s.mac(), "ipAddress", s.ip()))));
            default -> CompletableFuture.completedFuture(Optional.empty());
        };
    }

    private static Optional<ResourceView> view(ResourceKey key, Object spec, long generation, ResourceMetadata meta,
                                               Conditions conditions, Map<String, Object> status) {
        if (spec == null) {
            return Optional.empty();
        }
        return Optional.of(new ResourceView(key, Map.of(), Map.of(), spec, metadata(generation, meta), conditions, status));
    }

    private static Metadata metadata(long generation, ResourceMetadata meta) {
        ResourceMetadata m = meta == null ? ResourceMetadata.NONE : meta;
        return new Metadata(m.uid(), generation, m.resourceVersion(), m.creationTimestamp());
    }

    /** Status fields in the given order, nulls left out. */
    private static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return fields;
    }

    // ---- list

    @Override
    public CompletionStage<List<ResourceView>> list(ResourceKind kind, Optional<String> namespace) {
        return keys(kind, namespace).thenCompose(keys -> read(keys, 0, new ArrayList<>()));
    }

    /** The keys of {@code kind} that exist (in {@code namespace} when given), sorted, read page by page from its index. */
    public CompletionStage<List<ResourceKey>> keys(ResourceKind kind, Optional<String> namespace) {
        return keys(kind, namespace.orElse(null), null, new ArrayList<>());
    }

    private CompletionStage<List<ResourceKey>> keys(ResourceKind kind, String namespace, ResourceKey after,
                                                    List<ResourceKey> into) {
        return ask(directory.index(kind), (ActorRef<ResourceIndexEntity.Listing> r) ->
                new ResourceIndexEntity.List(namespace, after, PAGE, r)).thenCompose(listing -> {
                    into.addAll(listing.keys());
                    return listing.continueAfter() == null ? CompletableFuture.completedFuture(into)
                            : keys(kind, namespace, listing.continueAfter(), into);
                });
    }

    /** Reads the keys' resources {@value #PARALLEL_READS} at a time, in order; ones gone meanwhile are left out. */
    private CompletionStage<List<ResourceView>> read(List<ResourceKey> keys, int from, List<ResourceView> into) {
        if (from >= keys.size()) {
            return CompletableFuture.completedFuture(into);
        }
        List<CompletableFuture<Optional<ResourceView>>> batch = keys.subList(from, Math.min(keys.size(), from + PARALLEL_READS))
                .stream().map(k -> get(k).toCompletableFuture()).toList();
        return CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).thenCompose(done -> {
            batch.forEach(f -> f.join().ifPresent(into::add));
            return read(keys, from + PARALLEL_READS, into);
        });
    }

    // ---- watch

    /** See {@link ResourceWatch}: the list and the reads are this service's, the changes the members' feeds'. */
    @Override
    public Source<WatchEvent, NotUsed> watch(ResourceKind kind, Optional<String> namespace) {
        return new ResourceWatch(kind, namespace, this::get, () -> list(kind, namespace), PARALLEL_READS)
                .events(system, timeout);
    }

    // ---- delete

    @Override
    public CompletionStage<DeleteOutcome> delete(ResourceKey key, Optional<String> resourceVersion) {
        String expected = resourceVersion.orElse(null);
        CompletionStage<DeleteReply> reply = switch (key.kind()) {
            case ISOLATION_CLASS -> ask(directory.isolationClass(key.name()), r -> expected == null
                    ? new IsolationClassEntity.Delete(r) : new IsolationClassEntity.DeleteIfUnchanged(expected, r));
            case DPU_VPC -> ask(directory.vpc(key.namespace(), key.name()), r -> expected == null
                    ? new DpuVpcEntity.Delete(r) : new DpuVpcEntity.DeleteIfUnchanged(expected, r));
            case DPU_VIRTUAL_NETWORK -> ask(directory.network(key.namespace(), key.name()), r -> expected == null
                    ? new DpuVirtualNetworkEntity.Delete(r) : new DpuVirtualNetworkEntity.DeleteIfUnchanged(expected, r));
            case DPU_SERVICE_INTERFACE -> ask(directory.dpuServiceInterface(key.namespace(), key.name()), r -> expected == null
                    ? new DpuServiceInterfaceEntity.Delete(r) : new DpuServiceInterfaceEntity.DeleteIfUnchanged(expected, r));
            case SERVICE_INTERFACE -> ask(directory.serviceInterface(key.namespace(), key.name()), r -> expected == null
                    ? new ServiceInterfaceEntity.Delete(r) : new ServiceInterfaceEntity.DeleteIfUnchanged(expected, r));
            default -> CompletableFuture.failedFuture(new IllegalArgumentException(key.kind().kindName()
                    + " is not deleted through the admin API"));
        };
        return reply.thenApply(r -> {
            if (r instanceof DeleteReply.Conflict conflict) {
                return new DeleteOutcome.Conflict(key, "the object has been modified: " + key.kind().kindName() + " \""
                        + key.name() + "\" is at resourceVersion " + conflict.actual() + ", not " + conflict.expected()
                        + "; nothing was deleted");
            }
            return r instanceof DeleteReply.Deleted ? new DeleteOutcome.Deleted(key) : new DeleteOutcome.NotFound(key);
        });
    }

    // ---- asking

    private <Q, A> CompletionStage<A> ask(RecipientRef<Q> entity, Function<ActorRef<A>, Q> message) {
        return AskPattern.<Q, A>ask(entity, message::apply, timeout, scheduler).exceptionally(failure -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof TimeoutException) {
                throw new Unavailable("the controller did not answer within " + timeout.toSeconds() + " s: it may be "
                        + "starting, or its journal (Cassandra) may be unreachable; try again", cause);
            }
            throw failure instanceof CompletionException e ? e : new CompletionException(failure);
        });
    }
}
