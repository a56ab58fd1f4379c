package io.dpuvpc.app.client;

import java.io.PrintWriter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import io.dpuvpc.http.document.Document;
import io.dpuvpc.http.document.Metadata;
import io.dpuvpc.http.document.ResourceDocuments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vpc apply -f FILE}: each document PUT to its own path, in file order, stopping at the
 * first the server refuses (as the server's own multi-document POST does). Whether a 200 changed
 * anything is read from the resource before and after: kubectl's {@code configured} or {@code
 * unchanged}.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Create or update resources from files (YAML, multi-document YAML, JSON or a List), as kubectl apply.",
                "Each document is PUT to its own path, in order; the first refused stops the rest."})
public final class ApplyCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerOptions server;

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE", required = true,
            description = "A file, a directory (its *.yaml, *.yml and *.json in name order) or - for stdin; may repeat.")
    private List<String> files;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
            description = "The namespace of namespaced documents that name none (default: default).")
    private String namespace;

    /** What applying one document did, as kubectl words it. */
    enum Outcome {
        CREATED("created"), CONFIGURED("configured"), UNCHANGED("unchanged");

        final String word;

        Outcome(String word) {
            this.word = word;
        }
    }

    @Override
    public Integer call() {
        List<Manifests.Manifest> manifests = Manifests.read(files, namespace, System.in);
        AdminClient client = server.client();
        PrintWriter out = spec.commandLine().getOut();
        for (Manifests.Manifest manifest : manifests) {
            Outcome outcome = apply(client, manifest);
            out.println(ResourcePaths.displayName(manifest.document()) + " " + outcome.word);
            out.flush();
        }
        return 0;
    }

    static Outcome apply(AdminClient client, Manifests.Manifest manifest) {
        Document document = manifest.document();
        String path = ResourcePaths.item(document);
        try {
            Optional<JsonNode> before = client.find(path);
            AdminClient.Response response = client.put(path, body(document), AdminClient.JSON);
            return response.code() == 201 ? Outcome.CREATED : outcome(before, response.json());
        } catch (AdminApiException e) {
            throw e.withContext(ResourcePaths.displayName(document) + " (" + manifest.source() + ")");
        }
    }

    /** The document as JSON, with the resourceVersion it names (the server's guard against lost updates). */
    static String body(Document document) {
        Metadata metadata = new Metadata(null, 0, document.resourceVersion().orElse(null), null);
        return ResourceDocuments.toJson(ResourceDocuments.render(document, metadata, null));
    }

    /**
     * For a 200: unchanged when generation, labels, annotations and spec are what they were before;
     * configured otherwise, or when there was nothing before to compare with.
     */
    static Outcome outcome(Optional<JsonNode> before, JsonNode after) {
        if (before.isEmpty()) {
            return Outcome.CONFIGURED;
        }
        JsonNode was = before.get();
        boolean same = Objects.equals(was.path("metadata").path("generation"), after.path("metadata").path("generation"))
                && was.path("metadata").path("labels").equals(after.path("metadata").path("labels"))
                && was.path("metadata").path("annotations").equals(after.path("metadata").path("annotations"))
                && was.path("spec").equals(after.path("spec"));
        return same ? Outcome.UNCHANGED : Outcome.CONFIGURED;
    }
}
