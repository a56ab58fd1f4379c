package io.dpuvpc.actors.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Immutable, null-tolerant copies for record components (null becomes empty). */
final class Collections2 {
  private Collections2() {}

  /** A sorted unmodifiable copy, so equal maps also serialize identically. */
  static Map<String, String> sortedCopy(Map<String, String> map) {
    return map == null || map.isEmpty()
        ? Map.of()
        : Collections.unmodifiableMap(new TreeMap<>(map));
  }

  static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}
