package io.dpuvpc.node;

import io.dpuvpc.ovn.ovsdb.OvsdbEndpoint;
import io.dpuvpc.ovn.ovsdb.TlsSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one DPU's node agent is told about its node: its name (the OVN {@code system-id}), the
 * labels it reports, the VTEP address geneve tunnels end on, the external gateway address (with its
 * prefix, {@code a.b.c.d/p}) and next hop, the OVS datapath, the bridges and the uplink, the
 * Southbound remote(s) ovn-controller connects to, the MTU of plugged ports, how often to
 * heartbeat, and where the local OVS database listens.
 *
 * @param nodeName          the DpuNode's name and the chassis' {@code system-id}
 * @param labels            reported to the DpuNode entity; empty leaves the labels Kubernetes set
 * @param vtepIp            {@code ovn-encap-ip}
 * @param externalIp        the node's external address with its prefix, e.g. {@code 172.16.0.10/24}
 * @param externalNextHop   the external gateway, inside {@code externalIp}'s network
 * @param datapath          {@link Datapath#SYSTEM} on a BlueField (kernel datapath, hardware offload),
 *                          {@link Datapath#NETDEV} in the lab (the lab kernel has no openvswitch module)
 * @param integrationBridge OVN's integration bridge, {@code br-int}
 * @param externalBridge    the bridge of the uplink, mapped as network {@code external}
 * @param uplink            the uplink interface plugged into {@code externalBridge} ({@code p0}), or null for none
 * @param sbRemotes         {@code ovn-remote}: one or more comma-separated Southbound remotes
 * @param mtu               {@code mtu_request} of the uplink and of every plugged representor
 * @param heartbeat         how often the agent reports to its DpuNode even when nothing changed
 * @param ovsdbRemote       the local {@code Open_vSwitch} database, normally
 *                          {@code unix:/var/run/openvswitch/db.sock}
 * @param sbTls             the agent's own key, certificate and CA for {@code ssl:} Southbound remotes,
 *                          or null: then the agent does not observe an {@code ssl:} Southbound
 *                          (ovn-controller, which has its own in the {@code SSL} table, is unaffected)
 * @param cniDhcpSocket     the socket of the CNI DHCP daemon the agent runs for DPU service pods
 *                          ({@link CniDhcpDaemon}), normally {@value #DEFAULT_CNI_DHCP_SOCKET}; null runs none
 */
public record NodeAgentSettings(String nodeName, Map<String, String> labels, String vtepIp, String externalIp,
                                String externalNextHop, Datapath datapath, String integrationBridge, String externalBridge,
                                String uplink, String sbRemotes, int mtu, Duration heartbeat, String ovsdbRemote,
                                TlsSettings sbTls, String cniDhcpSocket) {

    public static final String DEFAULT_OVSDB_REMOTE = "unix:/var/run/openvswitch/db.sock";
    /** Where the reference's NetworkAttachmentDefinition ({@code ipam.daemonSocketPath}) expects the CNI DHCP daemon. */
    public static final String DEFAULT_CNI_DHCP_SOCKET = "/run/vpc/cni/dhcp.sock";
    public static final int DEFAULT_MTU = 9000;

    /** The OVS datapath of the bridges, as {@code Bridge.datapath_type} spells it. */
    public enum Datapath {
        SYSTEM("system"), NETDEV("netdev");

        private final String type;

        Datapath(String type) {
            this.type = type;
        }

        public String type() {
            return type;
        }

        /** Hardware offload ({@code other_config:hw-offload}) is switched on for the kernel datapath. */
        public boolean offloads() {
            return this == SYSTEM;
        }
    }

    public NodeAgentSettings {
        PortPlug.requireName(nodeName, "nodeName");
        labels = Map.copyOf(new TreeMap<>(labels == null ? Map.of() : labels));
        PortPlug.requireName(vtepIp, "vtepIp");
        Objects.requireNonNull(datapath, "datapath");
        PortPlug.requireName(integrationBridge, "integrationBridge");
        PortPlug.requireName(externalBridge, "externalBridge");
        if (integrationBridge.equals(externalBridge)) {
            throw new IllegalArgumentException("the integration bridge and the external bridge must differ: both are "
                + integrationBridge);
        }
        if (uplink != null && (uplink.equals(integrationBridge) || uplink.equals(externalBridge))) {
            throw new IllegalArgumentException("uplink " + uplink + " has a bridge's name");
        }
        PortPlug.requireName(sbRemotes, "sbRemotes");
        OvsdbEndpoint.parseList(sbRemotes); // fails with the expected form
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("mtu " + mtu + " is outside 68..65535");
        }
        Objects.requireNonNull(heartbeat, "heartbeat");
        if (heartbeat.isZero() || heartbeat.isNegative()) {
            throw new IllegalArgumentException("heartbeat must be positive");
        }
        OvsdbEndpoint.parse(ovsdbRemote);
        cniDhcpSocket = cniDhcpSocketOrNull(cniDhcpSocket);
        if (cniDhcpSocket != null && !cniDhcpSocket.startsWith("/")) {
            throw new IllegalArgumentException("the CNI DHCP socket must be an absolute path: " + cniDhcpSocket);
        }
    }

    /** The settings without a CNI DHCP daemon, as before the agent ran one. */
    public NodeAgentSettings(String nodeName, Map<String, String> labels, String vtepIp, String externalIp,
                             String externalNextHop, Datapath datapath, String integrationBridge, String externalBridge,
                             String uplink, String sbRemotes, int mtu, Duration heartbeat, String ovsdbRemote,
                             TlsSettings sbTls) {
        this(nodeName, labels, vtepIp, externalIp, externalNextHop, datapath, integrationBridge, externalBridge, uplink,
            sbRemotes, mtu, heartbeat, ovsdbRemote, sbTls, null);
    }

    /** These settings with the CNI DHCP daemon on {@code socket} ({@code none}, empty or null: none). */
    public NodeAgentSettings withCniDhcpSocket(String socket) {
        return new NodeAgentSettings(nodeName, labels, vtepIp, externalIp, externalNextHop, datapath, integrationBridge,
            externalBridge, uplink, sbRemotes, mtu, heartbeat, ovsdbRemote, sbTls, socket);
    }

    /** {@code none}, empty and null all mean: run no CNI DHCP daemon. */
    static String cniDhcpSocketOrNull(String socket) {
        return socket == null || socket.isBlank() || socket.equals("none") ? null : socket;
    }

    /** Settings with the defaults: br-int, br-ex, uplink p0, system datapath, MTU 9000, 10 s heartbeat. */
    public static Builder builder(String nodeName, String vtepIp, String sbRemotes) {
        return new Builder(nodeName, vtepIp, sbRemotes);
    }

    /** A mutable builder of {@link NodeAgentSettings}. */
    public static final class Builder {
        private final String nodeName;
        private final String vtepIp;
        private final String sbRemotes;
        private Map<String, String> labels = Map.of();
        private String externalIp;
        private String externalNextHop;
        private Datapath datapath = Datapath.SYSTEM;
        private String integrationBridge = "br-int";
        private String externalBridge = "br-ex";
        private String uplink = "p0";
        private int mtu = DEFAULT_MTU;
        private Duration heartbeat = Duration.ofSeconds(10);
        private String ovsdbRemote = DEFAULT_OVSDB_REMOTE;
        private TlsSettings sbTls;
        private String cniDhcpSocket;

        private Builder(String nodeName, String vtepIp, String sbRemotes) {
            this.nodeName = nodeName;
            this.vtepIp = vtepIp;
            this.sbRemotes = sbRemotes;
        }

        public Builder labels(Map<String, String> labels) {
            this.labels = labels;
            return this;
        }

        public Builder externalGateway(String externalIpWithPrefix, String nextHop) {
            this.externalIp = externalIpWithPrefix;
            this.externalNextHop = nextHop;
            return this;
        }

        public Builder datapath(Datapath datapath) {
            this.datapath = datapath;
            return this;
        }

        public Builder integrationBridge(String name) {
            this.integrationBridge = name;
            return this;
        }

        /** The external bridge and its uplink interface (null: no uplink is plugged). */
        public Builder externalBridge(String name, String uplink) {
            this.externalBridge = name;
            this.uplink = uplink;
            return this;
        }

        public Builder mtu(int mtu) {
            this.mtu = mtu;
            return this;
        }

        public Builder heartbeat(Duration heartbeat) {
            this.heartbeat = heartbeat;
            return this;
        }

        public Builder ovsdbRemote(String remote) {
            this.ovsdbRemote = remote;
            return this;
        }

        /** The PEM files the agent observes an {@code ssl:} Southbound with. */
        public Builder southboundTls(TlsSettings tls) {
            this.sbTls = tls;
            return this;
        }

        /**
         * Runs the CNI DHCP daemon on {@code socket} ({@code none}, empty or null: none, the
         * builder's default, so that agents sharing a host in tests do not fight over one socket).
         */
        public Builder cniDhcpSocket(String socket) {
            this.cniDhcpSocket = socket;
            return this;
        }

        public NodeAgentSettings build() {
            return new NodeAgentSettings(nodeName, labels, vtepIp, externalIp, externalNextHop, datapath, integrationBridge,
                externalBridge, uplink, sbRemotes, mtu, heartbeat, ovsdbRemote, sbTls, cniDhcpSocket);
        }
    }
}
