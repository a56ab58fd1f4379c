package io.dpuvpc.ovn.ovsdb;

import java.nio.file.Path;
import java.util.Objects;

/**
 * PEM files for {@code ssl:} remotes, the same three that OVS takes ({@code --private-key},
 * {@code --certificate}, {@code --ca-cert}): the server is trusted when its certificate chains to
 * the CA, and our certificate lets the server check us (mutual TLS). As in OVS, the host name is
 * not checked against the certificate: trust comes from the CA alone.
 */
public record TlsSettings(Path privateKey, Path certificate, Path caCertificate) {
    public TlsSettings {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(caCertificate, "caCertificate");
    }
}
