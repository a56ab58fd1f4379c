package io.dpuvpc.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.ovn.lab.ExternalCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code vpc demo --exit} end to end, as a user runs it: real OVN, Cassandra, a controller, four
 * lab DPUs with their agents as cluster members, example 3 applied with {@code vpc apply}, every
 * resource Ready, and a connectivity matrix measured from the hosts that keeps the tenants apart;
 * then everything is taken down.
 */
class DemoCommandIT {
    @Test
    void demoRunsTwoTenantsOnFourDpusAndTheMatrixIsAsExpected() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("demo", "--exit", "--api-port", "0");

        String text = out.toString();
        System.out.println(text);
        assertThat(code).as(text + err).isZero();
        assertThat(text).contains("reported ready", "dpuvpc.vpc.dpu.nvidia.com/redvpc created",
                        "dpuvirtualnetwork.vpc.dpu.nvidia.com/bluenet created",
                        "Everything Ready", "As expected")
                .containsPattern("a +tenant=red +vtep 192\\.168\\.100\\.1")
                .containsPattern("d +tenant=blue")
                .containsPattern("Ready: DPUVPC 2/2, DPUVirtualNetwork 2/2, DPUServiceInterface 2/2, ServiceInterface 4/4")
                .containsPattern("leased 192\\.178\\.\\d+\\.\\d+ in \\d+ ms, gateway 192\\.178\\.0\\.1")
                .contains("Stopped everything");
        assertThat(text).doesNotContain("NO!", "YES!");
        // Nothing of the lab is left.
        assertThat(ExternalCommand.run("ip", "netns", "list").stdout()).doesNotContain("vd-");
    }
}
