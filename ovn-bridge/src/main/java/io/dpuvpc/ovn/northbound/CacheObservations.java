package io.dpuvpc.ovn.northbound;

import io.dpuvpc.ovn.ovsdb.DatabaseCache;
import io.dpuvpc.ovn.ovsdb.Row;
import java.util.Optional;
import java.util.Set;

/** {@link Observations} read from the monitored Northbound cache. */
public final class CacheObservations implements Observations {
    private final DatabaseCache nb;

    public CacheObservations(DatabaseCache nb) {
        this.nb = nb;
    }

    @Override
    public Optional<String> portIpv4(String portName) {
        for (Row port : nb.table("Logical_Switch_Port").byName(portName)) {
            // "<mac> <ip>": northd's dynamic_addresses under DHCP IPAM, or a static address.
            Optional<String> ip = secondWord(port.getSet("dynamic_addresses"));
            if (ip.isPresent()) {
                return ip;
            }
            ip = secondWord(port.getSet("addresses"));
            if (ip.isPresent()) {
                return ip;
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> gatewayJoinIp(String namespace, String vpc, String node) {
        return nb.table("Logical_Router_Port").byExternalId(Ownership.ID, NbNames.gatewayJoinPortId(namespace, vpc, node))
                .stream().flatMap(port -> port.<String>getSet("networks").stream())
                .map(network -> network.substring(0, network.indexOf('/'))).findFirst();
    }

    private static Optional<String> secondWord(Set<Object> values) {
        for (Object value : values) {
            String[] words = value.toString().trim().split("\\s+");
            if (words.length >= 2 && words[1].matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
                return Optional.of(words[1]);
            }
        }
        return Optional.empty();
    }
}
