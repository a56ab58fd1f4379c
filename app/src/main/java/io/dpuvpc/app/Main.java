package io.dpuvpc.app;

import java.io.PrintWriter;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code vpc} command. Each verb is its own class, listed in {@code subcommands} below; to add
 * one (e.g. {@code bench}, {@code demo}), write a picocli {@code @Command} class in this package
 * and add it to the list.
 *
 * <p>Errors print one message on stderr and exit 1 (usage errors exit 2); {@code --verbose} adds
 * the stack trace and debug logging. Logging goes to stderr at WARN (logback.xml), so stdout
 * carries only the command's output.
 */
@Command(name = "vpc",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "A VPC control plane for DPU fleets on OVN.",
        subcommands = {
                io.dpuvpc.app.client.ApplyCommand.class,
                io.dpuvpc.app.client.GetCommand.class,
                io.dpuvpc.app.client.DescribeCommand.class,
                io.dpuvpc.app.client.DeleteCommand.class,
                io.dpuvpc.app.client.WaitCommand.class,
                BenchCommand.class,
                ControllerCommand.class,
                DemoCommand.class,
                LabCommand.class,
                NodeCommand.class,
                SimulateCommand.class,
                ChaosCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {
    private static volatile boolean verbose;

    @Spec
    private CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Debug logging, and stack traces with errors.")
    void setVerbose(boolean value) {
        verbose = value;
        if (value) {
            ((Logger) LoggerFactory.getLogger("io.dpuvpc")).setLevel(Level.DEBUG);
        }
    }

    /** Whether {@code --verbose} was given. */
    public static boolean verbose() {
        return verbose;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests; main() exits with it). */
    public static int run(String... args) {
        CommandLine commandLine = commandLine();
        int code = commandLine.execute(args);
        commandLine.getOut().flush();
        commandLine.getErr().flush();
        return code;
    }

    /** The configured picocli command line, with the error handling described above. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            err.println(cmd.getColorScheme().errorText("vpc: " + describe(exception)));
            if (verbose) {
                exception.printStackTrace(err);
            } else {
                err.println("(run with --verbose for details)");
            }
            err.flush();
            return 1;
        });
        return commandLine;
    }

    /** The version from the jar manifest, when there is one. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"vpc " + (version != null ? version : "(development build)")};
        }
    }

    private static String describe(Throwable exception) {
        StringBuilder text = new StringBuilder(String.valueOf(exception.getMessage() != null
                ? exception.getMessage() : exception.getClass().getSimpleName()));
        for (Throwable cause = exception.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(": ").append(cause.getMessage());
            }
        }
        return text.toString();
    }
}
