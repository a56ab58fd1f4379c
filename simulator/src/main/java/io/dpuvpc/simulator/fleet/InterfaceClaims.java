package io.dpuvpc.simulator.fleet;

import io.dpuvpc.simulator.ovs.EmulatedDatabase;
import io.dpuvpc.ovn.ovsdb.Condition;
import io.dpuvpc.ovn.ovsdb.Mutation;
import io.dpuvpc.ovn.ovsdb.Operation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * appearance and removal. Once a claim is recorded the Interface gets
 * {@code external_ids:ovn-installed=true}, and loses it on release, as ovn-controller marks a port
 * whose flows it installed (here nothing is installed: no datapath); the agent must leave that key
 * alone. Runs on the database's event loop, after each commit; it only hands work to the
 * controllers and to the database's loop, never blocks.
 */
final class InterfaceClaims implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(InterfaceClaims.class);
    private static final String IFACE_ID = "iface-id";
    static final String OVN_INSTALLED = "ovn-installed";

    private final String dpu;
    private final EmulatedDatabase database;
    private final SimulatedOvnControllers controllers;
    // Confined to the database's loop.
    /** Logical port to the Interface that named it. */
    private final Map<String, String> claimed = new HashMap<>();

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
                .filter(i -> !i.getStringMap("external_ids").getOrDefault(IFACE_ID, "").isBlank())
                .collect(Collectors.toMap(i -> i.getStringMap("external_ids").get(IFACE_ID), i -> i.getString("name"), (a, b) -> a)))
            .thenAccept(this::claimAndRelease);
    }

    private void claimAndRelease(Map<String, String> named) {
        named.forEach((lp, iface) -> {
            if (claimed.putIfAbsent(lp, iface) == null) {
                controllers.claim(dpu, lp).whenComplete((ok, failure) -> {
                    if (failure != null) {
                        LOG.warn("{}: claim of {} failed: {}", dpu, lp, failure.getMessage());
                    } else {
                        markInstalled(iface, true);
                    }
                });
            }
        });
        for (Map.Entry<String, String> was : List.copyOf(claimed.entrySet())) {
            if (!named.containsKey(was.getKey())) {
                claimed.remove(was.getKey());
                controllers.release(dpu, was.getKey()).whenComplete((ok, failure) -> {
                    if (failure != null) {
                        LOG.warn("{}: release of {} failed: {}", dpu, was.getKey(), failure.getMessage());
                    }
                });
                markInstalled(was.getValue(), false);
            }
        }
    }

    /** ovn-controller's mark on an Interface whose port it bound; an Interface gone meanwhile matches nothing. */
    private void markInstalled(String iface, boolean installed) {
        List<Mutation> mutations = installed
            ? List.of(Mutation.insert("external_ids", Map.of(OVN_INSTALLED, "true")))
            : List.of(Mutation.delete("external_ids", Set.of(OVN_INSTALLED)));
        database.transact(List.of(Operation.mutate("Interface", mutations, Condition.eq("name", iface))));
    }
}
