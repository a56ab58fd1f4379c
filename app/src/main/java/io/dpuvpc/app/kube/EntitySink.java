package io.dpuvpc.app.kube;

import io.dpuvpc.actors.entity.ApplyReply;
import io.dpuvpc.actors.entity.DpuNodeEntity;
import io.dpuvpc.actors.entity.EntityDirectory;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import io.dpuvpc.actors.northbound.Northbound;
import io.dpuvpc.http.api.EntityResourceService;
import io.dpuvpc.http.api.ResourceView;
import io.dpuvpc.k8s.ResourceSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes informers' way into the entities: applies and deletes through the same {@link
 * EntityResourceService} the admin API uses, node labels to the node entities.
 *
 * <p>A delete completes only once OVN no longer holds a row of the resource: the entity's own
 * delete withdraws its rows without waiting, so this asks the Northbound bridge to withdraw them
 * again and waits for its answer, which comes when the rows are gone from the database (seen in its
 * monitor). Until then the object keeps its finalizer in Kubernetes.
 */
final class EntitySink implements ResourceSink {
    private static final Logger log = LoggerFactory.getLogger(EntitySink.class);
    /** How often a delete checks whether a deleted resource's children are gone. */
    static final Duration GONE_POLL = Duration.ofMillis(100);

    /** One OVN owner of a deleted resource and the isolation class whose OVN holds its rows. */
    private record Owner(ResourceKey key, String isolationClass) {}

    private final EntityResourceService service;
    private final EntityDirectory directory;
    private final Scheduler scheduler;
    private final Duration withdrawTimeout;

    EntitySink(EntityResourceService service, EntityDirectory directory, Scheduler scheduler, Duration withdrawTimeout) {
        this.service = service;
        this.directory = directory;
        this.scheduler = scheduler;
        this.withdrawTimeout = withdrawTimeout;
    }

    @Override
    public CompletionStage<Outcome> apply(ResourceKey key, Object spec) {
        return service.applySpec(key, spec, null).thenApply(reply -> {
            if (reply instanceof ApplyReply.Accepted accepted) {
                return new Outcome.Accepted(accepted.generation());
            }
            if (reply instanceof ApplyReply.Rejected rejected) {
                return new Outcome.Rejected(rejected.errors());
            }
            throw new IllegalStateException(key + " answered " + reply + " to an unconditional apply");
        });
    }

    @Override
    public CompletionStage<Void> delete(ResourceKey key) {
        return owners(key).thenCompose(owners -> service.delete(key, Optional.empty()).thenCompose(deleted -> {
            List<CompletableFuture<Void>> withdrawals = owners.stream()
                    .map(o -> withdraw(o).toCompletableFuture()).toList();
            return CompletableFuture.allOf(withdrawals.toArray(CompletableFuture[]::new));
        }));
    }

    @Override
    public void nodeLabels(String node, Map<String, String> labels) {
        AskPattern.<DpuNodeEntity.Command, ApplyReply>ask(directory.node(node),
                r -> new DpuNodeEntity.SetLabels(labels, r), withdrawTimeout, scheduler).whenComplete((reply, failure) -> {
                    if (failure != null) {
                        log.warn("Could not set the labels of node {}: {}", node, failure.toString());
                    } else if (reply instanceof ApplyReply.Rejected rejected) {
                        log.warn("The labels of node {} were refused: {}", node, rejected.errors());
                    }
                });
    }

    /**
     * Withdraws the owner's rows once its entity is gone: a DPUServiceInterface's children are
     * deleted by its entity after it answered, and a child still running may publish again, which
     * would cancel a withdrawal asked before.
     */
    private CompletionStage<Void> withdraw(Owner owner) {
        return gone(owner.key(), System.nanoTime() + withdrawTimeout.toNanos()).thenCompose(gone -> withdrawNow(owner));
    }

    private CompletionStage<Void> gone(ResourceKey key, long deadline) {
        return service.get(key).thenCompose(view -> {
            if (view.isEmpty()) {
                return done(null);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(key + " is still there " + withdrawTimeout.toSeconds()
                        + " s after its owner was deleted");
            }
            return CompletableFuture.supplyAsync(() -> null,
                    CompletableFuture.delayedExecutor(GONE_POLL.toMillis(), TimeUnit.MILLISECONDS))
                    .thenCompose(next -> gone(key, deadline));
        });
    }

    private CompletionStage<Void> withdrawNow(Owner owner) {
        return AskPattern.<Northbound.Command, Northbound.Observed>ask(directory.northbound(),
                r -> new Northbound.Withdraw(owner.isolationClass(), owner.key(), r), withdrawTimeout, scheduler)
                .thenAccept(observed -> {
                    if (observed.state() != Northbound.State.WITHDRAWN) {
                        throw new IllegalStateException("the OVN rows of " + owner.key() + " are not withdrawn: "
                                + observed.reason() + " " + observed.message());
                    }
                });
    }

    /** Who owns OVN rows for {@code key}, read before it is deleted. */
    private CompletionStage<List<Owner>> owners(ResourceKey key) {
        return service.get(key).thenCompose(view -> {
            if (view.isEmpty()) {
                return done(List.of());
            }
            ResourceView v = view.get();
            return switch (key.kind()) {
                case DPU_VPC -> done(List.of(new Owner(key, ((DpuVpcSpec) v.spec()).isolationClassName())));
                case DPU_VIRTUAL_NETWORK -> networkClass(key.namespace(), v).thenApply(c -> ownedIn(key, c));
                case SERVICE_INTERFACE -> interfaceOwner(key, (ServiceInterfaceTemplate) v.spec());
                case DPU_SERVICE_INTERFACE -> childOwners(key, v);
                default -> done(List.of());
            };
        });
    }

    private CompletionStage<List<Owner>> interfaceOwner(ResourceKey key, ServiceInterfaceTemplate template) {
        if (template == null || template.spec() == null || template.spec().virtualNetwork() == null) {
            return done(List.of());
        }
        ResourceKey network = ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, key.namespace(),
                template.spec().virtualNetwork());
        return service.get(network).thenCompose(view -> view.isEmpty() ? done(List.<Owner>of())
                : networkClass(key.namespace(), view.get()).thenApply(c -> ownedIn(key, c)));
    }

    /**
     * The IsolationClass whose OVN holds a network's rows: the one its status names while its VPC
     * admits it, else its VPC's. The status alone is not enough: between a failed look-up of its VPC
     * and the next, a network that published rows shows none, and its delete would not wait for them.
     */
    private CompletionStage<Optional<String>> networkClass(String namespace, ResourceView network) {
        if (network.statusFields().get("isolationClass") instanceof String c) {
            return done(Optional.of(c));
        }
        if (!(network.spec() instanceof DpuVirtualNetworkSpec spec) || spec.vpcName() == null) {
            return done(Optional.empty());
        }
        return service.get(ResourceKey.namespaced(ResourceKind.DPU_VPC, namespace, spec.vpcName()))
                .thenApply(vpc -> vpc.map(ResourceView::spec).filter(DpuVpcSpec.class::isInstance)
                        .map(s -> ((DpuVpcSpec) s).isolationClassName()));
    }

    private static List<Owner> ownedIn(ResourceKey key, Optional<String> isolationClass) {
        return isolationClass.map(c -> List.of(new Owner(key, c))).orElse(List.of());
    }

    /** A DPUServiceInterface owns no row itself; its children do, and go with it. */
    private CompletionStage<List<Owner>> childOwners(ResourceKey key, ResourceView view) {
        List<CompletableFuture<List<Owner>>> children = new ArrayList<>();
        if (view.statusFields().get("serviceInterfaces") instanceof List<?> list) {
            for (Object child : list) {
                if (child instanceof Map<?, ?> m && m.get("name") instanceof String name) {
                    ResourceKey si = ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, key.namespace(), name);
                    children.add(service.get(si).thenCompose(v -> v.isEmpty() ? done(List.<Owner>of())
                            : interfaceOwner(si, (ServiceInterfaceTemplate) v.get().spec())).toCompletableFuture());
                }
            }
        }
        return CompletableFuture.allOf(children.toArray(CompletableFuture[]::new))
                .thenApply(all -> children.stream().flatMap(c -> c.join().stream()).toList());
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
