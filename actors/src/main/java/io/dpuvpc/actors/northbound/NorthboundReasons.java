package io.dpuvpc.actors.northbound;

/**
 * Reasons of an {@link Northbound.Observed} that are about a prerequisite rather than the owner's
 * own rows: the entities report them as a False PrerequisitesReady, since the user's fix is
 * elsewhere (the OVN endpoint, the IsolationClass), not in the resource itself.
 */
public final class NorthboundReasons {
  private NorthboundReasons() {}

  /** The bridge cannot reach the Northbound database of the IsolationClass. */
  public static final String NORTHBOUND_UNREACHABLE = "NorthboundUnreachable";
  /** The IsolationClass is missing, invalid or not usable by the bridge yet. */
  public static final String ISOLATION_CLASS_NOT_READY = "IsolationClassNotReady";

  /** Whether an observation says a prerequisite, not the owner's rows, is what is wrong. */
  public static boolean isPrerequisite(Northbound.Observed observed) {
    return observed != null && observed.state() != Northbound.State.RECONCILED
        && (NORTHBOUND_UNREACHABLE.equals(observed.reason()) || ISOLATION_CLASS_NOT_READY.equals(observed.reason()));
  }
}
