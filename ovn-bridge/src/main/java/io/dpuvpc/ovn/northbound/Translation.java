package io.dpuvpc.ovn.northbound;

import java.util.List;
import java.util.Set;

/**
 * The rows an intent translates to, the ids of other owners' rows the translation read (when one
 * of them changes, translate again), and what it still waits for (rows left out until then).
 */
public record Translation(OwnerRows rows, Set<String> readIds, List<String> waitingFor) {
    public Translation {
        readIds = Set.copyOf(readIds);
        waitingFor = List.copyOf(waitingFor);
    }
}
