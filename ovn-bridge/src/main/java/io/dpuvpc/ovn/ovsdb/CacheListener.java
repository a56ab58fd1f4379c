package io.dpuvpc.ovn.ovsdb;

import java.util.List;

/**
 * Receives the changes of one update notification (or of a resynchronisation), in order, on the
 * executor it was registered with. It runs off the I/O thread, so it may take its time; an actor
 * would just {@code tell} itself the events.
 */
@FunctionalInterface
public interface CacheListener {
    void onEvents(List<CacheEvent> events);
}
