package io.dpuvpc.ovn.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CompactValuesTest {
    private static final UUID ID = UUID.fromString("6a1c4f0e-33a8-4d1e-9b53-0f5e3c1d2b7a");

    @Test
    void aRowIsEqualToTheSameRowBuiltFromAnyMapsAndKeepsTheWireOrder() {
        Map<String, Object> decoded = new LinkedHashMap<>();
        decoded.put("name", "default_si-1");
        decoded.put("addresses", new LinkedHashSet<>(List.of("0a:00:00:00:00:01 dynamic")));
        decoded.put("tag", new LinkedHashSet<>());
        decoded.put("port_security", new LinkedHashSet<>(List.of("b", "a", "c")));
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("vpc.dpu.nvidia.com/owner-kind", "ServiceInterface");
        ids.put("vpc.dpu.nvidia.com/owner-name", "si-1");
        decoded.put("external_ids", ids);
        Row row = new Row("Logical_Switch_Port", ID, decoded);

        Map<String, Object> plain = new HashMap<>();
        plain.put("name", "default_si-1");
        plain.put("addresses", Set.of("0a:00:00:00:00:01 dynamic"));
        plain.put("tag", Set.of());
        plain.put("port_security", Set.of("a", "b", "c"));
        plain.put("external_ids", Map.of("vpc.dpu.nvidia.com/owner-name", "si-1", "vpc.dpu.nvidia.com/owner-kind", "ServiceInterface"));
        Row same = new Row("Logical_Switch_Port", ID, plain);

        assertThat(row).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(row.columns()).isEqualTo(plain);
        assertThat(plain).isEqualTo(row.columns());
        assertThat(row.columns().keySet()).containsExactly("name", "addresses", "tag", "port_security", "external_ids");
        assertThat(row.<String>getSet("port_security")).containsExactly("b", "a", "c");
        assertThat(row.getStringMap("external_ids").keySet())
            .containsExactly("vpc.dpu.nvidia.com/owner-kind", "vpc.dpu.nvidia.com/owner-name");
        // A key that is equal but not the same object is found.
        assertThat(row.getString(new String("name"))).isEqualTo("default_si-1");
        assertThat(row.getStringMap("external_ids").get(new String("vpc.dpu.nvidia.com/owner-name"))).isEqualTo("si-1");
    }

    @Test
    void whatARowHoldsCannotBeChangedAndAbsentKeysAreNull() {
        Row row = new Row("Logical_Switch", ID, new LinkedHashMap<>(Map.of("ports", new LinkedHashSet<>(),
            "external_ids", new LinkedHashMap<>(Map.of("k", "v")))));
        assertThatThrownBy(() -> row.columns().put("name", "x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> row.getStringMap("external_ids").put("k2", "v")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> row.getSet("ports").add(ID)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> row.columns().entrySet().iterator().remove()).isInstanceOf(RuntimeException.class);
        // The decoder's maps answered null for a null key; so do these.
        assertThat(row.get(null)).isNull();
        assertThat(row.getStringMap("external_ids").get(null)).isNull();
        assertThat(row.getSet("ports").contains(null)).isFalse();
        assertThat(row.get("name")).isNull();
    }

    @Test
    void rowsWithTheSameColumnsShareOneKeyArrayAndMapKeysAreShared() {
        Row a = new Row("Logical_Switch", ID, new LinkedHashMap<>(Map.of("name", "a", "external_ids",
            new LinkedHashMap<>(Map.of(new String("owner"), "a")))));
        Row b = new Row("Logical_Switch", UUID.randomUUID(), new LinkedHashMap<>(Map.of("name", "b", "external_ids",
            new LinkedHashMap<>(Map.of(new String("owner"), "b")))));
        String keyA = a.getStringMap("external_ids").keySet().iterator().next();
        String keyB = b.getStringMap("external_ids").keySet().iterator().next();
        assertThat(keyA).isSameAs(keyB);
        assertThat(a.columns().keySet().iterator().next()).isSameAs(b.columns().keySet().iterator().next());
    }

    @Test
    void largeSetsKeepTheirHashedFormAndSmallOnesBecomeArrays() {
        Set<Object> large = new LinkedHashSet<>();
        IntStream.range(0, CompactValues.SMALL + 1).forEach(i -> large.add(UUID.randomUUID()));
        Set<Object> small = new LinkedHashSet<>(List.of(1L, 2L));
        assertThat(CompactValues.value(java.util.Collections.unmodifiableSet(large))).isNotInstanceOf(CompactValues.ArraySet.class)
            .isEqualTo(large);
        assertThat(CompactValues.value(small)).isInstanceOf(CompactValues.ArraySet.class).isEqualTo(small);
        assertThat(CompactValues.value("atom")).isEqualTo("atom");
    }

    @Test
    void uuidSetsGrowPastTheArraySizeAndShrinkToNothing() {
        Set<UUID> set = null;
        List<UUID> ids = IntStream.range(0, CompactValues.SMALL + 3).mapToObj(i -> UUID.randomUUID()).toList();
        for (UUID id : ids) {
            set = UuidSets.plus(set, id);
            set = UuidSets.plus(set, id); // twice: no duplicate
        }
        assertThat(set).containsExactlyInAnyOrderElementsOf(ids).isNotInstanceOf(CompactValues.ArraySet.class);
        for (UUID id : ids) {
            assertThat(set).as("present before removal").contains(id);
            set = UuidSets.minus(set, id);
        }
        assertThat(set).isNull();

        Set<UUID> two = UuidSets.plus(UuidSets.plus(null, ids.get(0)), ids.get(1));
        Set<UUID> before = two;
        Set<UUID> one = UuidSets.minus(two, ids.get(0));
        assertThat(before).as("an array set is replaced, not changed: readers keep what they had")
            .containsExactly(ids.get(0), ids.get(1));
        assertThat(one).containsExactly(ids.get(1));
        assertThat(UuidSets.minus(one, ids.get(0))).isSameAs(one);
        assertThat(UuidSets.minus(one, ids.get(1))).isNull();
    }

    @Test
    void valuesOfAFieldWithFewDistinctValuesAreSharedAndOfOneWithManyAreNot() {
        String kind = "StringPoolsTest-kind";
        String first = StringPools.shared(kind, new String("ServiceInterface"));
        assertThat(StringPools.shared(kind, new String("ServiceInterface"))).isSameAs(first);

        String name = "StringPoolsTest-name";
        for (int i = 0; i <= StringPools.DISTINCT; i++) {
            StringPools.shared(name, "si-" + i);
        }
        // Past DISTINCT values the field is closed: even a value seen before is no longer pooled.
        String again = new String("si-0");
        assertThat(StringPools.shared(name, again)).isSameAs(again);
        assertThat(StringPools.shared(kind, new String("ServiceInterface"))).isSameAs(first);
    }
}
