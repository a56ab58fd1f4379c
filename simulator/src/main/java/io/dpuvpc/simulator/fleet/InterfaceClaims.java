package io.dpuvpc.simulator.fleet;

import io.dpuvpc.simulator.ovs.EmulatedDatabase;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a DPU's ovn-controller that reads its local OVS: after every commit to the DPU's
 * emulated database, the logical ports named by the {@code external_ids:iface-id} of an Interface
 * in the integration bridge (the root row's {@code external_ids:ovn-bridge}, {@code br-int} by
 * default, as ovn-controller reads it) are claimed in {@link SimulatedOvnControllers} (which binds their Port_Binding), and those no
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
        database.rows("Open_vSwitch").thenCombine(database.rows("Bridge"), (roots, bridges) -> {
            String integration = roots.stream().map(r -> r.getStringMap("external_ids").get("ovn-bridge"))
                .filter(b -> b != null).findFirst().orElse("br-int");
            return bridges.stream().filter(b -> integration.equals(b.getString("name"))).findFirst();
        }).thenCombine(database.rows("Port"), (bridge, ports) -> bridge.map(b -> ports.stream()
                .filter(p -> b.getSet("ports").contains(p.uuid()))
                .flatMap(p -> p.getSet("interfaces").stream())
                .collect(Collectors.toSet()))
            .orElse(Set.of()))
            .thenCombine(database.rows("Interface"), (inBridge, interfaces) -> interfaces.stream()
                .filter(i -> inBridge.contains(i.uuid()))
                .map(i -> i.getStringMap("external_ids").get("iface-id"))
                .filter(lp -> lp != null && !lp.isBlank())
                .collect(Collectors.toSet()))
            .thenAccept(this::claimAndRelease);
    }

    private void claimAndRelease(Set<String> named) {
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
