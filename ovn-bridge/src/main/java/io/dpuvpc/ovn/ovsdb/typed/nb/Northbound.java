package io.dpuvpc.ovn.ovsdb.typed.nb;

import io.dpuvpc.ovn.ovsdb.typed.DatabaseViews;

/** Our views of the OVN Northbound database: the tables the VPC control plane writes and reads. */
public final class Northbound {
    public static final String DATABASE = "OVN_Northbound";

    /**
     * Check these against a server's schema with {@link DatabaseViews#verifyAll}; monitor them with
     * {@link DatabaseViews#monitorRequest}.
     */
    public static final DatabaseViews VIEWS = DatabaseViews.of(DATABASE,
        LogicalSwitch.TABLE, LogicalSwitchPort.TABLE, LogicalRouter.TABLE, LogicalRouterPort.TABLE,
        LogicalRouterStaticRoute.TABLE, LogicalRouterPolicy.TABLE, Nat.TABLE, DhcpOptions.TABLE, AddressSet.TABLE,
        PortGroup.TABLE, Acl.TABLE, GatewayChassis.TABLE, HaChassisGroup.TABLE, HaChassis.TABLE);

    private Northbound() {
    }
}
