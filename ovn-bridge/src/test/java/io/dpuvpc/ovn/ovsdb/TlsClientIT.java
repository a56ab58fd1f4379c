package io.dpuvpc.ovn.ovsdb;

import static io.dpuvpc.ovn.ovsdb.OvsdbOperationsIT.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dpuvpc.ovn.lab.OvnCentral;
import io.dpuvpc.ovn.lab.OvnCentralExtension;
import io.dpuvpc.ovn.lab.Pki;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Mutual TLS against a real ovsdb-server {@code pssl:} remote, and refusal of the wrong CA either way. */
class TlsClientIT {
    @RegisterExtension
    static final OvnCentralExtension OVN = new OvnCentralExtension().withoutNorthd().withTls();

    static OvsdbClientOptions.Builder options(OvnCentral ovn) {
        return OvsdbClientOptions.builder(ovn.nbSslEndpoint().orElseThrow()).reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(10));
    }

    @Test
    void mutualTlsWithPkcs8Key(OvnCentral ovn, Pki pki) throws Exception {
        try (OvsdbClient client = await(OvsdbClient.connect(options(ovn)
            .tls(new TlsSettings(pki.clientPrivateKey(), pki.clientCertificate(), pki.caCertificate())).build()))) {
            assertThat(client.currentEndpoint().transport()).isEqualTo(OvsdbEndpoint.Transport.SSL);
            var result = await(client.transact("OVN_Northbound", Operation.insert("Logical_Switch").value("name", "over-tls")));
            assertThat(result.get(0).uuid()).isNotNull();
        }
    }

    @Test
    void mutualTlsWithTraditionalPkcs1Key(OvnCentral ovn, Pki pki) throws Exception {
        try (OvsdbClient client = await(OvsdbClient.connect(options(ovn)
            .tls(new TlsSettings(pki.clientPrivateKeyPkcs1(), pki.clientCertificate(), pki.caCertificate())).build()))) {
            assertThat(await(client.listDbs())).contains("OVN_Northbound");
        }
    }

    @Test
    void aServerSignedByAnotherCaIsRefused(OvnCentral ovn, Pki pki) {
        assertThatThrownBy(() -> await(OvsdbClient.connect(options(ovn)
            .tls(new TlsSettings(pki.clientPrivateKey(), pki.clientCertificate(), pki.foreignCaCertificate())).build())))
            .isInstanceOf(OvsdbException.class).hasMessageContaining("ssl:127.0.0.1");
    }

    @Test
    void aClientOfAnotherCaIsRefusedByTheServer(OvnCentral ovn, Pki pki) {
        assertThatThrownBy(() -> await(OvsdbClient.connect(options(ovn)
            .tls(new TlsSettings(pki.foreignClientPrivateKey(), pki.foreignClientCertificate(), pki.caCertificate())).build())))
            .isInstanceOf(OvsdbException.class);
    }

    @Test
    void sslEndpointWithoutTlsSettingsIsAClearError(OvnCentral ovn) {
        assertThatThrownBy(() -> options(ovn).build()).hasMessageContaining("TLS settings");
    }
}
