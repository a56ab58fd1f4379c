package io.dpuvpc.k8s;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The table {@code kubectl get} prints, read by its header: a cell is the text under its column's
 * header word. Columns are split by the header's positions rather than by spaces, so an empty cell
 * (a READY nobody has written yet) stays in its column.
 */
record KubectlTable(List<String> header, List<Map<String, String>> rows) {

    static KubectlTable parse(String output) {
        List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
        if (lines.isEmpty()) {
            return new KubectlTable(List.of(), List.of());
        }
        String headerLine = lines.get(0);
        List<String> header = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < headerLine.length(); i++) {
            if (headerLine.charAt(i) != ' ' && (i == 0 || headerLine.charAt(i - 1) == ' ')) {
                starts.add(i);
                int end = headerLine.indexOf(' ', i);
                header.add(headerLine.substring(i, end < 0 ? headerLine.length() : end));
            }
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                int from = Math.min(starts.get(c), line.length());
                int to = c + 1 < header.size() ? Math.min(starts.get(c + 1), line.length()) : line.length();
                row.put(header.get(c), line.substring(from, to).trim());
            }
            rows.add(row);
        }
        return new KubectlTable(header, rows);
    }

    /** The row whose NAME is {@code name}. */
    Map<String, String> row(String name) {
        return rows.stream().filter(r -> name.equals(r.get("NAME"))).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + name + " in " + rows));
    }
}
