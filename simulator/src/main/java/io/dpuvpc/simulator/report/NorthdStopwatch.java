package io.dpuvpc.simulator.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code ovn-appctl -t ovn-northd stopwatch/show} prints, read: per stage of northd's loop
 * (e.g. {@code ovn-northd-loop}, {@code ovnnb_db_run}, {@code build_lflows}) how many times it ran,
 * its maximum and its long-term average. A run's report uses it to say how much of the wait was
 * northd's own work, beside ours.
 */
public final class NorthdStopwatch {
    /** One stage: how often it ran since the last reset, its longest run and its long-term average. */
    public record Stage(long samples, double maxMs, double averageMs) {}

    private static final Pattern BLOCK = Pattern.compile(
            "Statistics for '([^']+)'\\s*\\n\\s*Total samples: (\\d+)\\s*\\n\\s*Maximum: ([\\d.]+) msec"
                    + "(?:.|\\n)*?Long term average: ([\\d.]+) msec");

    private NorthdStopwatch() {}

    /** The stages in the order printed; a stage without samples prints no figures and is left out. */
    public static Map<String, Stage> parse(String stopwatchShow) {
        Map<String, Stage> stages = new LinkedHashMap<>();
        Matcher m = BLOCK.matcher(stopwatchShow);
        while (m.find()) {
            stages.put(m.group(1), new Stage(Long.parseLong(m.group(2)), Double.parseDouble(m.group(3)),
                    Double.parseDouble(m.group(4))));
        }
        return stages;
    }
}
