package io.dpuvpc.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpuvpc.ovn.lab.OvnCentral;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark against real servers with tiny counts: every row runs, reports a positive rate,
 * and left exactly the objects it claims. A behaviour test, not a timing test.
 */
class OvsdbWriteBenchmarkIT {
    private static final int OBJECTS = 200;
    private static final int NBCTL_OBJECTS = 20;

    @Test
    void everyRowWritesWhatItClaimsAndReportsARate(@TempDir Path tmp) throws Exception {
        // Batches of 30 do not divide 200: the last transaction is a short one.
        OvsdbWriteBenchmark.Settings settings = OvsdbWriteBenchmark.Settings.defaults()
            .withObjects(OBJECTS).withNbctlObjects(NBCTL_OBJECTS).withBatchSize(30).withRepeats(2).withWarmupObjects(50);
        List<String> progress = new ArrayList<>();

        OvsdbBenchmarkReport report = OvsdbWriteBenchmark.run(settings, progress::add);

        Map<String, BenchmarkRow> rows = report.rows().stream().collect(Collectors.toMap(BenchmarkRow::key, r -> r));
        assertThat(rows).containsOnlyKeys(OvsdbWriteBenchmark.CLIENT_PIPELINED, OvsdbWriteBenchmark.CLIENT_BATCHED,
            OvsdbWriteBenchmark.RAW_JSONRPC, OvsdbWriteBenchmark.NBCTL_PROCESS, OvsdbWriteBenchmark.NBCTL_DAEMON);
        for (BenchmarkRow row : report.rows()) {
            boolean nbctl = row.key().startsWith("nbctl");
            int expected = nbctl ? NBCTL_OBJECTS : OBJECTS;
            assertThat(row.runs()).as(row.label()).hasSize(nbctl ? 1 : 2);
            assertThat(row.runs()).as(row.label()).allSatisfy(run -> {
                assertThat(run.verifiedSwitches()).isEqualTo(expected);
                assertThat(run.verifiedPorts()).isEqualTo(expected);
                assertThat(run.seconds()).isPositive();
            });
            assertThat(row.objects()).as(row.label()).isEqualTo(expected);
            assertThat(row.verifiedSwitches()).as(row.label()).isEqualTo(expected);
            assertThat(row.verifiedPorts()).as(row.label()).isEqualTo(expected);
            assertThat(row.rows()).as(row.label()).isEqualTo(2L * expected);
            assertThat(row.seconds()).as(row.label()).isPositive();
            assertThat(row.transactionsPerSecond()).as(row.label()).isPositive();
            assertThat(row.rowsPerSecond()).as(row.label()).isPositive();
        }
        assertThat(rows.get(OvsdbWriteBenchmark.CLIENT_PIPELINED).transactions()).isEqualTo(OBJECTS);
        assertThat(rows.get(OvsdbWriteBenchmark.CLIENT_BATCHED).transactions()).isEqualTo(7);
        assertThat(report.pipelinedToRawTransactions()).hasValueSatisfying(r -> assertThat(r).isPositive());
        assertThat(report.batchedToRawRows()).hasValueSatisfying(r -> assertThat(r).isPositive());
        assertThat(report.table()).contains("(1) client", "(5) ovn-nbctl daemon mode", "(1)/(3) txn/s", "(2)/(3) rows/s");
        assertThat(progress).anyMatch(line -> line.contains("nbctl daemon mode: " + NBCTL_OBJECTS + "/" + NBCTL_OBJECTS));

        Path json = tmp.resolve("bench.json");
        report.writeJson(json);
        JsonNode written = new ObjectMapper().readTree(json.toFile());
        assertThat(written.path("rows")).hasSize(5);
        assertThat(written.path("rows").get(0).path("verifiedSwitches").asInt()).isEqualTo(OBJECTS);
        assertThat(written.path("rows").get(0).path("runs")).hasSize(2);
        assertThat(written.path("ratios").path("pipelinedToRawTransactionsPerSecond").asDouble()).isPositive();
        assertThat(written.path("settings").path("batchSize").asInt()).isEqualTo(30);
    }

    @Test
    void leavesNoNbctlDaemonBehind(@TempDir Path dir) {
        try (OvnCentral ovn = OvnCentral.builder(dir).northd(false).stopOnJvmExit(true).start()) {
            new NbctlRunner(ovn.nbTcpEndpoint()).createSwitchesThroughDaemon(dir, 0, 3, line -> { });
            assertThat(liveProcessesMentioning(dir.resolve("ovn-nbctl.pid").toString())).as("ovn-nbctl daemons left").isEmpty();
            assertThat(OvsdbWriteBenchmark.countRows(ovn.nbTcpEndpoint())).isEqualTo(new OvsdbWriteBenchmark.RowCounts(3, 3));
        }
    }

    @Test
    void aRawReplyWithAnErrorFailsTheRow(@TempDir Path dir) throws Exception {
        try (OvnCentral ovn = OvnCentral.builder(dir).northd(false).stopOnJvmExit(true).start()) {
            RawJsonRpcWriter raw = new RawJsonRpcWriter("127.0.0.1", ovn.nbPort(), 10);
            raw.createSwitches(0, 5);
            // Logical_Switch_Port names are unique: the same five again are constraint violations.
            assertThatThrownBy(() -> raw.createSwitches(0, 5))
                .isInstanceOf(BenchmarkFailedException.class)
                .hasMessageContaining("constraint violation");
            assertThat(OvsdbWriteBenchmark.countRows(ovn.nbTcpEndpoint())).isEqualTo(new OvsdbWriteBenchmark.RowCounts(5, 5));
        }
    }

    @Test
    void replyScannerCountsRepliesSplitAnywhereAndSpotsErrors() {
        String ok = "{\"id\":1,\"result\":[{\"uuid\":[\"uuid\",\"0b8c3c52-5bd4-4c5f-a0c3-8cf3f2c5e8a1\"]}],\"error\":null}";
        String tricky = "{\"id\":2,\"result\":[{\"rows\":[{\"name\":\"a}\\\"{[\"}]}],\"error\":null}";
        String serverEcho = "{\"id\":\"echo\",\"method\":\"echo\",\"params\":[]}";
        byte[] stream = (ok + tricky + serverEcho + ok).getBytes(StandardCharsets.UTF_8);
        for (int split = 1; split < stream.length; split++) {
            RawJsonRpcWriter.ReplyScanner scanner = new RawJsonRpcWriter.ReplyScanner();
            int replies = scanner.scan(Arrays.copyOfRange(stream, 0, split), split)
                + scanner.scan(Arrays.copyOfRange(stream, split, stream.length), stream.length - split);
            assertThat(replies).as("split at " + split).isEqualTo(3);
            assertThat(scanner.failure()).as("split at " + split).isNull();
        }
        String failed = "{\"id\":3,\"result\":[{\"uuid\":[\"uuid\",\"x\"]},{\"error\":\"constraint violation\",\"details\":\"d\"}],"
            + "\"error\":null}";
        RawJsonRpcWriter.ReplyScanner scanner = new RawJsonRpcWriter.ReplyScanner();
        byte[] bytes = failed.getBytes(StandardCharsets.UTF_8);
        assertThat(scanner.scan(bytes, bytes.length)).isEqualTo(1);
        assertThat(scanner.failure()).contains("constraint violation");
    }

    /** Live (not zombie) processes whose command line contains {@code text}. */
    private static List<Long> liveProcessesMentioning(String text) {
        return ProcessHandle.allProcesses()
            .filter(p -> p.info().arguments().map(args -> String.join(" ", args).contains(text)).orElse(false))
            .map(ProcessHandle::pid)
            .filter(NbctlRunner::isRunning)
            .toList();
    }
}
