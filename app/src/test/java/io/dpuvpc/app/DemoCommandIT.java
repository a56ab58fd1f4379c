package io.dpuvpc.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code vpc demo} end to end: real OVN and Cassandra, a controller node, example 2 applied
 * through the entities, converged in OVN as observed by the bridge, drift repaired, all removed.
 */
class DemoCommandIT {
    @Test
    void demoConvergesRepairsDriftAndCleansUp() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("demo");

        String text = out.toString();
        assertThat(code).as(text + err).isZero();
        assertThat(text).contains("Applied 8 resources", "5. Converged in")
                .containsPattern("DPUVPC default/testvpc +Ready=True Success")
                .containsPattern("TopologyReconciled +True +Success")
                .containsPattern("DPUVirtualNetwork testnet2 192.188.0.0/16 +Ready=True Success")
                .containsPattern("ServiceInterfaceReconciled +True +Success")
                .containsPattern("ServiceInterface testnet1-vf2-dpu-a on dpu-a +Ready=False AwaitingPort");
        // Addresses from each network's subnet, never the gateway.
        assertThat(text).containsPattern("address 192\\.178\\.0\\.([2-9]|[1-9][0-9]+),")
                .containsPattern("address 192\\.188\\.0\\.([2-9]|[1-9][0-9]+),");
        assertThat(text).contains("(net_default_testnet1)", "(vpc_default_testvpc)", "(gw_default_testvpc_dpu-a)")
                .contains("was repaired in", "0 rows of ours left in Northbound", "Stopped OVN and Cassandra");
    }
}
