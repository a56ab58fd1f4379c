package io.dpuvpc.ovn.ovsdb;

/** The monitor flavours, newest first; the client falls back down this list on "unknown method". */
public enum MonitorMethod {
    /** ovsdb-server 2.12+: resumes from a transaction id after a reconnect (update3). */
    MONITOR_COND_SINCE("monitor_cond_since"),
    /** ovsdb-server 2.6+: conditions and row diffs (update2). */
    MONITOR_COND("monitor_cond"),
    /** RFC 7047 4.1.5: whole rows (update). */
    MONITOR("monitor");

    private final String wireName;

    MonitorMethod(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The next older method, or null. */
    MonitorMethod older() {
        return this == MONITOR_COND_SINCE ? MONITOR_COND : this == MONITOR_COND ? MONITOR : null;
    }
}
