package io.dpuvpc.app.kube;

import io.dpuvpc.actors.changes.ChangeFeed;
import io.dpuvpc.actors.changes.ChangeSubscription;
import io.dpuvpc.actors.entity.EntityDirectory;
import io.dpuvpc.http.api.EntityResourceService;
import io.dpuvpc.k8s.Clusters;
import io.dpuvpc.k8s.GenerationLedger;
import io.dpuvpc.k8s.ResourceInformers;
import io.dpuvpc.k8s.ResourceTypes;
import io.dpuvpc.k8s.StatusPublisher;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Scheduler;

/**
 * The controller driven by Kubernetes, as the reference is: informers on the host cluster
 * (IsolationClasses, DPUVPCs, DPUVirtualNetworks, DPUServiceInterfaces) and on the DPU cluster
 * (ServiceInterfaces, Nodes) feeding the entities, and a status publisher writing their conditions
 * back. Runs beside the admin API, on the same entities.
 */
public final class KubernetesIngress implements AutoCloseable {

    /**
     * {@code kubeconfig}: the host cluster's (empty: in-cluster, from the pod's service account);
     * {@code dpuKubeconfig}: the DPU cluster's (empty: the host cluster serves both).
     */
    public record Settings(Optional<Path> kubeconfig, Optional<Path> dpuKubeconfig, StatusPublisher.Settings publisher,
                           Duration syncTimeout) {}

    private final Clusters clusters;
    private final ResourceInformers informers;
    private final StatusPublisher publisher;
    private final List<ChangeSubscription> changes;

    private KubernetesIngress(Clusters clusters, ResourceInformers informers, StatusPublisher publisher,
                              List<ChangeSubscription> changes) {
        this.clusters = clusters;
        this.informers = informers;
        this.publisher = publisher;
        this.changes = changes;
    }

    public static KubernetesIngress start(Settings settings, EntityResourceService service, EntityDirectory directory,
                                          ActorSystem<?> system, Consumer<String> progress) {
        Scheduler scheduler = system.scheduler();
        KubernetesClient host = client(settings.kubeconfig(), "--kubeconfig");
        KubernetesClient dpu = settings.dpuKubeconfig().isPresent() ? client(settings.dpuKubeconfig(), "--dpu-kubeconfig")
                : host;
        Clusters clusters = new Clusters(host, dpu);
        progress.accept("watching Kubernetes: host cluster " + host.getMasterUrl()
                + (clusters.shared() ? " (also the DPU cluster)" : ", DPU cluster " + dpu.getMasterUrl()));
        GenerationLedger ledger = new GenerationLedger();
        ResourceInformers informers = new ResourceInformers(clusters,
                new EntitySink(service, directory, scheduler, Duration.ofSeconds(30)), ledger, 0);
        try {
            long t0 = System.nanoTime();
            informers.start();
            long deadline = System.nanoTime() + settings.syncTimeout().toNanos();
            while (!informers.hasSynced()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Kubernetes informers did not list every kind within "
                            + settings.syncTimeout().toSeconds() + " s");
                }
                Thread.sleep(50);
            }
            progress.accept("Kubernetes informers synced in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } catch (KubernetesClientException e) {
            informers.close();
            closeClients(clusters);
            throw new IllegalStateException(e.getCode() == 404
                    ? "a CRD is missing in the cluster at " + host.getMasterUrl() + ": install them with "
                            + "kubectl apply -f k8s/crds/ (" + e.getMessage() + ")"
                    : "cannot watch Kubernetes at " + host.getMasterUrl() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            informers.close();
            closeClients(clusters);
            throw new IllegalStateException("interrupted while the informers synced", e);
        }
        StatusPublisher publisher = new StatusPublisher(informers, new EntityStatusSource(service), ledger,
                settings.publisher(), Clock.systemUTC());
        publisher.start();
        // What changed is written at once; the publisher's poll stays as the safety net (and for
        // refused specs, which change no entity).
        List<ChangeSubscription> changes = ResourceTypes.SERVED.stream().map(kind -> ChangeSubscription.open(system,
                new ChangeFeed.Filter(kind, ""), publisher::changed)).toList();
        return new KubernetesIngress(clusters, informers, publisher, changes);
    }

    @Override
    public void close() {
        changes.forEach(ChangeSubscription::close);
        publisher.close();
        informers.close();
        closeClients(clusters);
    }

    private static void closeClients(Clusters clusters) {
        clusters.host().close();
        if (!clusters.shared()) {
            clusters.dpu().close();
        }
    }

    private static KubernetesClient client(Optional<Path> kubeconfig, String option) {
        if (kubeconfig.isEmpty()) {
            return new KubernetesClientBuilder().withConfig(Config.autoConfigure(null)).build();
        }
        Path file = kubeconfig.get();
        try {
            return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(null, Files.readString(file),
                    file.toString())).build();
        } catch (IOException e) {
            throw new UncheckedIOException(option + " " + file + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }
}
