package io.dpuvpc.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reads {@code stopwatch/show} as ovn-northd 23.03 printed it during a 10,000-interface run. */
class NorthdStopwatchTest {
    static final String SHOWN = """
            Statistics for 'ovnnb_db_run'
              Total samples: 171
              Maximum: 2181 msec
              Minimum: 0 msec
              95th percentile: 513.901073 msec
              Short term average: 785.898250 msec
              Long term average: 117.847396 msec
            Statistics for 'ovn-northd-loop'
              Total samples: 1560
              Maximum: 12360 msec
              Minimum: 0 msec
              95th percentile: 114.796819 msec
              Short term average: 6354.157825 msec
              Long term average: 134.304780 msec
            Statistics for 'build_lflows'
              Total samples: 171
              Maximum: 8544 msec
              Minimum: 0 msec
              95th percentile: 965.696015 msec
              Short term average: 2090.929174 msec
              Long term average: 251.597596 msec
            """;

    @Test
    void eachStageGivesItsSamplesMaximumAndLongTermAverage() {
        Map<String, NorthdStopwatch.Stage> stages = NorthdStopwatch.parse(SHOWN);
        assertThat(stages).containsOnlyKeys("ovnnb_db_run", "ovn-northd-loop", "build_lflows");
        assertThat(stages.get("ovn-northd-loop")).isEqualTo(new NorthdStopwatch.Stage(1560, 12360, 134.304780));
        assertThat(stages.get("build_lflows")).isEqualTo(new NorthdStopwatch.Stage(171, 8544, 251.597596));
    }

    @Test
    void nothingPrintedIsNoStage() {
        assertThat(NorthdStopwatch.parse("")).isEmpty();
    }
}
