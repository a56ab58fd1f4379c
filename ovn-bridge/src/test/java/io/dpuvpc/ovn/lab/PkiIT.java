package io.dpuvpc.ovn.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files {@link Pki} makes, read back with the JDK's X.509 parser. */
class PkiIT {
    @TempDir
    static Path dir;
    static Pki pki;

    @BeforeAll
    static void create() {
        pki = Pki.create(dir);
    }

    @Test
    void keysAreInTheAdvertisedPemEncodings() throws Exception {
        assertThat(Files.readString(pki.serverPrivateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(pki.clientPrivateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(pki.clientPrivateKeyPkcs1())).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(Files.readString(pki.foreignClientPrivateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void serverCertificateNamesLoopbackAndChainsToTheCa() throws Exception {
        X509Certificate ca = read(pki.caCertificate());
        X509Certificate server = read(pki.serverCertificate());

        server.verify(ca.getPublicKey());
        assertThat(server.getSubjectX500Principal().getName()).contains("CN=127.0.0.1");
        assertThat(server.getSubjectAlternativeNames()).contains(List.of(7, "127.0.0.1"), List.of(2, "localhost"));
        assertThat(server.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
    }

    @Test
    void clientCertificatesChainToTheirOwnCaOnly() throws Exception {
        X509Certificate ca = read(pki.caCertificate());
        X509Certificate client = read(pki.clientCertificate());
        X509Certificate foreign = read(pki.foreignClientCertificate());

        client.verify(ca.getPublicKey());
        assertThat(client.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.2");
        foreign.verify(read(pki.foreignCaCertificate()).getPublicKey());
        assertThatThrownBy(() -> foreign.verify(ca.getPublicKey())).isInstanceOf(java.security.SignatureException.class);
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
