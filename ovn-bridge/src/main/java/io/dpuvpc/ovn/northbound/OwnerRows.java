package io.dpuvpc.ovn.northbound;

import io.dpuvpc.actors.model.ResourceKey;
import java.util.List;

/** Every row one resource owns, as wanted now; an empty list means none (the owner is gone). */
public record OwnerRows(ResourceKey owner, List<DesiredRow> rows) {
    public OwnerRows {
        rows = List.copyOf(rows);
    }

    public static OwnerRows none(ResourceKey owner) {
        return new OwnerRows(owner, List.of());
    }
}
