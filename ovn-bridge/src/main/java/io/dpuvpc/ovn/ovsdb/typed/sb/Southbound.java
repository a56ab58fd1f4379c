package io.dpuvpc.ovn.ovsdb.typed.sb;

import io.dpuvpc.ovn.ovsdb.typed.DatabaseViews;

/**
 * Our views of the OVN Southbound database: the chassis, their tunnel endpoints and where each
 * logical port is bound, which the control plane reads for status and a node agent for its ports.
 */
public final class Southbound {
    public static final String DATABASE = "OVN_Southbound";

    /**
     * Check these against a server's schema with {@link DatabaseViews#verifyAll}; monitor them with
     * {@link DatabaseViews#monitorRequest}.
     */
    public static final DatabaseViews VIEWS = DatabaseViews.of(DATABASE,
        Chassis.TABLE, ChassisPrivate.TABLE, Encap.TABLE, PortBinding.TABLE);

    private Southbound() {
    }
}
