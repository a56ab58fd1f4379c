package io.dpuvpc.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SvgLineChartTest {

    @Test
    void logTicksArePowersOfTen() {
        assertThat(SvgLineChart.logTicks(0.1, 1000)).containsExactly(0.1, 1.0, 10.0, 100.0, 1000.0);
        assertThat(SvgLineChart.logTicks(1, 10)).containsExactly(1.0, 10.0);
    }

    @Test
    void linearTicksAreOneTwoFiveStepsCoveringTheRange() {
        assertThat(SvgLineChart.linearTicks(0, 37.4)).containsExactly(0.0, 10.0, 20.0, 30.0, 40.0);
        assertThat(SvgLineChart.linearTicks(0, 1)).containsExactly(0.0, 0.2, 0.4, 0.6, 0.8, 1.0);
        assertThat(SvgLineChart.linearTicks(-3, 3)).containsExactly(-4.0, -2.0, 0.0, 2.0, 4.0);
    }

    @Test
    void logXPlacesDecadesEvenlyAndDropsNonPositivePoints() {
        String svg = new SvgLineChart("CDF", "ms", "fraction").logX(true)
            .line("latency", new double[] {0, 0.5, 20, 2000}, new double[] {0, 0.25, 0.5, 1}).svg();

        // 0.5..2000 widens to 0.1..10,000: five decades over x 72..736, so 100 sits 3/5 of the way.
        assertThat(svg).contains(">0.1</text>", ">1</text>", ">10</text>", ">100</text>", ">1000</text>", ">10k</text>",
            "<line x1=\"72.0\"", "<line x1=\"470.4\"", "<line x1=\"736.0\"");
        // Three points: x = 0 has no place on a log axis; 0.5 is 0.699 decades in, 92.8 px.
        assertThat(svg).containsOnlyOnce("<polyline").contains("points=\"164.8,292.3 377.6,213.5 643.2,56.0\"")
            .doesNotContain("NaN", "Infinity");
    }

    @Test
    void singlePointSeriesIsADotInsideWidenedAxes() {
        String svg = new SvgLineChart("one", "s", "n").line("only", new double[] {5}, new double[] {7}).svg();

        assertThat(svg).contains("<circle cx=\"404.0\" cy=\"", "r=\"3\"").doesNotContain("<polyline", "NaN", "no data");
        // 5 widens by 10% to 4.5..5.5, ticked 4.4..5.6 in 0.2; 7 to 6.3..7.7, ticked 6..8 in 0.5.
        assertThat(svg).contains(">4.4</text>", ">5</text>", ">5.6</text>", ">6</text>", ">7</text>", ">8</text>",
            "cy=\"182.0\"");
    }

    @Test
    void emptyChartSaysNoData() {
        String svg = new SvgLineChart("nothing", "s", "n").line("empty", new double[0], new double[0]).svg();

        assertThat(svg).startsWith("<svg ").endsWith("</svg>\n").contains(">no data</text>", ">nothing</text>")
            .doesNotContain("<polyline", "<circle");
    }

    @Test
    void textIsEscapedEverywhere() {
        String svg = new SvgLineChart("a<b & \"c\"", "x's", "y>").line("s&p", new double[] {1, 2}, new double[] {1, 2})
            .svg();

        assertThat(svg).contains(">a&lt;b &amp; &quot;c&quot;</text>", ">x&#39;s</text>", ">y&gt;</text>", ">s&amp;p</text>")
            .doesNotContain("a<b", "s&p");
        assertThat(SvgLineChart.escape("<&>\"'")).isEqualTo("&lt;&amp;&gt;&quot;&#39;");
    }

    @Test
    void tickLabelsAreShort() {
        assertThat(SvgLineChart.tickLabel(0.001)).isEqualTo("0.001");
        assertThat(SvgLineChart.tickLabel(2500)).isEqualTo("2500");
        assertThat(SvgLineChart.tickLabel(15_000)).isEqualTo("15k");
        assertThat(SvgLineChart.tickLabel(2_000_000)).isEqualTo("2M");
        assertThat(SvgLineChart.tickLabel(3e9)).isEqualTo("3G");
    }

    @Test
    void seriesNeedsAsManyXAsY() {
        assertThatThrownBy(() -> new SvgLineChart.Series("bad", new double[2], new double[3], "#000", false))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad");
    }
}
