package io.dpuvpc.ovn.northbound;

import java.util.Optional;

/**
 * What translation needs to read back from the Northbound database: values OVN or another owner
 * decides. An interface's reroute policy needs the address DHCP IPAM gave its port (ovn-northd
 * writes {@code dynamic_addresses}) and the join address its VPC gave its node's gateway router.
 */
public interface Observations {

    /** The IPv4 address of the logical switch port {@code portName}, once known. */
    Optional<String> portIpv4(String portName);

    /** The address on the join switch of the VPC's gateway router on {@code node}, once it exists. */
    Optional<String> gatewayJoinIp(String namespace, String vpc, String node);

    /** Nothing observed yet. */
    Observations NONE = new Observations() {
        @Override
        public Optional<String> portIpv4(String portName) {
            return Optional.empty();
        }

        @Override
        public Optional<String> gatewayJoinIp(String namespace, String vpc, String node) {
            return Optional.empty();
        }
    };
}
