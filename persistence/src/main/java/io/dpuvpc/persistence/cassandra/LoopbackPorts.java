package io.dpuvpc.persistence.cassandra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the servers started on loopback (the embedded Cassandra's, and a lab's or a
 * simulation's controllers: admin API, cluster and JMX ports), chosen below the kernel's
 * ephemeral range. It lives beside {@link EmbeddedCassandra}, whose own defaults use it, so that
 * every module that starts servers can reach it.
 *
 * <p>Why not {@code new ServerSocket(0)}: the kernel picks that port from the ephemeral range, the
 * same range it picks the source port of every outgoing connection from. Between this JVM closing
 * the probe socket and the child process binding the port, any connection on the machine (a
 * controller to Cassandra, a node agent to the cluster) may take it as its source port, and the
 * child dies with "Address already in use" (seen in CI: controller-2 on 127.0.0.1:34063). A port
 * below the range is never handed out as a source port, so only another explicit bind can take it.
 */
public final class LoopbackPorts {
    /** Linux's default when {@code /proc} cannot be read. */
    private static final int DEFAULT_EPHEMERAL_LOW = 32768;
    /** How far below the ephemeral range ports are drawn from (clear of 6641/6642, 9042 and 7000). */
    static final int SPAN = 10_000;
    private static final int TRIES = 200;
    /** Handed out by this JVM already: two servers of one run must not be given the same port. */
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    private LoopbackPorts() {}

    /** A port nothing listens on now on 127.0.0.1, below the ephemeral range, not given before by this JVM. */
    public static int free() {
        int high = ephemeralLow(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
        int low = Math.max(1024, high - SPAN);
        IOException last = null;
        for (int i = 0; i < TRIES; i++) {
            int port = ThreadLocalRandom.current().nextInt(low, high);
            if (!GIVEN.add(port)) {
                continue;
            }
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException e) {
                last = e; // taken: try another
            }
        }
        throw new UncheckedIOException("no free port on 127.0.0.1 between " + low + " and " + (high - 1) + " after " + TRIES
                + " tries", last == null ? new IOException("all tried ports already given") : last);
    }

    /** The low end of the ephemeral range in {@code rangeFile} ("32768\t60999"), or Linux's default. */
    static int ephemeralLow(Path rangeFile) {
        try {
            String[] bounds = Files.readString(rangeFile).trim().split("\\s+");
            int low = Integer.parseInt(bounds[0]);
            return low > 1024 + 1 ? low : DEFAULT_EPHEMERAL_LOW;
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_LOW;
        }
    }
}
