package io.dpuvpc.ovn.lab;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The three PEM files of one TLS identity, in the order OVS tools take them
 * ({@code -p/--private-key}, {@code -c/--certificate}, {@code -C/--ca-cert}).
 *
 * @param privateKey    the private key (PKCS#8 or PKCS#1 PEM)
 * @param certificate   the certificate of that key
 * @param caCertificate the CA that peers' certificates must chain to
 */
public record TlsFiles(Path privateKey, Path certificate, Path caCertificate) {
    public TlsFiles {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(caCertificate, "caCertificate");
    }
}
