package io.dpuvpc.http.document;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" for unknown field names: the known name nearest by edit distance, if near enough. */
final class Suggestions {
    private Suggestions() {}

    /** Advice for an unknown {@code name}: the likely intended field, or the list of known ones. */
    static String suggest(String name, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        if (best != null && bestDistance <= Math.max(2, name.length() / 4)) {
            return "did you mean " + best + "? Correct the name or remove the field";
        }
        return known.isEmpty()
                ? "remove it"
                : "remove it or correct its name; the fields here are " + String.join(", ", known);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
