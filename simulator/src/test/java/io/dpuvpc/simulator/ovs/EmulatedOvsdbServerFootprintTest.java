package io.dpuvpc.simulator.ovs;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.ovn.ovsdb.Operation;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a database costs: 1,000 of them, each holding what a node agent writes (the root row with
 * the chassis keys, br-int and br-ex with their internal ports, the uplink, two plugged VFs),
 * measured as heap after a full GC. A fleet of 10,000 must fit one JVM beside the controller.
 */
class EmulatedOvsdbServerFootprintTest {
    private static final int DATABASES = 1_000;
    /** The bound per database: rows, indexes, listener channel, loop bookkeeping. */
    private static final long MAX_BYTES_PER_DATABASE = 32 * 1024; // 15 KB measured here: 10,000 take 150 MB

    @TempDir
    Path dir;

    @Test
    void aThousandAgentSizedDatabasesStaySmall() throws Exception {
        try (EmulatedOvsdbServer server = EmulatedOvsdbServer.start(dir, 2)) {
            long before = usedHeapAfterGc();
            List<CompletableFuture<?>> writes = new ArrayList<>();
            for (int i = 0; i < DATABASES; i++) {
                EmulatedDatabase database = server.open(String.format("dpu-%04d", i));
                writes.add(database.transact(agentRows(i)).toCompletableFuture());
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            long after = usedHeapAfterGc();
            long perDatabase = (after - before) / DATABASES;
            System.out.printf("%d databases: %d bytes of heap each%n", DATABASES, perDatabase);

            assertThat(writes).allSatisfy(w -> assertThat(w.get().toString()).doesNotContain("error"));
            assertThat(server.database("dpu-0999").rows("Interface").toCompletableFuture().get()).hasSize(6);
            assertThat(perDatabase).isLessThan(MAX_BYTES_PER_DATABASE);
        }
    }

    /** The rows a converged agent leaves, in one transaction. */
    private static List<Operation> agentRows(int i) {
        Map<String, String> owner = Map.of("vpc.dpu.nvidia.com/owner", "node-agent");
        List<Operation> ops = new ArrayList<>();
        List<String> intPorts = List.of("br-int", "pf0vf1", "pf0vf2");
        List<String> exPorts = List.of("br-ex", "p0", "p1");
        for (String port : concat(intPorts, exPorts)) {
            ops.add(new Operation.Insert("Interface", Map.of("name", port, "type", port.startsWith("br-") ? "internal" : "",
                "external_ids", port.startsWith("pf") ? Map.of("iface-id", "lsp-" + i + "-" + port,
                    "vpc.dpu.nvidia.com/owner", "node-agent") : owner), "i_" + port.replace('-', '_')));
            ops.add(new Operation.Insert("Port", Map.of("name", port, "external_ids", owner,
                "interfaces", Set.of(new io.dpuvpc.ovn.ovsdb.NamedUuid("i_" + port.replace('-', '_')))), "p_" + port.replace('-', '_')));
        }
        ops.add(new Operation.Insert("Bridge", Map.of("name", "br-int", "datapath_type", "netdev", "fail_mode", "secure",
            "other_config", Map.of("disable-in-band", "true"), "external_ids", owner, "ports", refs(intPorts)), "b_int"));
        ops.add(new Operation.Insert("Bridge", Map.of("name", "br-ex", "datapath_type", "netdev", "external_ids", owner,
            "ports", refs(exPorts)), "b_ex"));
        ops.add(new Operation.Insert("Open_vSwitch", Map.of("bridges", Set.of(new io.dpuvpc.ovn.ovsdb.NamedUuid("b_int"),
            new io.dpuvpc.ovn.ovsdb.NamedUuid("b_ex")), "external_ids", Map.of("system-id", "dpu-" + i,
            "ovn-remote", "tcp:127.0.0.1:6642", "ovn-encap-type", "geneve", "ovn-encap-ip", "100.64.0." + (i % 250),
            "ovn-bridge", "br-int", "ovn-bridge-datapath-type", "netdev", "ovn-bridge-mappings", "external:br-ex")), null));
        return ops;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Set<Object> refs(List<String> ports) {
        Set<Object> refs = new java.util.LinkedHashSet<>();
        ports.forEach(p -> refs.add(new io.dpuvpc.ovn.ovsdb.NamedUuid("p_" + p.replace('-', '_'))));
        return refs;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
