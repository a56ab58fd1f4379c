package io.dpuvpc.app.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.function.Supplier;

import io.dpuvpc.http.document.ServedKind;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options every admin API verb shares (a picocli mixin): where the server is and how to trust
 * it. The token comes from the environment ({@code VPC_TOKEN}) so that it is in no command line,
 * shell history or process list, and it is never printed.
 */
public final class ServerOptions {
    public static final String TOKEN_ENV = "VPC_TOKEN";

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:VPC_SERVER:-http://127.0.0.1:8080}",
            description = "The admin API (default: $VPC_SERVER, else ${DEFAULT-VALUE}). The token, if the server "
                    + "wants one, is read from $VPC_TOKEN.")
    String server;

    @Option(names = "--insecure-skip-tls-verify",
            description = "With https, accept any certificate and host name (a self-signed lab server).")
    boolean insecureSkipTlsVerify;

    @Option(names = "--cacert", paramLabel = "FILE", description = "With https, trust the CA certificates (PEM) in FILE.")
    Path caCertificates;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Read the token from the first line of FILE instead of $VPC_TOKEN.")
    Path tokenFile;

    /** The client of these options, with the token of {@code $VPC_TOKEN}. */
    public AdminClient client() {
        URI uri;
        try {
            uri = new URI(server.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--server \"" + server + "\" is not a URL: " + e.getMessage(), e);
        }
        return new AdminClient(uri, token(), new AdminClient.Tls(caCertificates, insecureSkipTlsVerify));
    }

    private String token() {
        if (tokenFile == null) {
            return System.getenv(TOKEN_ENV);
        }
        try {
            return java.nio.file.Files.readAllLines(tokenFile).stream().map(String::strip).filter(l -> !l.isEmpty())
                    .findFirst().map(l -> l.split("\\s+")[0])
                    .orElseThrow(() -> new IllegalArgumentException("--token-file " + tokenFile + " is empty"));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("--token-file " + tokenFile + ": " + e.getMessage(), e);
        }
    }

    /** The kind a user named, an unknown one being a usage error (exit 2) that lists the served kinds. */
    static ServedKind kind(CommandSpec spec, String name) {
        return usage(spec, () -> ResourcePaths.kind(name));
    }

    /** {@code parse}'s value, its IllegalArgumentException a usage error (exit 2). */
    static <T> T usage(CommandSpec spec, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
