package io.dpuvpc.node;

import java.util.Objects;

/**
 * A representor to plug into the integration bridge and the OVN logical port it carries: the
 * Interface gets {@code external_ids:iface-id=<logicalPort>}, which ovn-controller binds to this
 * chassis. {@code representor} is the netdev name ({@code pf0vf3}, {@code pf0}, an SF's name);
 * {@code logicalPort} the name the Northbound bridge gave the port
 * ({@code TopologyIntent.Interface.portName()}).
 */
public record PortPlug(String representor, String logicalPort) {
    public PortPlug {
        requireName(representor, "representor");
        requireName(logicalPort, "logicalPort");
    }

    static void requireName(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
