package io.dpuvpc.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code vpc demo} end to end: a real OVN central, our client's transaction, northd's IPAM. */
class DemoCommandIT {
    @Test
    void demoBuildsTheTopologyAndNorthdAssignsAddressesFromEachSubnet() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("demo", "--interfaces", "3");

        assertThat(code).as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text).contains("Wrote VPC default/testvpc: 15 rows in ONE transaction", "3 SB datapaths",
            "router 1, switches 2, ports 8, DHCP options 2", "Stopped OVN");
        // IPAM hands out addresses from each network's subnet, never the excluded gateway.
        assertThat(text).containsPattern("testnet1-vf4 +0a:00:00:01:00:04 192\\.178\\.0\\.[2-9]");
        assertThat(text).containsPattern("testnet2-vf2 +0a:00:00:02:00:02 192\\.188\\.0\\.[2-9]");
        assertThat(text).doesNotContain("192.178.0.1 ").doesNotContain("192.188.0.1 ");
    }
}
