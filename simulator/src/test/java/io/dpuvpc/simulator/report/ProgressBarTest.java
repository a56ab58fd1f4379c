package io.dpuvpc.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private static final long MS = 1_000_000L;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong(1_000 * MS);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void at(long millisFromStart, ProgressBar bar, long done) {
        clock.set(1_000 * MS + millisFromStart * MS);
        bar.update("Ready", done, 10_000, "NB 812 txn/s");
    }

    @Test
    void lineShowsBarCountsPercentElapsedAndDetail() {
        assertThat(ProgressBar.line("Ready", 4_512, 10_000, "NB 812 txn/s", 12.34))
            .isEqualTo("[#########-----------]  4,512/10,000 Ready  45%  12.3 s  NB 812 txn/s");
        assertThat(ProgressBar.line("Ready", 10, 10, null, 0)).isEqualTo("[####################]  10/10 Ready  100%  0.0 s");
        assertThat(ProgressBar.line("Ready", 0, 0, "", 1)).isEqualTo("[--------------------]  0/0 Ready  0%  1.0 s");
    }

    @Test
    void interactiveRedrawsInPlaceAtMostTenTimesASecond() {
        ProgressBar bar = new ProgressBar(out, true, clock::get);
        at(0, bar, 1);
        at(50, bar, 2);
        at(99, bar, 3);
        at(100, bar, 4_512);
        at(150, bar, 5_000);
        at(250, bar, 6_000);

        assertThat(printed()).doesNotContain("\n").startsWith("\r[").contains("1/10,000 Ready", "4,512/10,000 Ready  45%  0.1 s",
            "6,000/10,000").doesNotContain(" 2/10,000", " 3/10,000", "5,000/10,000");
        assertThat(printed().chars().filter(c -> c == '\r').count()).isEqualTo(3);

        // Reaching 100% shows at once, even inside the interval, but only the first time.
        at(260, bar, 10_000);
        at(270, bar, 10_000);
        assertThat(printed().chars().filter(c -> c == '\r').count()).isEqualTo(4);
        assertThat(printed()).endsWith("10,000/10,000 Ready  100%  0.3 s  NB 812 txn/s");

        bar.finish("done");
        String longest = "[####################]  10,000/10,000 Ready  100%  0.3 s  NB 812 txn/s";
        assertThat(printed()).endsWith("\rdone" + " ".repeat(longest.length() - 4) + System.lineSeparator());
    }

    @Test
    void plainPrintsALineEveryFiveSecondsAndAt100Percent() {
        ProgressBar bar = new ProgressBar(out, false, clock::get);
        for (int second = 0; second <= 12; second++) {
            at(second * 1_000L, bar, second * 100L);
        }
        at(12_500, bar, 10_000);
        at(12_600, bar, 10_000);
        bar.finish("all Ready in 12.6 s");

        assertThat(printed()).doesNotContain("\r");
        assertThat(printed().split(System.lineSeparator())).containsExactly(
            "[--------------------]  0/10,000 Ready  0%  0.0 s  NB 812 txn/s",
            "[#-------------------]  500/10,000 Ready  5%  5.0 s  NB 812 txn/s",
            "[##------------------]  1,000/10,000 Ready  10%  10.0 s  NB 812 txn/s",
            "[####################]  10,000/10,000 Ready  100%  12.5 s  NB 812 txn/s",
            "all Ready in 12.6 s");
    }

    @Test
    void elapsedTimeCountsFromConstruction() {
        clock.set(7_000 * MS);
        ProgressBar bar = new ProgressBar(out, false, clock::get);
        clock.set(9_500 * MS);
        bar.update("Ready", 1, 2, null);

        assertThat(printed()).isEqualTo("[##########----------]  1/2 Ready  50%  2.5 s" + System.lineSeparator());
    }
}
