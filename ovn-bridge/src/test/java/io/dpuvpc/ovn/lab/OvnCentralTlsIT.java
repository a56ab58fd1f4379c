package io.dpuvpc.ovn.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SSL remotes of {@link OvnCentral} with a {@link Pki}, checked with {@code ovsdb-client}. */
class OvnCentralTlsIT {
    @RegisterExtension
    static final OvnCentralExtension OVN = new OvnCentralExtension().withoutNorthd().withTls();

    @Test
    void sslRemotesAcceptAClientOfTheSameCa(OvnCentral ovn, Pki pki) {
        String nbSsl = ovn.nbSslEndpoint().orElseThrow();
        assertThat(nbSsl).startsWith("ssl:127.0.0.1:").isNotEqualTo("ssl:127.0.0.1:0");
        assertThat(nbSsl).isNotEqualTo("ssl:127.0.0.1:" + ovn.nbPort());

        assertThat(listDbs(pki.clientTls(), nbSsl).orThrow().stdout()).contains(OvnCentral.NB_DATABASE);
        assertThat(listDbs(pki.clientTls(), ovn.sbSslEndpoint().orElseThrow()).orThrow().stdout())
                .contains(OvnCentral.SB_DATABASE);
        // plain TCP still works beside SSL
        assertThat(OvnCentralIT.listDbs(ovn.nbTcpEndpoint())).contains(OvnCentral.NB_DATABASE);
    }

    @Test
    void aPkcs1ClientKeyWorksToo(Pki pki) {
        assertThat(listDbs(pki.clientTlsPkcs1(), OVN.central().nbSslEndpoint().orElseThrow()).orThrow().stdout())
                .contains(OvnCentral.NB_DATABASE);
    }

    @Test
    void aClientOfAnotherCaIsRefused(Pki pki) {
        ExternalCommand.Result result = listDbs(pki.foreignClientTls(), OVN.central().nbSslEndpoint().orElseThrow());
        assertThat(result.ok()).as(result.describe()).isFalse();
    }

    @Test
    void sslPortSurvivesAnNbRestart(OvnCentral ovn, Pki pki) {
        String before = ovn.nbSslEndpoint().orElseThrow();
        ovn.restartNb();
        assertThat(ovn.nbSslEndpoint()).contains(before);
        assertThat(listDbs(pki.clientTls(), before).orThrow().stdout()).contains(OvnCentral.NB_DATABASE);
    }

    private static ExternalCommand.Result listDbs(TlsFiles client, String endpoint) {
        List<String> command = new ArrayList<>(List.of("ovsdb-client",
                "-p", client.privateKey().toString(), "-c", client.certificate().toString(),
                "-C", client.caCertificate().toString(), "list-dbs", endpoint));
        return ExternalCommand.run(Duration.ofSeconds(10), command);
    }
}
