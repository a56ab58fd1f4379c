package io.dpuvpc.ovn.northbound;

import java.util.Locale;

/**
 * Why the bridge planned an owner: the first reason it became dirty since its last plan. Counted
 * per cause ({@link NorthboundBridge.Stats#plannedBecause()}, {@code dpuvpc_nb_owner_plans_total}),
 * so an operator (and a benchmark) can see which of the bridge's plans were asked for by a user
 * and which it made again on its own.
 */
public enum PlanCause {
    /** Its entity published (or withdrew) its intent. */
    PUBLISHED,
    /** A row of its own changed in NB, and not by its transaction in flight (northd, a hand, a wipe). */
    OWN_ROW_CHANGED,
    /** A row of another owner whose content its translation read changed (a gateway's join address). */
    READ_ROW_CHANGED,
    /** A row of another owner it points to or hangs from appeared or went. */
    REFERENCED_ROW,
    /** Its transaction updated rows: a fresh plan checks no other writer changed them too. */
    UPDATE_CHECK,
    /** The monitor did not show its transaction within the settle timeout. */
    SETTLE_TIMEOUT,
    /** It has waited (for another owner's row, or northd) long enough to be looked at again: {@link NorthboundBridge#WAITING_RECHECK}. */
    WAITING_RECHECK,
    /** The monitor started, or the connection came back: every owner is verified. */
    RECONNECTED,
    /** Its transaction failed: tried again, alone or after the retry delay. */
    RETRY,
    /** Its rows are orphans: its resource is gone. */
    ORPHAN;

    /** The label value: {@code own_row_changed}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
