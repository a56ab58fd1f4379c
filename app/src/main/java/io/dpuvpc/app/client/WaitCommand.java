package io.dpuvpc.app.client;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.dpuvpc.http.document.ResourceDocuments;
import io.dpuvpc.http.document.ServedKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vpc wait --for=condition=Ready KIND NAME}: polls the resource every 500 ms ({@link
 * ConditionWait}). A resource not there yet, or a server answering 503 (a controller still
 * starting), is waited for too; any other error stops the wait.
 */
@Command(name = "wait", mixinStandardHelpOptions = true,
        description = {"Wait until a resource's condition has a status, or the resource is deleted, as kubectl wait."})
public final class WaitCommand implements Callable<Integer> {
    static final Duration INTERVAL = Duration.ofMillis(500);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerOptions server;

    @Option(names = "--for", paramLabel = "CONDITION", required = true,
            description = "condition=TYPE (status True), condition=TYPE=STATUS, or delete.")
    private String forText;

    @Parameters(index = "0", paramLabel = "KIND", description = "The kind, e.g. dpuvpcs.")
    private String kindName;

    @Parameters(index = "1", paramLabel = "NAME", description = "The resource.")
    private String name;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", defaultValue = ResourceDocuments.DEFAULT_NAMESPACE,
            description = "The namespace of a namespaced kind (default: ${DEFAULT-VALUE}).")
    private String namespace;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s",
            description = "Give up after this long, e.g. 30s, 2m (default: ${DEFAULT-VALUE}).")
    private String timeoutText;

    @Override
    public Integer call() throws InterruptedException {
        ServedKind kind = ServerOptions.kind(spec, kindName);
        ConditionWait.Target target = ServerOptions.usage(spec, () -> ConditionWait.parseFor(forText));
        Duration timeout = ServerOptions.usage(spec, () -> ConditionWait.parseDuration(timeoutText));
        AdminClient client = server.client();
        String path = ResourcePaths.item(kind, namespace, name);
        String display = ResourcePaths.displayName(kind, name);
        ConditionWait.await(() -> fetch(client, path), target, display, timeout, INTERVAL, ConditionWait.Clock.SYSTEM);
        PrintWriter out = spec.commandLine().getOut();
        out.println(display + " condition met");
        out.flush();
        return 0;
    }

    private static Optional<JsonNode> fetch(AdminClient client, String path) {
        AdminClient.Response response = client.send("GET", path, null, null, AdminClient.JSON);
        if (response.code() == 404) {
            return Optional.empty();
        }
        if (response.code() == 503) {
            // A controller still starting: a resource with no conditions known, so neither wait is over.
            return Optional.of(JsonNodeFactory.instance.objectNode());
        }
        return Optional.of(AdminClient.checked(response).json());
    }
}
