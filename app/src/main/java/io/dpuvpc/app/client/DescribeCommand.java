package io.dpuvpc.app.client;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.http.document.ServedKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vpc describe dpuvpcs}: the tree of VPCs, networks and interfaces with their conditions,
 * as the server draws it ({@code GET /describe/dpuvpcs}); printed as it comes.
 */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = {"The tree of DPUVPCs, their networks and interfaces with their conditions",
                "(as dpfctl describe dpuvpcs). Every namespace unless -n is given."})
public final class DescribeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerOptions server;

    @Parameters(index = "0", paramLabel = "KIND", description = "dpuvpcs (the only kind described).")
    private String kindName;

    @Option(names = "--show-conditions", paramLabel = "WHICH", defaultValue = "all",
            description = "all, or failed: only conditions that are not True (default: ${DEFAULT-VALUE}).")
    private String showConditions;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Only this namespace.")
    private String namespace;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "json (default: the text tree).")
    private String output;

    @Override
    public Integer call() {
        ServedKind kind = ServerOptions.kind(spec, kindName);
        if (kind.kind() != ResourceKind.DPU_VPC) {
            throw new ParameterException(spec.commandLine(), "describe shows the tree under dpuvpcs only, not "
                    + kind.plural());
        }
        String show = showConditions.toLowerCase(Locale.ROOT);
        if (!show.equals("all") && !show.equals("failed")) {
            throw new ParameterException(spec.commandLine(), "--show-conditions must be all or failed, not \""
                    + showConditions + "\"");
        }
        if (output != null && !output.equalsIgnoreCase("json")) {
            throw new ParameterException(spec.commandLine(), "-o must be json (or left out for the tree), not \"" + output + "\"");
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("showConditions", show);
        query.put("namespace", namespace);
        query.put("output", output == null ? null : "json");
        String body = server.client().get("/describe/dpuvpcs" + AdminClient.query(query),
                output == null ? null : AdminClient.JSON).body();
        PrintWriter out = spec.commandLine().getOut();
        out.print(body.endsWith("\n") ? body : body + "\n");
        out.flush();
        return 0;
    }
}
