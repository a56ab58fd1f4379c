package io.dpuvpc.actors.changes;

/**
 * Marks an entity command whose handling changes nothing a reader of the entity would see: a
 * status query, a listing, the entity's own passivation. The {@link ChangeNotifier} tells the
 * {@link ChangeFeed} about every other command; without this mark a watcher's own read of an
 * entity would count as a change of it, and read it again for ever.
 */
public interface ReadOnlyCommand {}
