package io.dpuvpc.ovn.ovsdb.typed.vswitch;

import io.dpuvpc.ovn.ovsdb.typed.DatabaseViews;

/**
 * Our views of a node's local {@code Open_vSwitch} database: where the node agent reads the
 * chassis settings ({@code external_ids:system-id}, {@code ovn-remote}, {@code ovn-encap-ip})
 * and the bridges, ports and interfaces it plugs VFs into.
 */
public final class OpenVswitch {
    public static final String DATABASE = "Open_vSwitch";

    /**
     * Check these against a server's schema with {@link DatabaseViews#verifyAll}; monitor them with
     * {@link DatabaseViews#monitorRequest}.
     */
    public static final DatabaseViews VIEWS = DatabaseViews.of(DATABASE,
        OpenVswitchConfig.TABLE, Bridge.TABLE, Port.TABLE, Interface.TABLE);

    private OpenVswitch() {
    }
}
