package io.dpuvpc.ovn.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The plumbing of a DPU lab, made with {@code ip} (iproute2) in network namespaces only:
 *
 * <ul>
 *   <li>an underlay namespace with a Linux bridge (MTU 9000); each DPU namespace joins it with a
 *       veth whose DPU end {@code ul0} has 192.168.100.N/24 and MTU 9000;</li>
 *   <li>an ext namespace with a Linux bridge holding 172.16.0.1/16; each DPU's uplink {@code ext0}
 *       is the other end of a veth on that bridge (no address: the uplink belongs to the agent's
 *       external OVS bridge). The ext namespace answers ping and runs a TCP echo service on port 7
 *       that replies with the peer address it sees (one line), to show whether traffic was NATed;</li>
 *   <li>per DPU and VF a host namespace with {@code eth0}, whose peer {@code pf0vfK} (the
 *       representor) lives in the DPU namespace.</li>
 * </ul>
 *
 * <p>Every veth is created with both ends already inside their namespaces
 * ({@code ip -n A link add X type veth peer name Y netns B}): nothing is ever made in, or moved
 * through, the root namespace, and no namespace has a route to the machine's interfaces. Each
 * veth end the lab makes has TX checksum offload turned off: the userspace datapath reads veths
 * through AF_PACKET and would forward partial checksums, which breaks TCP.
 *
 * <p>The echo service is a few lines of Debian's {@code python3} (socat is not installed by
 * default): it binds, forks into the background (its own session, in the ext namespace) and its
 * parent writes the child's pid to {@code echo.pid} in the work folder, so it outlives the JVM
 * like the OVS daemons and is stopped by that pid.
 */
public final class LabNetwork {
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);
    private static final String ECHO_PIDFILE = "echo.pid";
    private static final String ECHO_LOG = "echo.log";
    /** Binds first (so a taken port fails here), then daemonizes; argv[1] is the pidfile. */
    private static final String ECHO_SERVER = String.join("\n",
            "import os, socket, sys",
            "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)",
            "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
            "s.bind(('0.0.0.0', " + LabNames.ECHO_PORT + "))",
            "s.listen(64)",
            "pid = os.fork()",
            "if pid:",
            "    with open(sys.argv[1], 'w') as f:",
            "        f.write(str(pid) + '\\n')",
            "    os._exit(0)",
            "os.setsid()",
            "null = os.open('/dev/null', os.O_RDWR)",
            "for fd in (0, 1, 2):",
            "    os.dup2(null, fd)",
            "while True:",
            "    c, peer = s.accept()",
            "    try:",
            "        c.sendall((peer[0] + '\\n').encode())",
            "    except OSError:",
            "        pass",
            "    c.close()",
            "");

    /** What one DPU gets from the network: what its node agent needs to configure OVS. */
    public record DpuPorts(String name, int number, String namespace, String underlayInterface, String underlayIp,
                           int underlayPrefixLength, String uplinkInterface, String externalIp,
                           List<String> representors, List<String> hostNamespaces) {
        public DpuPorts {
            representors = List.copyOf(representors);
            hostNamespaces = List.copyOf(hostNamespaces);
        }

        /** e.g. {@code 192.168.100.1/24} */
        public String underlayCidr() {
            return underlayIp + "/" + underlayPrefixLength;
        }
    }

    private final LabNames names;
    private final List<String> dpus;
    private final int vfsPerDpu;
    private final Path workDir;
    private final Duration timeout;

    /**
     * The network of a lab; nothing is made until {@link #create()}.
     *
     * @param workDir where the echo service's pidfile goes
     * @throws IllegalArgumentException if a name would not fit (see {@link LabNames#check})
     */
    public LabNetwork(LabNames names, List<String> dpus, int vfsPerDpu, Path workDir, Duration timeout) {
        this.names = Objects.requireNonNull(names, "names");
        this.dpus = List.copyOf(dpus);
        this.vfsPerDpu = vfsPerDpu;
        this.workDir = workDir.toAbsolutePath().normalize();
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        names.check(this.dpus, vfsPerDpu);
    }

    /**
     * Makes every namespace, bridge, veth and address, and starts the echo service. On failure
     * whatever was made is deleted again.
     *
     * @throws OvnLabException if a namespace of this lab already exists, or a command fails
     */
    public synchronized void create() {
        requireTools();
        List<String> existing = existingNamespaces();
        if (!existing.isEmpty()) {
            throw new OvnLabException("namespaces of this lab already exist: " + existing
                    + " (a lab with prefix '" + names.prefix() + "' is up, or was not taken down)");
        }
        try {
            Files.createDirectories(workDir);
            for (String namespace : namespaces()) {
                ip("netns", "add", namespace);
                ip("-n", namespace, "link", "set", "lo", "up");
            }
            createUnderlay();
            createExt();
            for (DpuPorts dpu : dpus()) {
                createDpu(dpu);
            }
            startEcho();
        } catch (IOException e) {
            delete();
            throw new OvnLabException("cannot create " + workDir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            try {
                delete();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Stops the echo service and deletes every namespace of this lab that exists (their veths
     * and bridges go with them). Safe to call twice.
     *
     * @return the namespaces that existed and are now deleted
     */
    public synchronized List<String> delete() {
        stopEcho();
        List<String> deleted = new ArrayList<>();
        List<String> reversed = new ArrayList<>(namespaces());
        Collections.reverse(reversed);
        for (String namespace : reversed) {
            if (namespaceExists(namespace)) {
                ip("netns", "del", namespace);
                deleted.add(namespace);
            }
        }
        return deleted;
    }

    /** Every namespace this lab makes, in creation order. */
    public List<String> namespaces() {
        return names.namespaces(dpus, vfsPerDpu);
    }

    /** The namespaces of this lab that exist now. */
    public List<String> existingNamespaces() {
        return namespaces().stream().filter(LabNetwork::namespaceExists).toList();
    }

    /** What each DPU gets, in order (DPU number N is at index N-1). */
    public List<DpuPorts> dpus() {
        List<DpuPorts> result = new ArrayList<>();
        for (int i = 0; i < dpus.size(); i++) {
            result.add(dpu(dpus.get(i), i + 1));
        }
        return result;
    }

    /** One DPU's ports by name. */
    public DpuPorts dpu(String name) {
        int index = dpus.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("no DPU " + name + " in this lab: " + dpus);
        }
        return dpu(name, index + 1);
    }

    public LabNames names() {
        return names;
    }

    public String underlayNamespace() {
        return names.underlayNamespace();
    }

    public String extNamespace() {
        return names.extNamespace();
    }

    /** {@code 172.16.0.1} */
    public String extGatewayIp() {
        return LabNames.EXT_GATEWAY_IP;
    }

    /** The echo service's pid, from its pidfile. */
    public OptionalLong echoPid() {
        return Daemons.readPid(workDir.resolve(ECHO_PIDFILE));
    }

    /** Whether the echo service in the ext namespace is alive. */
    public boolean isEchoAlive() {
        OptionalLong pid = echoPid();
        return pid.isPresent() && isEcho(pid.getAsLong());
    }

    /** Whether a network namespace of this name exists (it has a mount under {@code /run/netns}). */
    public static boolean namespaceExists(String namespace) {
        return Files.exists(Path.of("/run/netns", namespace));
    }

    /**
     * Runs {@code command} inside {@code namespace} ({@code ip netns exec}); a bare tool name is
     * resolved first, since the namespace's PATH is the JVM's.
     */
    public static ExternalCommand.Result runIn(String namespace, Duration timeout, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        List<String> tool = new ArrayList<>(List.of(command));
        if (!tool.get(0).contains("/")) {
            tool.set(0, ExternalCommand.locate(tool.get(0)).toString());
        }
        full.addAll(tool);
        return ExternalCommand.run(timeout, full);
    }

    @Override
    public String toString() {
        return "LabNetwork[prefix=" + names.prefix() + ", dpus=" + dpus + ", vfs=" + vfsPerDpu + "]";
    }

    private DpuPorts dpu(String name, int number) {
        List<String> representors = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        for (int vf = 0; vf < vfsPerDpu; vf++) {
            representors.add(LabNames.representor(vf));
            hosts.add(names.hostNamespace(name, vf));
        }
        return new DpuPorts(name, number, names.dpuNamespace(name), LabNames.UNDERLAY_INTERFACE,
                LabNames.underlayIp(number), LabNames.UNDERLAY_PREFIX_LENGTH, LabNames.UPLINK_INTERFACE,
                LabNames.externalIp(number), representors, hosts);
    }

    private void createUnderlay() {
        String ns = names.underlayNamespace();
        ip("-n", ns, "link", "add", LabNames.BRIDGE, "type", "bridge");
        ip("-n", ns, "link", "set", LabNames.BRIDGE, "mtu", Integer.toString(LabNames.UNDERLAY_MTU), "up");
    }

    private void createExt() {
        String ns = names.extNamespace();
        ip("-n", ns, "link", "add", LabNames.BRIDGE, "type", "bridge");
        ip("-n", ns, "addr", "add", LabNames.EXT_GATEWAY_IP + "/" + LabNames.EXT_PREFIX_LENGTH, "dev", LabNames.BRIDGE);
        ip("-n", ns, "link", "set", LabNames.BRIDGE, "up");
        // The echo service's replies leave through this bridge towards AF_PACKET readers.
        txChecksumOff(ns, LabNames.BRIDGE);
    }

    private void createDpu(DpuPorts dpu) {
        String mtu = Integer.toString(LabNames.UNDERLAY_MTU);
        String underlay = names.underlayNamespace();
        String port = LabNames.underlayBridgePort(dpu.name());
        veth(underlay, port, dpu.namespace(), dpu.underlayInterface());
        ip("-n", underlay, "link", "set", port, "mtu", mtu, "master", LabNames.BRIDGE, "up");
        ip("-n", dpu.namespace(), "link", "set", dpu.underlayInterface(), "mtu", mtu, "up");
        ip("-n", dpu.namespace(), "addr", "add", dpu.underlayCidr(), "dev", dpu.underlayInterface());

        String ext = names.extNamespace();
        String extPort = LabNames.extBridgePort(dpu.name());
        veth(ext, extPort, dpu.namespace(), dpu.uplinkInterface());
        ip("-n", ext, "link", "set", extPort, "master", LabNames.BRIDGE, "up");
        ip("-n", dpu.namespace(), "link", "set", dpu.uplinkInterface(), "up");
        txChecksumOff(ext, extPort);

        for (int vf = 0; vf < dpu.representors().size(); vf++) {
            String host = dpu.hostNamespaces().get(vf);
            String representor = dpu.representors().get(vf);
            veth(host, LabNames.HOST_INTERFACE, dpu.namespace(), representor);
            ip("-n", host, "link", "set", LabNames.HOST_INTERFACE, "up");
            ip("-n", dpu.namespace(), "link", "set", representor, "up");
            txChecksumOff(host, LabNames.HOST_INTERFACE);
        }
    }

    /** A veth made with each end already in its namespace: it never exists in the root namespace. */
    private void veth(String namespaceA, String nameA, String namespaceB, String nameB) {
        ip("-n", namespaceA, "link", "add", nameA, "type", "veth", "peer", "name", nameB, "netns", namespaceB);
    }

    private void txChecksumOff(String namespace, String device) {
        runIn(namespace, timeout, "ethtool", "-K", device, "tx", "off").orThrow();
    }

    private void startEcho() {
        Path pidfile = workDir.resolve(ECHO_PIDFILE);
        try {
            Files.deleteIfExists(pidfile);
        } catch (IOException e) {
            throw new OvnLabException("cannot delete " + pidfile + ": " + e.getMessage(), e);
        }
        ExternalCommand.Result result = runIn(names.extNamespace(), timeout, python(), "-c", ECHO_SERVER, pidfile.toString());
        if (!result.ok() || !isEchoAlive()) {
            throw new OvnLabException("the echo service in " + names.extNamespace() + " did not start: " + result.describe());
        }
        try {
            Files.writeString(workDir.resolve(ECHO_LOG), "python3 echo service on " + LabNames.EXT_GATEWAY_IP + ":"
                    + LabNames.ECHO_PORT + " in namespace " + names.extNamespace() + ", pid " + echoPid().orElse(-1) + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            // only a note for people reading the folder
        }
    }

    private void stopEcho() {
        OptionalLong pid = echoPid();
        if (pid.isPresent() && isEcho(pid.getAsLong())) {
            ProcessHandle.of(pid.getAsLong()).ifPresent(ProcessHandle::destroy);
            if (!Daemons.awaitExit(pid.getAsLong(), STOP_GRACE)) {
                ProcessHandle.of(pid.getAsLong()).ifPresent(ProcessHandle::destroyForcibly);
                Daemons.awaitExit(pid.getAsLong(), STOP_GRACE);
            }
        }
    }

    /** Our echo service, not a recycled pid: its command line names our pidfile. */
    private boolean isEcho(long pid) {
        if (!Daemons.isAlive(pid)) {
            return false;
        }
        try {
            String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8);
            return cmdline.contains(workDir.resolve(ECHO_PIDFILE).toString());
        } catch (IOException e) {
            return false;
        }
    }

    /** Debian's python3 rather than a pyenv shim on PATH (a shim is a shell script, not a daemon). */
    private static String python() {
        Path debian = Path.of("/usr/bin/python3");
        return Files.isExecutable(debian) ? debian.toString() : ExternalCommand.locate("python3").toString();
    }

    private void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        ExternalCommand.run(timeout, command).orThrow();
    }

    private static void requireTools() {
        for (String tool : List.of("ip", "ethtool")) {
            ExternalCommand.locate(tool);
        }
        python();
    }
}
