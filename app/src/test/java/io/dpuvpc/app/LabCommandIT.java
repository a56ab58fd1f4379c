package io.dpuvpc.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** {@code vpc lab up|status|down} end to end, on free ports in a temp folder. */
class LabCommandIT {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void down() {
        run("lab", "down", "--work", dir.toString());
    }

    @Test
    void upStatusDown() {
        assertThat(run("lab", "up", "--work", dir.toString(), "--nb-port", "0", "--sb-port", "0")).isZero();
        assertThat(out.toString()).contains("OVN lab is up in " + dir, "ovn-nbctl --db=tcp:127.0.0.1:");

        assertThat(run("lab", "up", "--work", dir.toString())).isZero();
        assertThat(out.toString()).contains("already running");

        assertThat(run("lab", "status", "--work", dir.toString())).isZero();
        assertThat(out.toString()).contains(": running", "ovn-northd");
        List<Long> pids = pids(out.toString());
        assertThat(pids).hasSize(3).allMatch(LabCommandIT::alive);

        assertThat(run("lab", "down", "--work", dir.toString())).isZero();
        assertThat(out.toString()).contains("Stopped ovn-northd", "Stopped ovsdb-server nb", "Stopped ovsdb-server sb");
        assertThat(pids).noneMatch(LabCommandIT::alive);

        assertThat(run("lab", "status", "--work", dir.toString())).isEqualTo(3);
        assertThat(out.toString()).contains(": stopped");
        assertThat(run("lab", "down", "--work", dir.toString())).isZero();
        assertThat(out.toString()).contains("nothing to stop");
    }

    @Test
    void withoutNorthd() {
        assertThat(run("lab", "up", "--work", dir.toString(), "--nb-port", "0", "--sb-port", "0", "--no-northd")).isZero();
        assertThat(run("lab", "status", "--work", dir.toString())).isZero();
        assertThat(out.toString()).doesNotContain("ovn-northd");
    }

    @Test
    void statusOfNoLabIsNotRunning() {
        assertThat(run("lab", "status", "--work", dir.resolve("none").toString())).isEqualTo(3);
        assertThat(out.toString()).contains("No OVN lab");
    }

    @Test
    void errorsAreOneLineOnStderrWithoutStackTrace() {
        assertThat(run("lab", "up", "--work", dir.toString(), "--nb-port", "70000")).isEqualTo(1);
        assertThat(err.toString()).startsWith("vpc: port out of range: 70000").doesNotContain("at io.dpuvpc");
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private static List<Long> pids(String status) {
        List<Long> pids = new ArrayList<>();
        Matcher m = Pattern.compile("pid (\\d+)").matcher(status);
        while (m.find()) {
            pids.add(Long.parseLong(m.group(1)));
        }
        return pids;
    }

    /** Alive and not a zombie (detached daemons are reaped by pid 1, sometimes late). */
    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }
}
