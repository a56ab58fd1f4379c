package io.dpuvpc.ovn.ovsdb;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sets of row uuids {@link TableCache}'s indexes hold, changed only inside the index map's
 * {@code compute}, by the one writing thread. Most hold a single row (a name, an owner, a port's
 * switch): up to {@link CompactValues#SMALL} they are immutable arrays replaced whole, so a reader
 * iterates either the old or the new one; past that a concurrent set changed in place, as every
 * set was before (about 200 bytes each, and the cache had two and a half per row).
 */
final class UuidSets {
    private UuidSets() {}

    /** {@code set} with {@code uuid} (null: none yet); the set to keep under the key. */
    static Set<UUID> plus(Set<UUID> set, UUID uuid) {
        if (set == null) {
            return new CompactValues.ArraySet<>(new Object[] {uuid});
        }
        if (set.contains(uuid)) {
            return set;
        }
        if (!(set instanceof CompactValues.ArraySet)) {
            set.add(uuid);
            return set;
        }
        if (set.size() < CompactValues.SMALL) {
            Object[] elements = set.toArray(new Object[set.size() + 1]);
            elements[set.size()] = uuid;
            return new CompactValues.ArraySet<>(elements);
        }
        Set<UUID> large = ConcurrentHashMap.newKeySet();
        large.addAll(set);
        large.add(uuid);
        return large;
    }

    /** {@code set} without {@code uuid}; null when nothing is left, so that the key goes. */
    static Set<UUID> minus(Set<UUID> set, UUID uuid) {
        if (!set.contains(uuid)) {
            return set;
        }
        if (!(set instanceof CompactValues.ArraySet)) {
            set.remove(uuid);
            return set.isEmpty() ? null : set;
        }
        if (set.size() == 1) {
            return null;
        }
        Object[] elements = new Object[set.size() - 1];
        int i = 0;
        for (UUID element : set) {
            if (!element.equals(uuid)) {
                elements[i++] = element;
            }
        }
        return new CompactValues.ArraySet<>(elements);
    }
}
