package io.dpuvpc.ovn.ovsdb.typed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpuvpc.ovn.ovsdb.DatabaseSchema;
import io.dpuvpc.ovn.ovsdb.MonitorRequest;
import io.dpuvpc.ovn.ovsdb.Row;
import io.dpuvpc.ovn.ovsdb.SchemaMismatchException;
import io.dpuvpc.ovn.ovsdb.typed.nb.Acl;
import io.dpuvpc.ovn.ovsdb.typed.nb.LogicalSwitch;
import io.dpuvpc.ovn.ovsdb.typed.nb.LogicalSwitchPort;
import io.dpuvpc.ovn.ovsdb.typed.nb.Northbound;
import io.dpuvpc.ovn.ovsdb.typed.sb.PortBinding;
import io.dpuvpc.ovn.ovsdb.typed.sb.Southbound;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Binding views to schemas, mapping rows to records, and the monitor requests views build. */
class TableViewTest {

    @Test
    void aColumnMissingFromTheSchemaIsNamedWithItsTable() {
        ObjectNode json = InstalledSchemas.json(InstalledSchemas.NB);
        ((ObjectNode) json.path("tables").path("Logical_Switch_Port").path("columns")).remove("port_security");
        DatabaseSchema schema = DatabaseSchema.fromJson(json);

        assertThatThrownBy(() -> LogicalSwitchPort.TABLE.verify(schema))
            .isInstanceOf(SchemaMismatchException.class)
            .hasMessageContaining("Logical_Switch_Port")
            .hasMessageContaining("'port_security'");
        LogicalSwitch.TABLE.verify(schema);
    }

    @Test
    void aTableMissingFromTheSchemaIsNamed() {
        ObjectNode json = InstalledSchemas.json(InstalledSchemas.NB);
        ((ObjectNode) json.path("tables")).remove("ACL");

        assertThatThrownBy(() -> Acl.TABLE.verify(DatabaseSchema.fromJson(json)))
            .isInstanceOf(SchemaMismatchException.class)
            .hasMessageContaining("OVN_Northbound")
            .hasMessageContaining("'ACL'");
    }

    @Test
    void verifyAllNamesEveryViewThatDoesNotFit() {
        ObjectNode json = InstalledSchemas.json(InstalledSchemas.NB);
        ((ObjectNode) json.path("tables").path("Logical_Switch_Port").path("columns")).remove("port_security");
        ((ObjectNode) json.path("tables").path("NAT").path("columns")).remove("gateway_port");
        ((ObjectNode) json.path("tables")).remove("HA_Chassis_Group");
        DatabaseSchema schema = DatabaseSchema.fromJson(json);

        assertThatThrownBy(() -> Northbound.VIEWS.verifyAll(schema))
            .isInstanceOf(SchemaMismatchException.class)
            .hasMessageContaining("does not fit 3 of our views")
            .hasMessageContaining("table Logical_Switch_Port of database OVN_Northbound has no column 'port_security'")
            .hasMessageContaining("table NAT of database OVN_Northbound has no column 'gateway_port'")
            .hasMessageContaining("has no table 'HA_Chassis_Group'");
    }

    @Test
    void aViewChecksTheDatabaseOfTheSchema() {
        DatabaseSchema southbound = InstalledSchemas.schema(InstalledSchemas.SB);

        assertThatThrownBy(() -> LogicalSwitch.TABLE.verify(southbound))
            .isInstanceOf(SchemaMismatchException.class)
            .hasMessageContaining("OVN_Northbound.Logical_Switch")
            .hasMessageContaining("OVN_Southbound");
        assertThatThrownBy(() -> Northbound.VIEWS.verifyAll(southbound)).isInstanceOf(SchemaMismatchException.class);
    }

    @Test
    void mapsSetsMapsAndOptionalScalars() {
        UUID uuid = UUID.randomUUID();
        UUID dhcp = UUID.randomUUID();
        Map<String, Object> columns = new HashMap<>();
        columns.put("name", "vm1-eth0");
        columns.put("type", "");
        columns.put("addresses", Set.of("00:00:00:00:00:01 10.0.0.11", "router"));
        columns.put("port_security", Set.of("00:00:00:00:00:01 10.0.0.11"));
        columns.put("dynamic_addresses", Set.of());
        columns.put("enabled", Set.of(true));
        columns.put("up", Set.of());
        columns.put("parent_name", Set.of("vm1"));
        columns.put("tag", Set.of(42L));
        columns.put("dhcpv4_options", Set.of(dhcp));
        columns.put("dhcpv6_options", Set.of());
        columns.put("ha_chassis_group", Set.of());
        columns.put("options", Map.of("requested-chassis", "dpu-7"));
        columns.put("external_ids", Map.of("vpc", "vpc1", "owner", "dpuvpc"));

        LogicalSwitchPort port = LogicalSwitchPort.TABLE.from(new Row("Logical_Switch_Port", uuid, columns));

        assertThat(port).isEqualTo(new LogicalSwitchPort(uuid, "vm1-eth0", "", Set.of("00:00:00:00:00:01 10.0.0.11", "router"),
            Set.of("00:00:00:00:00:01 10.0.0.11"), Optional.empty(), Optional.of(true), Optional.empty(), Optional.of("vm1"),
            Optional.of(42L), Optional.of(dhcp), Optional.empty(), Optional.empty(), Map.of("requested-chassis", "dpu-7"),
            Map.of("vpc", "vpc1", "owner", "dpuvpc")));
    }

    @Test
    void mapsRequiredScalarsAndReferences() {
        UUID uuid = UUID.randomUUID();
        UUID datapath = UUID.randomUUID();
        UUID chassis = UUID.randomUUID();
        Map<String, Object> columns = new HashMap<>();
        columns.put("logical_port", "vm1-eth0");
        columns.put("type", "");
        columns.put("datapath", datapath);
        columns.put("tunnel_key", 3L);
        columns.put("mac", Set.of("00:00:00:00:00:01 10.0.0.11"));
        columns.put("chassis", Set.of(chassis));
        columns.put("requested_chassis", Set.of());
        columns.put("encap", Set.of());
        columns.put("parent_port", Set.of());
        columns.put("tag", Set.of());
        columns.put("up", Set.of(true));
        columns.put("options", Map.of());
        columns.put("external_ids", Map.of());

        assertThat(PortBinding.TABLE.from(new Row("Port_Binding", uuid, columns))).isEqualTo(new PortBinding(uuid,
            "vm1-eth0", "", datapath, 3L, Set.of("00:00:00:00:00:01 10.0.0.11"), Optional.of(chassis), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(true), Map.of(), Map.of()));
    }

    @Test
    void aRowWithoutAColumnOfTheViewIsRefusedNamingIt() {
        Row row = new Row("Logical_Switch", UUID.randomUUID(), Map.of("name", "sw0", "ports", Set.of(), "acls", Set.of(),
            "external_ids", Map.of()));

        assertThatThrownBy(() -> LogicalSwitch.TABLE.from(row))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("Logical_Switch")
            .hasMessageContaining("'other_config'");
        assertThatThrownBy(() -> LogicalSwitchPort.TABLE.from(row))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("a row of Logical_Switch given to the view of Logical_Switch_Port");
    }

    @Test
    void aMonitorRequestAsksForExactlyTheViewsColumns() {
        MonitorRequest request = TableView.monitorRequest(LogicalSwitch.TABLE, Acl.TABLE);

        assertThat(request.database()).isEqualTo("OVN_Northbound");
        assertThat(request.tables()).containsOnlyKeys("Logical_Switch", "ACL");
        assertThat(request.tables().get("Logical_Switch").columns())
            .containsExactly("name", "ports", "acls", "other_config", "external_ids");
        assertThat(request.tables().get("ACL").columns()).isEqualTo(Acl.TABLE.columns());
        assertThat(Southbound.VIEWS.monitorRequest().tables()).containsOnlyKeys("Chassis", "Chassis_Private", "Encap",
            "Port_Binding");
    }

    @Test
    void aMonitorRequestCoversOneDatabase() {
        assertThatThrownBy(() -> TableView.monitorRequest(List.of(LogicalSwitch.TABLE, PortBinding.TABLE)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("OVN_Southbound.Port_Binding is not in OVN_Northbound");
    }

    @Test
    void aViewDoesNotListTheRowKeyOrAColumnTwice() {
        assertThatThrownBy(() -> TableView.of("OVN_Northbound", "Logical_Switch", List.of("_uuid", "name"), row -> row))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TableView.of("OVN_Northbound", "Logical_Switch", List.of("name", "name"), row -> row))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
