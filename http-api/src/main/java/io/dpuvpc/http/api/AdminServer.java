package io.dpuvpc.http.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pki.pem.DERPrivateKeyLoader;
import org.apache.pekko.pki.pem.PEMDecoder;

/**
 * Binds the admin API: plain HTTP, or HTTPS when a certificate and key (PEM files) are given. The
 * default address is loopback, port 8080: the API changes what the whole fleet's networks do, so
 * listening anywhere else is the operator's explicit choice (with tokens and TLS).
 */
public final class AdminServer {

    public record Settings(String host, int port, Optional<Path> tlsCertificate, Optional<Path> tlsKey) {
        public static final String DEFAULT_HOST = "127.0.0.1";
        public static final int DEFAULT_PORT = 8080;

        public Settings {
            if (tlsCertificate.isPresent() != tlsKey.isPresent()) {
                throw new IllegalArgumentException("TLS needs both a certificate and a key (PEM files)");
            }
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_HOST, DEFAULT_PORT, Optional.empty(), Optional.empty());
        }

        public boolean tls() {
            return tlsCertificate.isPresent();
        }
    }

    private AdminServer() {}

    /** Binds {@code route}; the stage fails with a message naming the address when it cannot. */
    public static CompletionStage<ServerBinding> bind(ActorSystem<?> system, Settings settings, Route route) {
        var builder = Http.get(system).newServerAt(settings.host(), settings.port());
        if (settings.tls()) {
            builder = builder.enableHttps(ConnectionContext.httpsServer(sslContext(settings.tlsCertificate().get(),
                    settings.tlsKey().get())));
        }
        return builder.bind(route);
    }

    /** Unbinds, letting requests in progress finish within {@code grace}. */
    public static CompletionStage<?> unbind(ServerBinding binding, Duration grace) {
        return binding.terminate(grace);
    }

    static SSLContext sslContext(Path certificateFile, Path keyFile) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Collection<? extends Certificate> chain;
            try (var in = Files.newInputStream(certificateFile)) {
                chain = factory.generateCertificates(in);
            }
            if (chain.isEmpty() || !(chain.iterator().next() instanceof X509Certificate)) {
                throw new IllegalArgumentException(certificateFile + " holds no X.509 certificate (PEM)");
            }
            PrivateKey key = DERPrivateKeyLoader.load(PEMDecoder.decode(Files.readString(keyFile)));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("admin-api", key, password, chain.toArray(new Certificate[0]));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, new SecureRandom());
            return context;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the admin API's TLS files: " + e.getMessage(), e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("the admin API's TLS certificate or key is not usable ("
                    + certificateFile + ", " + keyFile + "): " + e.getMessage(), e);
        }
    }
}
