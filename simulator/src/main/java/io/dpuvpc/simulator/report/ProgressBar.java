package io.dpuvpc.simulator.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a run on the terminal. On an interactive terminal one line is redrawn in place with
 * {@code \r}, at most ten times a second so a poller calling it in a tight loop does not flood the
 * terminal; otherwise (a log file, CI) a plain line at most every five seconds, since carriage
 * returns make a log unreadable. Either way the first update and the first at 100% always show.
 */
public final class ProgressBar {

    static final long INTERACTIVE_INTERVAL_NANOS = 100_000_000L;
    static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;
    static final int WIDTH = 20;

    private final PrintStream out;
    private final boolean interactive;
    private final LongSupplier nanoTime;
    private final long startNanos;
    private boolean shown;
    private long lastShownNanos;
    private boolean completeShown;
    /** The drawn line's length, so a shorter redraw can blank what is left of the longer one. */
    private int drawnLength;

    public ProgressBar(PrintStream out, boolean interactive) {
        this(out, interactive, System::nanoTime);
    }

    /** {@code nanoTime}: the clock for the elapsed time and the rate limit; tests pass a fake one. */
    public ProgressBar(PrintStream out, boolean interactive, LongSupplier nanoTime) {
        this.out = out;
        this.interactive = interactive;
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
    }

    /** A console, and not one that says it cannot move the cursor. */
    public static boolean interactiveTerminal() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    /** {@code detail} (may be null) goes after the elapsed time, e.g. {@code NB 812 txn/s}. */
    public synchronized void update(String label, long done, long total, String detail) {
        long now = nanoTime.getAsLong();
        boolean complete = total > 0 && done >= total;
        long interval = interactive ? INTERACTIVE_INTERVAL_NANOS : PLAIN_INTERVAL_NANOS;
        if (shown && now - lastShownNanos < interval && !(complete && !completeShown)) {
            return;
        }
        shown = true;
        lastShownNanos = now;
        completeShown |= complete;
        String line = line(label, done, total, detail, (now - startNanos) / 1e9);
        if (interactive) {
            draw(line);
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the progress with {@code line} (null: just ends the redrawn line). */
    public synchronized void finish(String line) {
        if (interactive && drawnLength > 0) {
            if (line != null) {
                draw(line);
            }
            out.println();
            drawnLength = 0;
        } else if (line != null) {
            out.println(line);
        }
        out.flush();
    }

    private void draw(String line) {
        out.print('\r' + line + " ".repeat(Math.max(0, drawnLength - line.length())));
        drawnLength = line.length();
    }

    /** {@code [#########-----------]  4,512/10,000 Ready  45%  12.3 s  NB 812 txn/s} */
    static String line(String label, long done, long total, String detail, double seconds) {
        double fraction = total > 0 ? Math.min(1, Math.max(0, (double) done / total)) : 0;
        int filled = (int) (fraction * WIDTH);
        return String.format(Locale.ROOT, "[%s%s]  %,d/%,d %s  %d%%  %.1f s%s", "#".repeat(filled), "-".repeat(WIDTH - filled),
            done, total, label, (int) (fraction * 100), seconds, detail == null || detail.isEmpty() ? "" : "  " + detail);
    }
}
