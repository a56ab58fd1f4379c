package io.dpuvpc.ovn.lab;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away PKI for TLS tests and the lab, made with the {@code openssl} command:
 *
 * <ul>
 *   <li>a CA ({@code ca.pem}, {@code ca.key});</li>
 *   <li>a server certificate signed by it, CN {@code 127.0.0.1} with subjectAltName
 *       {@code IP:127.0.0.1, DNS:localhost} and extendedKeyUsage serverAuth, so that a client doing
 *       hostname verification against 127.0.0.1 accepts it;</li>
 *   <li>a client certificate signed by it (clientAuth), whose key exists twice: PKCS#8
 *       ({@code BEGIN PRIVATE KEY}) and traditional PKCS#1 ({@code BEGIN RSA PRIVATE KEY}), so a
 *       client can be tested with both encodings;</li>
 *   <li>a second, unrelated CA with its own client certificate, which a server trusting only the
 *       first CA must refuse.</li>
 * </ul>
 *
 * <p>All files are PEM, as OVS requires; keys are RSA 2048 and unencrypted, certificates are
 * valid for ten years. ovsdb-server takes {@link #serverTls()}; {@code ovsdb-client} takes
 * {@link #clientTls()} as {@code -p KEY -c CERT -C CA}.
 */
public final class Pki {
    private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(60);
    private static final String DAYS = "3650";

    private final Path dir;

    private Pki(Path dir) {
        this.dir = dir;
    }

    /**
     * Creates every key and certificate in {@code dir} (created if missing; existing files are
     * overwritten).
     *
     * @throws MissingToolException if openssl is not installed
     */
    public static Pki create(Path dir) {
        Path folder = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new OvnLabException("cannot create " + folder + ": " + e.getMessage(), e);
        }
        Pki pki = new Pki(folder);
        pki.generate();
        return pki;
    }

    public Path dir() {
        return dir;
    }

    /** The CA certificate that signed the server and client certificates. */
    public Path caCertificate() {
        return dir.resolve("ca.pem");
    }

    /** The CA's private key (PKCS#8), should a test need to sign more. */
    public Path caPrivateKey() {
        return dir.resolve("ca.key");
    }

    public Path serverCertificate() {
        return dir.resolve("server.pem");
    }

    /** PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
    public Path serverPrivateKey() {
        return dir.resolve("server.key");
    }

    public Path clientCertificate() {
        return dir.resolve("client.pem");
    }

    /** PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
    public Path clientPrivateKey() {
        return dir.resolve("client.key");
    }

    /** The same key as {@link #clientPrivateKey()} in traditional PKCS#1 PEM ({@code BEGIN RSA PRIVATE KEY}). */
    public Path clientPrivateKeyPkcs1() {
        return dir.resolve("client-pkcs1.key");
    }

    /** The unrelated CA's certificate. */
    public Path foreignCaCertificate() {
        return dir.resolve("foreign-ca.pem");
    }

    /** A client certificate signed by the unrelated CA. */
    public Path foreignClientCertificate() {
        return dir.resolve("foreign-client.pem");
    }

    /** PKCS#8 PEM. */
    public Path foreignClientPrivateKey() {
        return dir.resolve("foreign-client.key");
    }

    /** Server key, server certificate, CA: what ovsdb-server's SSL remotes take. */
    public TlsFiles serverTls() {
        return new TlsFiles(serverPrivateKey(), serverCertificate(), caCertificate());
    }

    /** Client key (PKCS#8), client certificate, CA: a client the server accepts. */
    public TlsFiles clientTls() {
        return new TlsFiles(clientPrivateKey(), clientCertificate(), caCertificate());
    }

    /** Like {@link #clientTls()} with the PKCS#1 encoding of the same key. */
    public TlsFiles clientTlsPkcs1() {
        return new TlsFiles(clientPrivateKeyPkcs1(), clientCertificate(), caCertificate());
    }

    /**
     * The foreign client's key and certificate with OUR CA as the trust anchor: it trusts the server,
     * but the server must refuse its certificate.
     */
    public TlsFiles foreignClientTls() {
        return new TlsFiles(foreignClientPrivateKey(), foreignClientCertificate(), caCertificate());
    }

    private void generate() {
        ExternalCommand.locate("openssl");
        createCa("ca", "dpuvpc lab CA");
        createSigned("server", "127.0.0.1", "ca",
                "basicConstraints=critical,CA:FALSE\n"
                        + "keyUsage=critical,digitalSignature,keyEncipherment\n"
                        + "extendedKeyUsage=serverAuth\n"
                        + "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        String clientExtensions = "basicConstraints=critical,CA:FALSE\n"
                + "keyUsage=critical,digitalSignature,keyEncipherment\n"
                + "extendedKeyUsage=clientAuth\n";
        createSigned("client", "dpuvpc-lab-client", "ca", clientExtensions);
        openssl("rsa", "-in", clientPrivateKey().toString(), "-traditional", "-out", clientPrivateKeyPkcs1().toString());
        createCa("foreign-ca", "unrelated CA");
        createSigned("foreign-client", "dpuvpc-foreign-client", "foreign-ca", clientExtensions);
    }

    private void createCa(String name, String commonName) {
        Path key = dir.resolve(name + ".key");
        // OpenSSL 3 writes PKCS#8 ("BEGIN PRIVATE KEY") unless told -traditional.
        openssl("genrsa", "-out", key.toString(), "2048");
        openssl("req", "-x509", "-new", "-key", key.toString(), "-sha256", "-days", DAYS,
                "-subj", "/O=dpuvpc lab/CN=" + commonName,
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-out", dir.resolve(name + ".pem").toString());
    }

    private void createSigned(String name, String commonName, String ca, String extensions) {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path ext = dir.resolve(name + ".ext");
        openssl("genrsa", "-out", key.toString(), "2048");
        openssl("req", "-new", "-key", key.toString(), "-subj", "/O=dpuvpc lab/CN=" + commonName, "-out", csr.toString());
        try {
            Files.writeString(ext, extensions);
        } catch (IOException e) {
            throw new OvnLabException("cannot write " + ext + ": " + e.getMessage(), e);
        }
        // A random serial (no .srl file); RFC 5280 wants it positive and at most 20 octets.
        String serial = "0x" + new BigInteger(1, randomBytes(16)).toString(16);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", dir.resolve(ca + ".pem").toString(),
                "-CAkey", dir.resolve(ca + ".key").toString(), "-set_serial", serial, "-days", DAYS, "-sha256",
                "-extfile", ext.toString(), "-out", dir.resolve(name + ".pem").toString());
        try {
            Files.deleteIfExists(csr);
            Files.deleteIfExists(ext);
        } catch (IOException e) {
            // leftovers are harmless
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private void openssl(String... args) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        ExternalCommand.run(OPENSSL_TIMEOUT, command).orThrow();
    }
}
