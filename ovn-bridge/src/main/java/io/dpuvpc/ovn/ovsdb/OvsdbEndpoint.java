package io.dpuvpc.ovn.ovsdb;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An OVSDB remote in the notation OVS and OVN use: {@code tcp:IP:PORT}, {@code ssl:IP:PORT},
 * {@code unix:PATH} (IPv6 addresses in brackets: {@code tcp:[::1]:6641}).
 */
public record OvsdbEndpoint(Transport transport, String host, int port, String path) {

    public enum Transport { TCP, SSL, UNIX }

    public OvsdbEndpoint {
        Objects.requireNonNull(transport, "transport");
        if (transport == Transport.UNIX) {
            Objects.requireNonNull(path, "path");
        } else {
            Objects.requireNonNull(host, "host");
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is outside 1..65535");
            }
        }
    }

    /** Parses one remote; the message of the exception says what form is expected. */
    public static OvsdbEndpoint parse(String remote) {
        String text = remote.trim();
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw invalid(remote);
        }
        String scheme = text.substring(0, colon);
        String rest = text.substring(colon + 1);
        switch (scheme) {
            case "unix" -> {
                if (rest.isEmpty()) {
                    throw invalid(remote);
                }
                return new OvsdbEndpoint(Transport.UNIX, null, 0, rest);
            }
            case "tcp", "ssl" -> {
                Transport transport = scheme.equals("tcp") ? Transport.TCP : Transport.SSL;
                int portColon = rest.lastIndexOf(':');
                if (portColon <= 0) {
                    throw invalid(remote);
                }
                String host = rest.substring(0, portColon);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                try {
                    return new OvsdbEndpoint(transport, host, Integer.parseInt(rest.substring(portColon + 1)), null);
                } catch (NumberFormatException e) {
                    throw invalid(remote);
                }
            }
            default -> throw invalid(remote);
        }
    }

    /** A comma-separated list, as in {@code ovn-remote} and {@code --db}. */
    public static List<OvsdbEndpoint> parseList(String remotes) {
        return Arrays.stream(remotes.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(OvsdbEndpoint::parse).toList();
    }

    private static IllegalArgumentException invalid(String remote) {
        return new IllegalArgumentException("invalid OVSDB remote '" + remote + "': expected tcp:IP:PORT, ssl:IP:PORT or unix:PATH");
    }

    SocketAddress socketAddress() {
        return transport == Transport.UNIX ? UnixDomainSocketAddress.of(path) : InetSocketAddress.createUnresolved(host, port);
    }

    @Override
    public String toString() {
        return switch (transport) {
            case UNIX -> "unix:" + path;
            case TCP, SSL -> transport.name().toLowerCase(java.util.Locale.ROOT) + ":" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        };
    }
}
