package io.dpuvpc.node;

import io.dpuvpc.ovn.lab.ExternalCommand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MAC a service pod's interface really has. Port security lets through only the MAC the
 * ServiceInterface was given, and the pod is the one side of the link the DPU cannot set, so the
 * agent looks: ovs-cni recorded the pod's network namespace ({@code contNetns}) and interface
 * ({@code contIface}) on the port, and {@code nsenter --net=<contNetns> ip -o link show dev
 * <contIface>} shows its address. (Sysfs would show the agent's own namespace, not the pod's.) A
 * VF's host side is on another machine, out of the DPU's sight: none is read for it.
 */
final class PodInterfaceMacs {
    private PodInterfaceMacs() {}

    private static final Pattern LINK_ETHER = Pattern.compile("link/ether ([0-9a-f]{2}(?::[0-9a-f]{2}){5})");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** A service port's pod interface: the agent's match key, the namespace path and the name inside it. */
    record PodInterface(String representor, String netns, String name) {}

    /**
     * Blocking (one {@code nsenter} each): call it off the actor. Representor to MAC; an interface
     * that cannot be read (the pod is gone, no such namespace) is left out.
     */
    static Map<String, String> read(List<PodInterface> interfaces) {
        Map<String, String> macs = new TreeMap<>();
        for (PodInterface pod : interfaces) {
            ExternalCommand.Result shown = ExternalCommand.run(TIMEOUT, Map.of(),
                List.of("nsenter", "--net=" + pod.netns(), "ip", "-o", "link", "show", "dev", pod.name()));
            if (shown.ok()) {
                mac(shown.stdout()).ifPresent(mac -> macs.put(pod.representor(), mac));
            }
        }
        return macs;
    }

    /** The {@code link/ether} address in {@code ip -o link} output. */
    static Optional<String> mac(String ipLink) {
        Matcher m = LINK_ETHER.matcher(ipLink);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Whether the pod's MAC is known and not the one given ({@code wanted} null: unknown-mac, anything goes). */
    static boolean mismatch(String wanted, String seen) {
        return wanted != null && seen != null && !wanted.equalsIgnoreCase(seen);
    }
}
