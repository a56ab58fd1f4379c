package io.dpuvpc.ovn.northbound;

import io.dpuvpc.actors.model.ResourceKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code external_ids} keys that mark a Northbound row as ours: the owning resource's kind,
 * namespace (empty for cluster-scoped kinds) and name, the three together in {@link #OWNER} (the
 * key the monitored cache indexes), and the row's own stable id. A row without {@link #OWNER} is
 * not ours and is never touched.
 */
public final class Ownership {
    private Ownership() {}

    public static final String PREFIX = "vpc.dpu.nvidia.com/";
    public static final String OWNER = PREFIX + "owner";
    public static final String OWNER_KIND = PREFIX + "owner-kind";
    public static final String OWNER_NAMESPACE = PREFIX + "owner-namespace";
    public static final String OWNER_NAME = PREFIX + "owner-name";
    public static final String ID = PREFIX + "id";

    /** The value of {@link #OWNER} for a resource: {@code Kind/namespace/name} ({@link ResourceKey#toString}). */
    public static String ownerValue(ResourceKey owner) {
        return owner.toString();
    }

    /** {@code external_ids} of a row of {@code owner} with id {@code id}, over {@code extra}. */
    public static Map<String, String> externalIds(ResourceKey owner, String id, Map<String, String> extra) {
        Map<String, String> ids = new LinkedHashMap<>(extra);
        ids.put(OWNER, ownerValue(owner));
        ids.put(OWNER_KIND, owner.kind().kindName());
        ids.put(OWNER_NAMESPACE, owner.namespace() == null ? "" : owner.namespace());
        ids.put(OWNER_NAME, owner.name());
        ids.put(ID, id);
        return ids;
    }
}
