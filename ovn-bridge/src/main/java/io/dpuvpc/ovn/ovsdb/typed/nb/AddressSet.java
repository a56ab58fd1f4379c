package io.dpuvpc.ovn.ovsdb.typed.nb;

import io.dpuvpc.ovn.ovsdb.typed.Required;
import io.dpuvpc.ovn.ovsdb.typed.TableView;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** A row of {@code Address_Set}: addresses that ACL matches refer to as {@code $name}. */
public record AddressSet(UUID uuid, String name, Set<String> addresses, Map<String, String> externalIds) {

    public static final TableView<AddressSet> TABLE = TableView.of(Northbound.DATABASE, "Address_Set",
        List.of("name", "addresses", "external_ids"),
        row -> new AddressSet(row.uuid(), Required.string(row, "name"), row.getSet("addresses"),
            row.getStringMap("external_ids")));
}
