package io.dpuvpc.app.client;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import io.dpuvpc.http.document.ResourceDocuments;
import io.dpuvpc.http.document.ServedKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vpc get KIND [NAME]}: a table as kubectl prints one ({@link ResourceTable}), or the
 * server's documents as YAML or JSON (a List for many), or their names.
 */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"List resources of a kind, or show one, as kubectl get.",
                "KIND: isolationclasses, dpuvpcs, dpuvirtualnetworks, dpuserviceinterfaces or serviceinterfaces",
                "(or the kind or singular name, any case)."})
public final class GetCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerOptions server;

    @Parameters(index = "0", paramLabel = "KIND", description = "The kind, e.g. dpuvpcs.")
    private String kindName;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "One resource; all when left out.")
    private String name;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", defaultValue = ResourceDocuments.DEFAULT_NAMESPACE,
            description = "The namespace of a namespaced kind (default: ${DEFAULT-VALUE}).")
    private String namespace;

    @Option(names = {"-A", "--all-namespaces"}, description = "Every namespace's resources, with a NAMESPACE column.")
    private boolean allNamespaces;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "yaml, json, wide or name (default: a table).")
    private String output;

    @Option(names = {"-w", "--watch"},
            description = "Print what exists, then each change as it happens (an EVENT column), until interrupted.")
    private boolean watch;

    @Override
    public Integer call() {
        ServedKind kind = ServerOptions.kind(spec, kindName);
        String format = output == null ? "" : output.toLowerCase(Locale.ROOT);
        if (!List.of("", "yaml", "json", "wide", "name").contains(format)) {
            throw new ParameterException(spec.commandLine(), "-o must be yaml, json, wide or name, not \"" + output + "\"");
        }
        if (watch && format.equals("yaml")) {
            throw new ParameterException(spec.commandLine(), "-w prints a table, names or JSON lines (-o json): not yaml");
        }
        if (allNamespaces && name != null) {
            throw new ParameterException(spec.commandLine(),
                    "a resource cannot be read by name across all namespaces: give -n NS instead of -A");
        }
        AdminClient client = server.client();
        if (watch) {
            return watch(client, kind, format);
        }
        String path = name != null ? ResourcePaths.item(kind, namespace, name)
                : ResourcePaths.collection(kind, allNamespaces ? null : namespace);
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("yaml") || format.equals("json")) {
            String body = client.get(path, format.equals("yaml") ? AdminClient.YAML : AdminClient.JSON).body();
            out.print(body.endsWith("\n") ? body : body + "\n");
            out.flush();
            return 0;
        }
        JsonNode answer = client.get(path, AdminClient.JSON).json();
        List<JsonNode> items = new ArrayList<>();
        if (name != null) {
            items.add(answer);
        } else {
            answer.path("items").forEach(items::add);
        }
        if (items.isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(!kind.namespaced() || allNamespaces ? "No resources found"
                    : "No resources found in " + namespace + " namespace.");
            err.flush();
            return 0;
        }
        if (format.equals("name")) {
            items.forEach(item -> out.println(ResourcePaths.displayName(kind, item.path("metadata").path("name").asText())));
        } else {
            out.print(ResourceTable.render(kind, items, allNamespaces, format.equals("wide"), Instant.now()));
        }
        out.flush();
        return 0;
    }

    /**
     * Follows the kind's watch (docs/API.md): each event a line, as a table row after an EVENT
     * column, a name, or the event's JSON; with NAME, that resource's events only. Returns when the
     * server ends the watch (after saying why), or fails when the connection does.
     */
    private Integer watch(AdminClient client, ServedKind kind, String format) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean[] headerPrinted = {false};
        client.watch(ResourcePaths.collection(kind, allNamespaces ? null : namespace), event -> {
            String type = event.path("type").asText();
            JsonNode object = event.path("object");
            if (type.equals("ERROR")) {
                err.println("the watch ended: " + object.path("message").asText());
                err.flush();
                return;
            }
            String resource = object.path("metadata").path("name").asText();
            if (name != null && !name.equals(resource)) {
                return;
            }
            if (format.equals("json")) {
                out.println(event);
            } else if (format.equals("name")) {
                out.println(type + " " + ResourcePaths.displayName(kind, resource));
            } else {
                String[] table = ResourceTable.render(kind, List.of(object), allNamespaces, format.equals("wide"), Instant.now())
                        .split("\n", 2);
                if (!headerPrinted[0]) {
                    out.println(String.format(Locale.ROOT, "%-9s%s", "EVENT", table[0]));
                    headerPrinted[0] = true;
                }
                out.print(String.format(Locale.ROOT, "%-9s%s", type, table[1].endsWith("\n") ? table[1] : table[1] + "\n"));
            }
            out.flush();
        }).join();
        return 0;
    }
}
