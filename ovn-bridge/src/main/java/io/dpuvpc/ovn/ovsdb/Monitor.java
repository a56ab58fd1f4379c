package io.dpuvpc.ovn.ovsdb;

/**
 * A monitor registered with {@link OvsdbClient#monitor}: it keeps its {@link DatabaseCache} in
 * step with the server and is re-established after every reconnect (with monitor_cond_since the
 * server sends only what changed while we were away).
 */
public final class Monitor {
    private final String id;
    private final MonitorRequest request;
    private final DatabaseCache cache;
    private volatile MonitorMethod method;

    Monitor(String id, MonitorRequest request, DatabaseCache cache) {
        this.id = id;
        this.request = request;
        this.cache = cache;
    }

    /** The monitor id on the wire, a JSON string. */
    public String id() {
        return id;
    }

    public MonitorRequest request() {
        return request;
    }

    public DatabaseCache cache() {
        return cache;
    }

    /** The method the server accepted last, or null before the first reply. */
    public MonitorMethod method() {
        return method;
    }

    void method(MonitorMethod method) {
        this.method = method;
    }
}
