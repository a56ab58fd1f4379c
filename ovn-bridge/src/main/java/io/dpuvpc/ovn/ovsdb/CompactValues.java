package io.dpuvpc.ovn.ovsdb;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/**
 * Compact, immutable shapes for what a cached {@link Row} holds. The decoder builds each set and
 * map as a LinkedHashSet/LinkedHashMap (wire order kept), about 170 bytes empty and 40 more per
 * element; a Northbound row has a dozen such columns, most of them empty or holding one element.
 * At 17,800 interfaces (206,000 cached rows) that was 5.3 million map entries and 213 MB of the
 * controller's live heap. Here a row's columns share one key array per column set, small sets and
 * maps are arrays in wire order, map keys (a few dozen distinct {@code external_ids} and
 * {@code options} keys) are shared, and so are the values of keys and string columns that take
 * few distinct values ({@link StringPools}). Large sets and maps (a switch's ports, a port group's) keep
 * their hashed form, so membership stays constant time where it is asked most.
 */
final class CompactValues {
    private CompactValues() {}

    /** Up to this many elements a set or map is an array searched in order. */
    static final int SMALL = 16;
    /** Distinct strings kept for sharing; past this, new ones are not shared (unique values must not grow it). */
    private static final int MAX_SHARED = 8192;
    private static final Map<String, String> SHARED = new ConcurrentHashMap<>();
    private static final Map<List<String>, String[]> LAYOUTS = new ConcurrentHashMap<>();
    // Not Set.of()/Map.of(): those throw on contains(null)/get(null), and the decoder's shapes did not.
    private static final Set<Object> EMPTY_SET = new ArraySet<>(new Object[0]);
    private static final Map<Object, Object> EMPTY_MAP = new ArrayMap<>(new Object[0], new Object[0]);

    /** A row's columns: one key array shared by every row with the same columns, values compacted. */
    static Map<String, Object> columns(Map<String, Object> columns) {
        if (columns instanceof ArrayMap) {
            return columns;
        }
        String[] names = new String[columns.size()];
        Object[] values = new Object[names.length];
        int i = 0;
        for (Map.Entry<String, Object> e : columns.entrySet()) {
            names[i] = e.getKey();
            Object value = e.getValue();
            values[i++] = value instanceof String string ? StringPools.shared(e.getKey(), string) : value(value);
        }
        String[] layout = names.length > 64 ? names : LAYOUTS.computeIfAbsent(List.of(names), k -> names);
        return new ArrayMap<>(layout, values);
    }

    /** A column's value in its compact form (an atom as it is). */
    static Object value(Object value) {
        if (value instanceof Set<?> set) {
            return set(set);
        }
        if (value instanceof Map<?, ?> map) {
            return map(map);
        }
        return value;
    }

    private static Set<?> set(Set<?> set) {
        int size = set.size();
        if (size == 0) {
            return EMPTY_SET;
        }
        if (size > SMALL || set instanceof ArraySet) {
            return set;
        }
        return new ArraySet<>(set.toArray());
    }

    private static Map<?, ?> map(Map<?, ?> map) {
        int size = map.size();
        if (size == 0) {
            return EMPTY_MAP;
        }
        if (size > SMALL || map instanceof ArrayMap) {
            return map;
        }
        Object[] keys = new Object[size];
        Object[] values = new Object[size];
        int i = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object key = e.getKey() instanceof String s ? shared(s) : e.getKey();
            keys[i] = key;
            // A value is shared by its key's pool: owner-kind's few values are, owner-name's are not.
            values[i++] = key instanceof String k && e.getValue() instanceof String v ? StringPools.shared(k, v) : e.getValue();
        }
        return new ArrayMap<>(keys, values);
    }

    /** The one copy of {@code s} kept for sharing, or {@code s} when the table of shared strings is full. */
    static String shared(String s) {
        String known = SHARED.get(s);
        if (known != null) {
            return known;
        }
        if (SHARED.size() >= MAX_SHARED) {
            return s;
        }
        String previous = SHARED.putIfAbsent(s, s);
        return previous != null ? previous : s;
    }

    /** An iterator over positions 0 to {@code size - 1}, without remove. */
    private static <T> Iterator<T> indexed(int size, IntFunction<T> at) {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public T next() {
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                return at.apply(next++);
            }
        };
    }

    /** An immutable map over two arrays, in the order given; keys are compared by identity first. */
    static final class ArrayMap<K, V> extends AbstractMap<K, V> {
        private final Object[] keys;
        private final Object[] values;

        ArrayMap(Object[] keys, Object[] values) {
            this.keys = keys;
            this.values = values;
        }

        private int indexOf(Object key) {
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] == key) {
                    return i;
                }
            }
            if (key != null) {
                for (int i = 0; i < keys.length; i++) {
                    if (key.equals(keys[i])) {
                        return i;
                    }
                }
            }
            return -1;
        }

        @Override
        public int size() {
            return keys.length;
        }

        @Override
        @SuppressWarnings("unchecked")
        public V get(Object key) {
            int i = indexOf(key);
            return i < 0 ? null : (V) values[i];
        }

        @Override
        public boolean containsKey(Object key) {
            return indexOf(key) >= 0;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void forEach(BiConsumer<? super K, ? super V> action) {
            for (int i = 0; i < keys.length; i++) {
                action.accept((K) keys[i], (V) values[i]);
            }
        }

        @Override
        public Set<Entry<K, V>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return keys.length;
                }

                @Override
                @SuppressWarnings("unchecked")
                public Iterator<Entry<K, V>> iterator() {
                    return indexed(keys.length, i -> new SimpleImmutableEntry<>((K) keys[i], (V) values[i]));
                }
            };
        }
    }

    /** An immutable set over an array of distinct elements, in the order given. */
    static final class ArraySet<E> extends AbstractSet<E> {
        private final Object[] elements;

        ArraySet(Object[] elements) {
            this.elements = elements;
        }

        @Override
        public int size() {
            return elements.length;
        }

        @Override
        public boolean contains(Object o) {
            for (Object e : elements) {
                if (e.equals(o)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Iterator<E> iterator() {
            return indexed(elements.length, i -> (E) elements[i]);
        }

        @Override
        public Object[] toArray() {
            return Arrays.copyOf(elements, elements.length);
        }
    }
}
