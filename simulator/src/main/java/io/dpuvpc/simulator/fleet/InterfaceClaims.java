package io.dpuvpc.simulator.fleet;

import io.dpuvpc.ovn.ovsdb.Row;
import io.dpuvpc.simulator.ovs.EmulatedDatabase;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a DPU's ovn-controller that reads its local OVS: after every commit to the DPU's
 * emulated database, the logical ports named by an Interface's {@code external_ids:iface-id} are
 * claimed in {@link SimulatedOvnControllers} (which binds their Port_Binding), and those no
 * Interface names any more are released, as ovn-controller claims and releases on an interface's
 * appearance and removal. Runs on the database's event loop, after each commit; it only hands
 * work to the controllers, which never block.
 */
final class InterfaceClaims implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(InterfaceClaims.class);

    private final String dpu;
    private final EmulatedDatabase database;
    private final SimulatedOvnControllers controllers;
    // Confined to the database's loop.
    private final Set<String> claimed = new HashSet<>();

    private InterfaceClaims(String dpu, EmulatedDatabase database, SimulatedOvnControllers controllers) {
        this.dpu = dpu;
        this.database = database;
        this.controllers = controllers;
    }

    /** Follows {@code database} for {@code dpu}, from its next commit on. */
    static void follow(String dpu, EmulatedDatabase database, SimulatedOvnControllers controllers) {
        database.addCommitListener(new InterfaceClaims(dpu, database, controllers));
    }

    @Override
    public void run() {
        // On the database's loop rows() completes at once.
        database.rows("Interface").thenAccept(this::claimAndRelease);
    }

    private void claimAndRelease(java.util.List<Row> interfaces) {
        Set<String> named = interfaces.stream()
            .map(i -> i.getStringMap("external_ids").get("iface-id"))
            .filter(lp -> lp != null && !lp.isBlank())
            .collect(Collectors.toSet());
        for (String lp : named) {
            if (claimed.add(lp)) {
                controllers.claim(dpu, lp).whenComplete((ok, failure) -> logFailure("claim", lp, failure));
            }
        }
        for (String lp : Set.copyOf(claimed)) {
            if (!named.contains(lp)) {
                claimed.remove(lp);
                controllers.release(dpu, lp).whenComplete((ok, failure) -> logFailure("release", lp, failure));
            }
        }
    }

    private void logFailure(String what, String lp, Throwable failure) {
        if (failure != null) {
            LOG.warn("{}: {} of {} failed: {}", dpu, what, lp, failure.getMessage());
        }
    }
}
