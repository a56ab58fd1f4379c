package io.dpuvpc.ovn.northbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.ovn.ovsdb.OvsdbClientOptions;
import io.dpuvpc.ovn.ovsdb.OvsdbEndpoint;
import io.dpuvpc.ovn.ovsdb.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How an IsolationClass's parameters become the bridge's connection options. */
class NorthboundRouterTest {

    @Test
    void referenceParametersGiveOneTcpEndpointAndTheReconnectTime() {
        OvsdbClientOptions options = NorthboundRouter.options(new IsolationClassSpec(IsolationClassSpec.PROVISIONER,
                Map.of(IsolationClassSpec.NB_ENDPOINT, "tcp:10.1.1.100:30641", IsolationClassSpec.NB_RECONNECT_TIME, "7")));
        assertThat(options.endpoints()).containsExactly(OvsdbEndpoint.parse("tcp:10.1.1.100:30641"));
        assertThat(options.reconnectMax()).isEqualTo(Duration.ofSeconds(7));
        assertThat(options.inactivityProbe()).isEqualTo(IsolationClassSpec.DEFAULT_INACTIVITY_PROBE);
        assertThat(options.databases()).containsExactly("OVN_Northbound");
        assertThat(options.tls()).isNull();
        assertThat(options.leaderOnly()).isTrue();
    }

    @Test
    void raftMembersAndTlsFilesAreOurs() {
        OvsdbClientOptions options = NorthboundRouter.options(new IsolationClassSpec(IsolationClassSpec.PROVISIONER, Map.of(
                IsolationClassSpec.NB_ENDPOINT, "ssl:10.0.0.1:6641,ssl:10.0.0.2:6641,ssl:10.0.0.3:6641",
                IsolationClassSpec.PRIVATE_KEY, "/etc/vpc/key.pem",
                IsolationClassSpec.CERTIFICATE, "/etc/vpc/cert.pem",
                IsolationClassSpec.CA_CERT, "/etc/vpc/ca.pem",
                IsolationClassSpec.NB_INACTIVITY_PROBE, "90")));
        assertThat(options.inactivityProbe()).isEqualTo(Duration.ofSeconds(90));
        assertThat(options.endpoints()).extracting(OvsdbEndpoint::toString)
                .containsExactly("ssl:10.0.0.1:6641", "ssl:10.0.0.2:6641", "ssl:10.0.0.3:6641");
        assertThat(options.tls()).isEqualTo(new TlsSettings(Path.of("/etc/vpc/key.pem"), Path.of("/etc/vpc/cert.pem"),
                Path.of("/etc/vpc/ca.pem")));
        assertThat(options.reconnectMax()).isEqualTo(IsolationClassSpec.DEFAULT_RECONNECT_TIME);
    }

    @Test
    void endpointsListedInTheOrderGiven() {
        List<OvsdbEndpoint> endpoints = NorthboundRouter.options(new IsolationClassSpec(IsolationClassSpec.PROVISIONER,
                Map.of(IsolationClassSpec.NB_ENDPOINT, "tcp:127.0.0.1:2,tcp:127.0.0.1:1"))).endpoints();
        assertThat(endpoints).extracting(OvsdbEndpoint::port).containsExactly(2, 1);
    }
}
