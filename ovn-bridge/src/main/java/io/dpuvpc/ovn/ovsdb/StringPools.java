package io.dpuvpc.ovn.ovsdb;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One copy of each value of a field that takes few distinct values. Every cached Northbound row
 * carries {@code owner-kind}, {@code owner-namespace} and a column {@code type} decoded afresh from
 * the wire, the same few strings hundreds of thousands of times. A pool per field (a map key or a
 * column name) keeps up to {@value #DISTINCT} values; a field that shows more (a name, a uid) is
 * closed for good and its values are left as they are, so unique values never grow the pools.
 */
final class StringPools {
    private StringPools() {}

    /** Distinct values a field may show and still be pooled. */
    static final int DISTINCT = 64;
    /** Fields with a pool; past this, new fields are not pooled. */
    private static final int MAX_FIELDS = 4096;
    private static final Map<String, Pool> POOLS = new ConcurrentHashMap<>();

    /** The pooled copy of {@code value} of {@code field}, or {@code value} itself. */
    static String shared(String field, String value) {
        Pool pool = POOLS.get(field);
        if (pool == null) {
            if (POOLS.size() >= MAX_FIELDS) {
                return value;
            }
            pool = POOLS.computeIfAbsent(field, f -> new Pool());
        }
        return pool.shared(value);
    }

    private static final class Pool {
        private final Map<String, String> values = new ConcurrentHashMap<>();
        private volatile boolean closed;

        String shared(String value) {
            if (closed) {
                return value;
            }
            String known = values.get(value);
            if (known != null) {
                return known;
            }
            if (values.size() >= DISTINCT) {
                closed = true;
                values.clear();
                return value;
            }
            String previous = values.putIfAbsent(value, value);
            return previous != null ? previous : value;
        }
    }
}
