package io.dpuvpc.app.client;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.dpuvpc.http.document.ServedKind;

/**
 * {@code vpc get}'s table, as kubectl prints one: upper-case headers, columns three spaces apart,
 * NAMESPACE first across namespaces, NAME, READY (the Ready condition's status), the kind's own
 * columns, AGE; {@code -o wide} adds an interface's MAC and IP, and the Ready condition's REASON
 * and MESSAGE.
 */
public final class ResourceTable {
    private ResourceTable() {}

    private static final String NONE = "<none>";

    /** A column of the kind's own: header and the field path under the document (e.g. spec.vpcName). */
    private record Column(String header, String... path) {}

    /** The table of {@code items} (rendered resources of {@code kind}) at {@code now}. */
    public static String render(ServedKind kind, List<JsonNode> items, boolean allNamespaces, boolean wide, Instant now) {
        boolean namespaceColumn = allNamespaces && kind.namespaced();
        List<Column> own = new ArrayList<>(columns(kind));
        if (wide) {
            own.addAll(wideColumns(kind));
        }
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>();
        if (namespaceColumn) {
            header.add("NAMESPACE");
        }
        header.add("NAME");
        header.add("READY");
        own.forEach(c -> header.add(c.header()));
        header.add("AGE");
        if (wide) {
            header.add("REASON");
            header.add("MESSAGE");
        }
        rows.add(header);
        for (JsonNode item : items) {
            List<String> row = new ArrayList<>();
            JsonNode metadata = item.path("metadata");
            if (namespaceColumn) {
                row.add(metadata.path("namespace").asText(NONE));
            }
            row.add(metadata.path("name").asText(NONE));
            Optional<JsonNode> ready = condition(item, "Ready");
            // An IsolationClass has no conditions, so no readiness to show; the others without Ready yet: Unknown.
            String noReady = kind.kind() == io.dpuvpc.actors.model.ResourceKind.ISOLATION_CLASS ? NONE : "Unknown";
            row.add(ready.map(c -> c.path("status").asText("Unknown")).orElse(noReady));
            for (Column column : own) {
                JsonNode value = item;
                for (String field : column.path()) {
                    value = value.path(field);
                }
                row.add(value.isValueNode() && !value.asText().isEmpty() ? value.asText() : NONE);
            }
            row.add(age(metadata.path("creationTimestamp").asText(""), now));
            if (wide) {
                row.add(ready.map(c -> c.path("reason").asText("")).filter(s -> !s.isEmpty()).orElse(NONE));
                row.add(ready.map(c -> oneLine(c.path("message").asText(""))).filter(s -> !s.isEmpty()).orElse(NONE));
            }
            rows.add(row);
        }
        return align(rows);
    }

    /** The condition of {@code type} in the document's {@code status.conditions}. */
    public static Optional<JsonNode> condition(JsonNode document, String type) {
        for (JsonNode condition : document.path("status").path("conditions")) {
            if (type.equals(condition.path("type").asText())) {
                return Optional.of(condition);
            }
        }
        return Optional.empty();
    }

    /** The AGE of a resource created at {@code creationTimestamp} (RFC 3339), or {@code <unknown>}. */
    public static String age(String creationTimestamp, Instant now) {
        try {
            return humanDuration(Duration.between(Instant.parse(creationTimestamp), now));
        } catch (DateTimeParseException e) {
            return "<unknown>";
        }
    }

    /** kubectl's rounding of an age (apimachinery's {@code duration.HumanDuration}): 90s, 5m30s, 3h, 2d4h, 400d. */
    public static String humanDuration(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 60 * 2) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        } else if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        } else if (hours < 48) {
            return hours + "h";
        } else if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        } else if (hours < 24 * 365 * 8) {
            long days = (hours / 24) % 365;
            return days == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + days + "d";
        }
        return hours / 24 / 365 + "y";
    }

    private static List<Column> columns(ServedKind kind) {
        return switch (kind.kind()) {
            case DPU_VPC -> List.of(new Column("TENANT", "spec", "tenant"));
            case DPU_VIRTUAL_NETWORK -> List.of(
                    new Column("SUBNET", "spec", "bridgedNetwork", "ipam", "ipv4", "subnet"),
                    new Column("VPC", "spec", "vpcName"));
            case SERVICE_INTERFACE -> List.of(new Column("NODE", "spec", "node"),
                    new Column("NETWORK", "spec", "virtualNetwork"));
            default -> List.of();
        };
    }

    /** What {@code -o wide} adds: for an interface, what its host needs (the MAC to take) and what DHCP gave it. */
    private static List<Column> wideColumns(ServedKind kind) {
        return switch (kind.kind()) {
            case SERVICE_INTERFACE -> List.of(new Column("MAC", "status", "macAddress"),
                    new Column("IP", "status", "ipAddress"));
            default -> List.of();
        };
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /** Columns padded to their widest cell plus three spaces (kubectl's tabwriter); the last one unpadded. */
    private static String align(List<List<String>> rows) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? row.get(i) : String.format(Locale.ROOT, "%-" + (widths[i] + 3) + "s", row.get(i)));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
