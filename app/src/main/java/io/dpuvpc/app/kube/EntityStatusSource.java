package io.dpuvpc.app.kube;

import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.http.api.EntityResourceService;
import io.dpuvpc.http.api.ResourceView;
import io.dpuvpc.k8s.StatusSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The status publisher's reads, through the same {@link EntityResourceService} the admin API reads with. */
final class EntityStatusSource implements StatusSource {
    private final EntityResourceService service;

    EntityStatusSource(EntityResourceService service) {
        this.service = service;
    }

    @Override
    public CompletionStage<Optional<Observed>> status(ResourceKey key) {
        return service.get(key).thenApply(view -> view.map(EntityStatusSource::observed));
    }

    private static Observed observed(ResourceView view) {
        Map<String, Object> status = view.statusFields();
        List<Child> children = new ArrayList<>();
        if (status.get("serviceInterfaces") instanceof List<?> list) {
            for (Object child : list) {
                if (child instanceof Map<?, ?> m && m.get("node") instanceof String node && m.get("name") instanceof String name) {
                    children.add(new Child(node, name));
                }
            }
        }
        Boolean connected = status.get("portConnected") instanceof Boolean b ? b : null;
        String mac = status.get("macAddress") instanceof String s ? s : null;
        return new Observed(view.metadata().generation(), view.conditions(), connected, mac, children);
    }
}
