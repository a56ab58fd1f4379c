package io.dpuvpc.simulator.report;

import java.math.BigDecimal;
import java.math.MathContext;

/** Number text for the report's files: locale-free, so a CSV reads back the same on any machine. */
final class Numbers {

    private static final MathContext SIX_DIGITS = new MathContext(6);

    private Numbers() {}

    /**
     * Up to six significant digits, no exponent, no trailing zeros (12.5, 0.000123); from 100,000 up
     * the whole number, since rounding 1234567 rows/s to 1234570 would only look like a typo.
     */
    static String plain(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        if (Math.abs(v) >= 1e5) {
            return Long.toString(Math.round(v));
        }
        return v == 0 ? "0" : new BigDecimal(v).round(SIX_DIGITS).stripTrailingZeros().toPlainString();
    }
}
