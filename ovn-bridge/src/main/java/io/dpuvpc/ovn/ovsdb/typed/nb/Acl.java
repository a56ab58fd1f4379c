package io.dpuvpc.ovn.ovsdb.typed.nb;

import io.dpuvpc.ovn.ovsdb.typed.Required;
import io.dpuvpc.ovn.ovsdb.typed.TableView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A row of {@code ACL}: one security rule, {@code action} on packets matching {@code match} in
 * {@code direction} ({@code from-lport} or {@code to-lport}).
 */
public record Acl(UUID uuid, Optional<String> name, long priority, String direction, String match, String action,
                  boolean log, Optional<String> severity, Optional<String> meter, long label, Map<String, String> options,
                  Map<String, String> externalIds) {

    public static final TableView<Acl> TABLE = TableView.of(Northbound.DATABASE, "ACL",
        List.of("name", "priority", "direction", "match", "action", "log", "severity", "meter", "label", "options",
            "external_ids"),
        row -> new Acl(row.uuid(), row.string("name"), Required.integer(row, "priority"), Required.string(row, "direction"),
            Required.string(row, "match"), Required.string(row, "action"), Required.bool(row, "log"), row.string("severity"),
            row.string("meter"), Required.integer(row, "label"), row.getStringMap("options"),
            row.getStringMap("external_ids")));
}
