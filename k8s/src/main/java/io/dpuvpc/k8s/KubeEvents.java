package io.dpuvpc.k8s;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events for notable transitions, what {@code kubectl describe} shows under Events:
 * core/v1 Events (served by every API server this product meets, 1.20 included). An event that
 * cannot be written is logged, never retried: events are a courtesy, status is the record.
 */
public final class KubeEvents {
    /** The reporting component, as {@code kubectl describe} prints it under From. */
    public static final String COMPONENT = "dpu-vpc-controller";
    private static final Logger log = LoggerFactory.getLogger(KubeEvents.class);

    private KubeEvents() {}

    /** {@code type}: Normal or Warning. Cluster-scoped objects' events go to the default namespace, as Kubernetes does. */
    public static void record(KubernetesClient client, HasMetadata about, String type, String reason, String message) {
        String namespace = about.getMetadata().getNamespace() == null ? "default" : about.getMetadata().getNamespace();
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        var event = new EventBuilder()
                .withNewMetadata()
                    .withGenerateName(about.getMetadata().getName() + ".")
                    .withNamespace(namespace)
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(about.getApiVersion())
                        .withKind(about.getKind())
                        .withName(about.getMetadata().getName())
                        .withNamespace(about.getMetadata().getNamespace())
                        .withUid(about.getMetadata().getUid())
                        .withResourceVersion(about.getMetadata().getResourceVersion())
                        .build())
                .withType(type)
                .withReason(reason)
                .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(namespace).resource(event).create();
        } catch (KubernetesClientException e) {
            log.warn("Could not record the event {} on {} {}: {}", reason, about.getKind(),
                    about.getMetadata().getName(), e.getMessage());
        }
    }
}
