package io.dpuvpc.simulator.report;

/**
 * One once-a-second reading of a simulation run, {@code seconds} after its start.
 *
 * <p>The {@code *Ready}/{@code *Total} pairs count objects polled Ready out of those applied. The
 * OVN counters are cumulative since the start ({@code *Rows}: rows changed), so a rate is the
 * difference of two samples; heap and RSS are summed over the controllers. {@code heapBytes} is
 * the heap in use at the moment, garbage included; {@code heapAfterGcBytes} the heap in use just
 * after each controller's latest collection (what survived it: the live set, and old garbage not
 * yet collected), -1 before the first collection. {@code eventsPersisted}
 * (cumulative) and {@code cpuSeconds} (cumulative, the controllers' CPU) are -1 when unknown.
 */
public record Sample(double seconds, long interfacesReady, long interfacesTotal, long networksReady, long networksTotal,
                     long vpcsReady, long vpcsTotal, long nodesReady, long nodesTotal, long nbTransactions, long nbRows,
                     long sbTransactions, long sbRows, long heapBytes, long heapAfterGcBytes, long rssBytes, long eventsPersisted,
                     double cpuSeconds) {}
