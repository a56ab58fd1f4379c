package io.dpuvpc.ovn.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The names and addresses of one DPU lab instance: namespaces, interfaces and IPs, all derived
 * from a short prefix and the DPU names, so that several labs (tests running side by side) never
 * clash.
 *
 * <p>Every name is checked against Linux's 15-character limit ({@code IFNAMSIZ - 1}): interface
 * names must fit, and namespace names are kept to the same limit so that tools that reuse them as
 * interface or bridge names can. With the prefix {@code t1}:
 *
 * <pre>
 * t1-underlay        namespace with the underlay bridge br0 (MTU 9000), one port u-DPU per DPU
 * t1-ext             namespace with the external bridge br0 (172.16.0.1/16), one port e-DPU per DPU
 * t1-dpu-DPU         a DPU: ul0 (192.168.100.N/24, MTU 9000), ext0 (uplink), pf0vfK (representors)
 * t1-h-DPU-vfK       a host VF: eth0, whose peer is pf0vfK in t1-dpu-DPU
 * </pre>
 *
 * With no prefix the names are {@code underlay}, {@code ext}, {@code dpu-DPU}, {@code h-DPU-vfK}.
 */
public final class LabNames {
    /** Linux interface names are at most 15 characters (IFNAMSIZ is 16 with the NUL). */
    public static final int MAX_NAME = 15;
    /** The underlay veth inside each DPU namespace. */
    public static final String UNDERLAY_INTERFACE = "ul0";
    /** The external uplink veth inside each DPU namespace. */
    public static final String UPLINK_INTERFACE = "ext0";
    /** The host side of a VF, inside each host namespace. */
    public static final String HOST_INTERFACE = "eth0";
    /** The Linux bridge inside the underlay and ext namespaces. */
    public static final String BRIDGE = "br0";
    /** The underlay subnet: DPU number N (from 1) has 192.168.100.N. */
    public static final String UNDERLAY_SUBNET = "192.168.100.0/24";
    public static final int UNDERLAY_PREFIX_LENGTH = 24;
    public static final int UNDERLAY_MTU = 9000;
    /** The ext namespace's own address: what DPUs ping and the echo service listens on. */
    public static final String EXT_GATEWAY_IP = "172.16.0.1";
    public static final int EXT_PREFIX_LENGTH = 16;
    /** The TCP port of the echo service in the ext namespace (the "echo" port). */
    public static final int ECHO_PORT = 7;
    /** At most this many DPUs per lab (192.168.100.1 to .200). */
    public static final int MAX_DPUS = 200;
    /** At most this many host VFs per DPU. */
    public static final int MAX_VFS = 16;

    private static final Pattern PREFIX = Pattern.compile("[a-z0-9]{0,4}");
    private static final Pattern DPU_NAME = Pattern.compile("[a-z][a-z0-9]*");

    private final String prefix;

    private LabNames(String prefix) {
        this.prefix = prefix;
    }

    /**
     * Names for a lab with this prefix: 0 to 4 of {@code [a-z0-9]}; "" gives the plain names.
     *
     * @throws IllegalArgumentException if the prefix is not of that form
     */
    public static LabNames of(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("lab prefix must be 0 to 4 of [a-z0-9]: '" + prefix + "'");
        }
        return new LabNames(prefix);
    }

    public String prefix() {
        return prefix;
    }

    public String underlayNamespace() {
        return qualified("underlay");
    }

    public String extNamespace() {
        return qualified("ext");
    }

    public String dpuNamespace(String dpu) {
        return qualified("dpu-" + dpu);
    }

    public String hostNamespace(String dpu, int vf) {
        return qualified("h-" + dpu + "-vf" + vf);
    }

    /** The representor of VF {@code vf} in the DPU namespace, as on a BlueField: {@code pf0vf0}. */
    public static String representor(int vf) {
        return "pf0vf" + vf;
    }

    /** The underlay bridge's port for {@code dpu}, inside the underlay namespace. */
    public static String underlayBridgePort(String dpu) {
        return "u-" + dpu;
    }

    /** The ext bridge's port for {@code dpu}, inside the ext namespace. */
    public static String extBridgePort(String dpu) {
        return "e-" + dpu;
    }

    /** The underlay IP of DPU number {@code number} (1-based). */
    public static String underlayIp(int number) {
        checkNumber(number);
        return "192.168.100." + number;
    }

    /**
     * The address reserved for DPU number {@code number} (1-based) on the ext network,
     * 172.16.1.N: the lab does not configure it; the agent or a test may put it on the uplink's
     * bridge (or use it as the node's external IP).
     */
    public static String externalIp(int number) {
        checkNumber(number);
        return "172.16.1." + number;
    }

    /** Every namespace of a lab with these DPUs and {@code vfsPerDpu} host VFs each, in creation order. */
    public List<String> namespaces(List<String> dpus, int vfsPerDpu) {
        List<String> names = new ArrayList<>(List.of(underlayNamespace(), extNamespace()));
        for (String dpu : dpus) {
            names.add(dpuNamespace(dpu));
            for (int vf = 0; vf < vfsPerDpu; vf++) {
                names.add(hostNamespace(dpu, vf));
            }
        }
        return names;
    }

    /**
     * Checks that these DPUs and VF count give valid, unique names within the 15-character limit.
     *
     * @throws IllegalArgumentException naming the first name that does not fit
     */
    public void check(List<String> dpus, int vfsPerDpu) {
        if (dpus.isEmpty() || dpus.size() > MAX_DPUS) {
            throw new IllegalArgumentException("a lab has 1 to " + MAX_DPUS + " DPUs, not " + dpus.size());
        }
        if (vfsPerDpu < 0 || vfsPerDpu > MAX_VFS) {
            throw new IllegalArgumentException("a DPU has 0 to " + MAX_VFS + " host VFs, not " + vfsPerDpu);
        }
        if (dpus.stream().distinct().count() != dpus.size()) {
            throw new IllegalArgumentException("DPU names must be unique: " + dpus);
        }
        for (String dpu : dpus) {
            if (dpu == null || !DPU_NAME.matcher(dpu).matches()) {
                throw new IllegalArgumentException("a DPU name is a lowercase letter then [a-z0-9]: '" + dpu + "'");
            }
            checkLength(underlayBridgePort(dpu), "underlay bridge port");
            checkLength(extBridgePort(dpu), "ext bridge port");
        }
        for (String namespace : namespaces(dpus, vfsPerDpu)) {
            checkLength(namespace, "namespace");
        }
        checkLength(representor(Math.max(0, vfsPerDpu - 1)), "representor");
    }

    /** The longest DPU name that fits with this prefix and {@code vfsPerDpu} VFs. */
    public int maxDpuNameLength(int vfsPerDpu) {
        int longest = MAX_NAME;
        longest = Math.min(longest, MAX_NAME - dpuNamespace("").length());
        if (vfsPerDpu > 0) {
            longest = Math.min(longest, MAX_NAME - hostNamespace("", vfsPerDpu - 1).length());
        }
        return longest;
    }

    @Override
    public String toString() {
        return "LabNames[prefix=" + prefix + "]";
    }

    private String qualified(String name) {
        return prefix.isEmpty() ? name : prefix + "-" + name;
    }

    private static void checkLength(String name, String what) {
        if (name.length() > MAX_NAME) {
            throw new IllegalArgumentException(what + " name '" + name + "' has " + name.length()
                    + " characters; Linux allows " + MAX_NAME + ": use a shorter prefix or DPU name");
        }
    }

    private static void checkNumber(int number) {
        if (number < 1 || number > MAX_DPUS) {
            throw new IllegalArgumentException("DPU number must be 1 to " + MAX_DPUS + ": " + number);
        }
    }
}
