package io.dpuvpc.app.simulate;

import io.dpuvpc.simulator.fleet.FleetScenario.Agents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code vpc simulate} runs: {@code dpus} simulated DPUs; {@code vpcs} VPCs, each selecting
 * its share of the DPUs by label; {@code networksPerVpc} networks per VPC and
 * {@code interfacesPerNetwork} ServiceInterfaces per network, spread over the VPC's DPUs; after
 * convergence, {@code churnPerSecond} ServiceInterfaces deleted and applied again per second for
 * {@code churn}, then {@code reboots} DPUs rebooted at once, then {@code probes} single changes on
 * the idle system; {@code controllers}
 * controller JVMs of {@code controllerHeap} each, one Pekko cluster on loopback; resources applied
 * {@code applyBatch} documents per request, {@code appliesInFlight} requests at once. {@code agents}:
 * the simulated agents (the agent's protocol, no OVS) or the real node agents, each on its DPU's
 * emulated OVS database.
 */
public record SimulationSettings(int dpus, int vpcs, int networksPerVpc, int interfacesPerNetwork, double churnPerSecond,
                                 Duration churn, int controllers, Path out, Duration heartbeat, Duration timeout,
                                 String controllerHeap, int probes, int applyBatch, int appliesInFlight,
                                 int reboots, Agents agents) {
    /** Networks get 10.j.0.0/16, so a VPC has at most 250 of them. */
    public static final int MAX_NETWORKS_PER_VPC = 250;

    public SimulationSettings {
        positive("--dpus", dpus);
        positive("--vpcs", vpcs);
        positive("--networks-per-vpc", networksPerVpc);
        positive("--controllers", controllers);
        positive("--apply-batch", applyBatch);
        positive("--applies-in-flight", appliesInFlight);
        if (interfacesPerNetwork < 0) {
            throw new IllegalArgumentException("--interfaces-per-network must be 0 or more, not " + interfacesPerNetwork);
        }
        if (vpcs > dpus) {
            throw new IllegalArgumentException("--vpcs " + vpcs + " is more than --dpus " + dpus
                + ": each VPC needs at least one DPU of its own");
        }
        if (networksPerVpc > MAX_NETWORKS_PER_VPC) {
            throw new IllegalArgumentException("--networks-per-vpc " + networksPerVpc + ": at most " + MAX_NETWORKS_PER_VPC
                + " (each network gets its own 10.N.0.0/16)");
        }
        if (interfacesPerNetwork > 60_000) {
            throw new IllegalArgumentException("--interfaces-per-network " + interfacesPerNetwork
                + ": at most 60000 (a /16 per network)");
        }
        if (churnPerSecond < 0) {
            throw new IllegalArgumentException("--churn must be 0 or more changes per second, not " + churnPerSecond);
        }
        if (churn.isNegative() || timeout.isNegative() || timeout.isZero() || heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("--duration must be 0 or more, --timeout and --heartbeat positive");
        }
        if (controllers > 5) {
            throw new IllegalArgumentException("--controllers " + controllers + ": at most 5 on one machine");
        }
        if (reboots < 0 || reboots > dpus) {
            throw new IllegalArgumentException("--reboots must be between 0 and --dpus (" + dpus + "), not " + reboots);
        }
        if (reboots > 0 && agents == Agents.NODE_AGENTS_ON_EMULATED_OVS) {
            throw new IllegalArgumentException("--reboots works with --agents simulated only: a reboot of a real agent and"
                + " its emulated OVS is not built yet");
        }
        if (probes < 0) {
            throw new IllegalArgumentException("--probes must be 0 or more, not " + probes);
        }
    }

    /** With the simulated agents. */
    public SimulationSettings(int dpus, int vpcs, int networksPerVpc, int interfacesPerNetwork, double churnPerSecond,
                              Duration churn, int controllers, Path out, Duration heartbeat, Duration timeout,
                              String controllerHeap, int probes, int applyBatch, int appliesInFlight, int reboots) {
        this(dpus, vpcs, networksPerVpc, interfacesPerNetwork, churnPerSecond, churn, controllers, out, heartbeat, timeout,
            controllerHeap, probes, applyBatch, appliesInFlight, reboots, Agents.SIMULATED);
    }

    private static void positive(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, not " + value);
        }
    }

    public int networks() {
        return vpcs * networksPerVpc;
    }

    public int interfaces() {
        return networks() * interfacesPerNetwork;
    }

    /** The parameters as the report shows them, in order. */
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("dpus", Integer.toString(dpus));
        p.put("vpcs", Integer.toString(vpcs));
        p.put("networks-per-vpc", Integer.toString(networksPerVpc));
        p.put("interfaces-per-network", Integer.toString(interfacesPerNetwork));
        p.put("networks", Integer.toString(networks()));
        p.put("service-interfaces", Integer.toString(interfaces()));
        p.put("controllers", Integer.toString(controllers));
        p.put("controller-heap", controllerHeap);
        p.put("heartbeat-seconds", Long.toString(heartbeat.toSeconds()));
        p.put("churn-per-second", Double.toString(churnPerSecond));
        p.put("churn-seconds", Long.toString(churn.toSeconds()));
        p.put("probes", Integer.toString(probes));
        p.put("reboots", Integer.toString(reboots));
        p.put("apply-batch", Integer.toString(applyBatch));
        p.put("applies-in-flight", Integer.toString(appliesInFlight));
        p.put("agents", agents == Agents.NODE_AGENTS_ON_EMULATED_OVS ? "real" : "simulated");
        return p;
    }
}
