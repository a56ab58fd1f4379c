package io.dpuvpc.app.client;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.dpuvpc.http.document.KindNames;
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
 * {@code vpc delete KIND NAME...} or {@code vpc delete -f FILE}: a DELETE per resource. The
 * documents of files are deleted last first: a file lists what a resource refers to before it (a
 * VPC, then its networks, then their interfaces), and the referring ones go first. Resources that
 * do not exist are reported after the others were deleted (exit 1), or skipped with
 * {@code --ignore-not-found}; any other refusal stops at once.
 */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = {"Delete resources by kind and names, or those of files (in reverse order), as kubectl delete."})
public final class DeleteCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerOptions server;

    @Parameters(arity = "0..*", paramLabel = "KIND NAME", description = "The kind, then one or more names.")
    private List<String> arguments = new ArrayList<>();

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE",
            description = "Delete the resources of FILE (a file, a directory or -); may repeat.")
    private List<String> files = new ArrayList<>();

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
            description = "The namespace (default: default; with -f, of documents that name none).")
    private String namespace;

    @Option(names = "--ignore-not-found", description = "A resource that does not exist is no error.")
    private boolean ignoreNotFound;

    /** One resource to delete. */
    private record Target(ServedKind kind, String namespace, String name) {}

    @Override
    public Integer call() {
        List<Target> targets = new ArrayList<>();
        if (!files.isEmpty()) {
            if (!arguments.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "give either -f FILE or KIND NAME..., not both");
            }
            for (Manifests.Manifest m : Manifests.read(files, namespace, System.in)) {
                targets.add(0, new Target(KindNames.of(m.document().kind()), m.document().key().namespace(),
                        m.document().key().name()));
            }
        } else {
            if (arguments.size() < 2) {
                throw new ParameterException(spec.commandLine(), "give -f FILE, or a KIND and at least one NAME "
                        + "(e.g. vpc delete dpuvpcs bluevpc)");
            }
            ServedKind kind = ServerOptions.kind(spec, arguments.get(0));
            String ns = namespace != null ? namespace : ResourceDocuments.DEFAULT_NAMESPACE;
            arguments.subList(1, arguments.size()).forEach(name -> targets.add(new Target(kind, ns, name)));
        }
        AdminClient client = server.client();
        PrintWriter out = spec.commandLine().getOut();
        List<AdminApiException> notFound = new ArrayList<>();
        for (Target target : targets) {
            AdminClient.Response response = client.delete(ResourcePaths.item(target.kind(), target.namespace(), target.name()));
            if (response.code() == 404 && !ignoreNotFound) {
                notFound.add(AdminApiException.of(404, response.body()));
            } else if (response.code() != 404) {
                AdminClient.checked(response);
                out.println(target.kind().singular() + "." + target.kind().group() + " \"" + target.name() + "\" deleted");
                out.flush();
            }
        }
        if (!notFound.isEmpty()) {
            throw notFound.size() == 1 ? notFound.get(0) : new AdminApiException(404, "NotFound",
                    String.join("\n", notFound.stream().map(AdminApiException::getMessage).toList()), List.of());
        }
        return 0;
    }
}
