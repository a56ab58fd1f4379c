package io.dpuvpc.ovn.northbound;

import io.dpuvpc.actors.entity.DpuVirtualNetworkEntity;
import io.dpuvpc.actors.entity.DpuVpcEntity;
import io.dpuvpc.actors.entity.EntityDirectory;
import io.dpuvpc.actors.entity.ServiceInterfaceEntity;
import io.dpuvpc.actors.model.ResourceKey;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * {@link OwnerCheck} by asking the owner's entity, wherever in the cluster it runs. Kinds that own
 * no rows are reported as existing, so nothing of theirs is ever collected.
 */
final class EntityOwnerCheck implements OwnerCheck {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final EntityDirectory directory;
    private final ActorSystem<?> system;

    EntityOwnerCheck(EntityDirectory directory, ActorSystem<?> system) {
        this.directory = directory;
        this.system = system;
    }

    @Override
    public CompletionStage<Boolean> exists(ResourceKey owner) {
        String ns = owner.namespace();
        return switch (owner.kind()) {
            case DPU_VPC -> AskPattern.<DpuVpcEntity.Command, DpuVpcEntity.Status>ask(directory.vpc(ns, owner.name()),
                    DpuVpcEntity.GetStatus::new, TIMEOUT, system.scheduler()).thenApply(DpuVpcEntity.Status::exists);
            case DPU_VIRTUAL_NETWORK -> AskPattern.<DpuVirtualNetworkEntity.Command, DpuVirtualNetworkEntity.Status>ask(
                    directory.network(ns, owner.name()), DpuVirtualNetworkEntity.GetStatus::new, TIMEOUT, system.scheduler())
                    .thenApply(DpuVirtualNetworkEntity.Status::exists);
            case SERVICE_INTERFACE -> AskPattern.<ServiceInterfaceEntity.Command, ServiceInterfaceEntity.Status>ask(
                    directory.serviceInterface(ns, owner.name()), ServiceInterfaceEntity.GetStatus::new, TIMEOUT,
                    system.scheduler()).thenApply(ServiceInterfaceEntity.Status::exists);
            default -> CompletableFuture.completedFuture(true);
        };
    }
}
