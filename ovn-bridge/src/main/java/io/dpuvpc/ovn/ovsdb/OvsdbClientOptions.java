package io.dpuvpc.ovn.ovsdb;

import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a client connects. Defaults follow OVS's own clients: reconnect backoff doubling from
 * 100 ms up to 5 s (the IsolationClass {@code ovn-nb-reconnect-time}), a 5 s inactivity probe,
 * leader-only for clustered databases.
 *
 * @param endpoints         remotes tried in turn (a raft cluster lists every member)
 * @param databases         databases whose schema is read at connect; empty means all the server has
 * @param tls               key, certificate and CA for {@code ssl:} remotes, or null
 * @param leaderOnly        for a clustered database, use only the raft leader (checked through {@code _Server})
 * @param reconnectMin      the first reconnect delay; it doubles after each failed round of endpoints
 * @param reconnectMax      the longest reconnect delay
 * @param inactivityProbe   after this long without input an echo is sent, and the connection closed
 *                          if nothing comes back within the same time; zero disables
 * @param connectTimeout    TCP/TLS connect timeout
 * @param maxInFlight       requests sent and not yet answered; more wait in a queue (back-pressure)
 * @param maxMessageBytes   a larger message from the server is a protocol error
 * @param preferredMonitor  the newest monitor method to try
 * @param eventLoopGroup    a shared Netty group, or null for the client's own one-thread group
 */
public record OvsdbClientOptions(List<OvsdbEndpoint> endpoints, List<String> databases, TlsSettings tls, boolean leaderOnly,
                                 Duration reconnectMin, Duration reconnectMax, Duration inactivityProbe, Duration connectTimeout,
                                 int maxInFlight, int maxMessageBytes, MonitorMethod preferredMonitor, EventLoopGroup eventLoopGroup) {

    public OvsdbClientOptions {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("at least one OVSDB endpoint is needed");
        }
        databases = List.copyOf(databases);
        if (tls == null && endpoints.stream().anyMatch(e -> e.transport() == OvsdbEndpoint.Transport.SSL)) {
            throw new IllegalArgumentException("an ssl: endpoint needs TLS settings (private key, certificate, CA certificate)");
        }
        Objects.requireNonNull(reconnectMin, "reconnectMin");
        Objects.requireNonNull(reconnectMax, "reconnectMax");
        Objects.requireNonNull(inactivityProbe, "inactivityProbe");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(preferredMonitor, "preferredMonitor");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1");
        }
    }

    /** A copy whose client runs on {@code group}, shared with others (null: the client's own one-thread group). */
    public OvsdbClientOptions withEventLoopGroup(EventLoopGroup group) {
        return new OvsdbClientOptions(endpoints, databases, tls, leaderOnly, reconnectMin, reconnectMax, inactivityProbe,
            connectTimeout, maxInFlight, maxMessageBytes, preferredMonitor, group);
    }

    public static Builder builder(String remotes) {
        return new Builder(OvsdbEndpoint.parseList(remotes));
    }

    public static Builder builder(List<OvsdbEndpoint> endpoints) {
        return new Builder(endpoints);
    }

    /** A mutable builder with the defaults above. */
    public static final class Builder {
        private final List<OvsdbEndpoint> endpoints;
        private List<String> databases = List.of();
        private TlsSettings tls;
        private boolean leaderOnly = true;
        private Duration reconnectMin = Duration.ofMillis(100);
        private Duration reconnectMax = Duration.ofSeconds(5);
        private Duration inactivityProbe = Duration.ofSeconds(5);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private int maxInFlight = 256;
        private int maxMessageBytes = 256 * 1024 * 1024;
        private MonitorMethod preferredMonitor = MonitorMethod.MONITOR_COND_SINCE;
        private EventLoopGroup eventLoopGroup;

        private Builder(List<OvsdbEndpoint> endpoints) {
            this.endpoints = endpoints;
        }

        public Builder databases(String... names) {
            this.databases = List.of(names);
            return this;
        }

        public Builder tls(TlsSettings tls) {
            this.tls = tls;
            return this;
        }

        public Builder leaderOnly(boolean leaderOnly) {
            this.leaderOnly = leaderOnly;
            return this;
        }

        /** The longest reconnect delay: the IsolationClass {@code ovn-nb-reconnect-time}. */
        public Builder reconnectTime(Duration max) {
            this.reconnectMax = max;
            if (reconnectMin.compareTo(max) > 0) {
                this.reconnectMin = max;
            }
            return this;
        }

        public Builder reconnectBackoff(Duration min, Duration max) {
            this.reconnectMin = min;
            this.reconnectMax = max;
            return this;
        }

        public Builder inactivityProbe(Duration probe) {
            this.inactivityProbe = probe;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder maxInFlight(int max) {
            this.maxInFlight = max;
            return this;
        }

        public Builder maxMessageBytes(int max) {
            this.maxMessageBytes = max;
            return this;
        }

        public Builder preferredMonitor(MonitorMethod method) {
            this.preferredMonitor = method;
            return this;
        }

        public Builder eventLoopGroup(EventLoopGroup group) {
            this.eventLoopGroup = group;
            return this;
        }

        public OvsdbClientOptions build() {
            return new OvsdbClientOptions(endpoints, databases, tls, leaderOnly, reconnectMin, reconnectMax, inactivityProbe,
                connectTimeout, maxInFlight, maxMessageBytes, preferredMonitor, eventLoopGroup);
        }
    }
}
