package io.dpuvpc.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

import io.dpuvpc.simulator.bench.OvsdbBenchmarkReport;
import io.dpuvpc.simulator.bench.OvsdbWriteBenchmark;
import io.dpuvpc.simulator.bench.OvsdbWriteBenchmark.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vpc bench ovsdb}: the OVSDB write benchmark ({@link OvsdbWriteBenchmark}) against an NB
 * ovsdb-server it starts itself in a temp folder. The table goes to stdout, progress to stderr,
 * and with {@code --json} the same figures to a file.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks that start their own servers and print figures.")
public final class BenchCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "ovsdb", mixinStandardHelpOptions = true,
            description = {"Create N logical switches with one port each in a fresh NB ovsdb-server, five ways:",
                    "(1) our client, one object per transaction, pipelined; (2) our client, batched;",
                    "(3) raw JSON-RPC over a socket (the physical limit); (4) one ovn-nbctl process per object;",
                    "(5) ovn-nbctl daemon mode. Prints transactions/s and rows/s; every row's rows are counted."})
    int ovsdb(@Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.") Path json,
              @Option(names = "--objects", paramLabel = "N", defaultValue = "" + Settings.DEFAULT_OBJECTS,
                      description = "Objects for rows (1)-(3) (default: ${DEFAULT-VALUE}).") int objects,
              @Option(names = "--nbctl-objects", paramLabel = "N", defaultValue = "" + Settings.DEFAULT_NBCTL_OBJECTS,
                      description = "Objects for the ovn-nbctl rows (4) and (5); 0 leaves them out (default: ${DEFAULT-VALUE}).")
              int nbctlObjects,
              @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "" + Settings.DEFAULT_MAX_IN_FLIGHT,
                      description = "The client's maxInFlight in (1) and (2) (default: ${DEFAULT-VALUE}).") int maxInFlight,
              @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + Settings.DEFAULT_BATCH_SIZE,
                      description = "Objects per transaction in (2) (default: ${DEFAULT-VALUE}).") int batchSize,
              @Option(names = "--repeat", paramLabel = "N", defaultValue = "" + Settings.DEFAULT_REPEATS,
                      description = "Runs of each of (1)-(3), interleaved; the median is reported (default: ${DEFAULT-VALUE}).")
              int repeats,
              @Option(names = "--warmup-objects", paramLabel = "N", defaultValue = "" + Settings.DEFAULT_WARMUP_OBJECTS,
                      description = "Objects per untimed warm-up round through (1)-(3); rounds go on until the JIT is "
                              + "nearly quiet, at most 8 (default: ${DEFAULT-VALUE}; 0: no warm-up).") int warmup)
            throws IOException {
        // withObjects last: it caps the warm-up at the timed size.
        Settings settings = Settings.defaults().withWarmupObjects(warmup).withNbctlObjects(nbctlObjects)
                .withMaxInFlight(maxInFlight).withBatchSize(batchSize).withRepeats(repeats).withObjects(objects);
        PrintWriter err = spec.commandLine().getErr();
        OvsdbBenchmarkReport report = OvsdbWriteBenchmark.run(settings, line -> {
            err.println(line);
            err.flush();
        });
        PrintWriter out = spec.commandLine().getOut();
        out.println();
        out.print(report.table());
        if (json != null) {
            report.writeJson(json);
            out.println("JSON: " + json.toAbsolutePath());
        }
        out.flush();
        return 0;
    }
}
