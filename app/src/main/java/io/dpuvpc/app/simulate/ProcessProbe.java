package io.dpuvpc.app.simulate;

import io.dpuvpc.persistence.journal.EventCounter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * One controller JVM's figures, read without its API's help so that sampling them once a second
 * costs the controller next to nothing: heap in use, CPU time and events persisted over JMX (the
 * controller is started with a loopback-only JMX port), resident memory from {@code /proc}.
 * Any figure that cannot be read is -1.
 */
final class ProcessProbe implements AutoCloseable {
    /** The JVM options that open JMX on {@code port}, loopback only, without authentication: a lab process. */
    static java.util.List<String> jmxOptions(int port) {
        return java.util.List.of("-Dcom.sun.management.jmxremote.port=" + port,
            "-Dcom.sun.management.jmxremote.rmi.port=" + port,
            "-Dcom.sun.management.jmxremote.host=127.0.0.1",
            "-Djava.rmi.server.hostname=127.0.0.1",
            "-Dcom.sun.management.jmxremote.authenticate=false",
            "-Dcom.sun.management.jmxremote.ssl=false");
    }

    /**
     * The figures of one moment. {@code heapAfterGcBytes}: the heap in use just after the latest
     * collection, young or full (the live set plus old garbage no collection has reached yet): the
     * figure to size a heap by, where {@code heapUsedBytes} also counts garbage that the next
     * young collection frees. -1 before the first collection.
     */
    record Reading(long heapUsedBytes, long heapAfterGcBytes, long rssBytes, double cpuSeconds, long eventsPersisted) {}

    private final long pid;
    private final int jmxPort;
    private JMXConnector connector;
    private MBeanServerConnection connection;
    /** The names of the JVM's heap memory pools (a GC's figures also cover metaspace and code). */
    private Set<String> heapPools;
    /** Its collectors' MXBeans, looked up once per connection like the pools. */
    private Set<ObjectName> collectors;

    ProcessProbe(long pid, int jmxPort) {
        this.pid = pid;
        this.jmxPort = jmxPort;
    }

    long pid() {
        return pid;
    }

    Reading read() {
        long heap = -1;
        long afterGc = -1;
        double cpu = -1;
        long events = -1;
        try {
            MBeanServerConnection c = connection();
            CompositeData usage = (CompositeData) c.getAttribute(new ObjectName(ManagementFactory.MEMORY_MXBEAN_NAME),
                "HeapMemoryUsage");
            heap = (Long) usage.get("used");
            afterGc = heapAfterLastGc(c);
            cpu = ((Number) c.getAttribute(new ObjectName(ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME),
                "ProcessCpuTime")).longValue() / 1e9;
            ObjectName journal = new ObjectName(EventCounter.OBJECT_NAME);
            // Registered at the first event written: none yet is 0.
            events = c.isRegistered(journal) ? ((Number) c.getAttribute(journal, "EventsPersisted")).longValue() : 0;
        } catch (Exception e) {
            closeConnection(); // reconnect at the next reading
        }
        return new Reading(heap, afterGc, rss(pid), cpu, events);
    }

    /** The heap pools' use after the most recent collection of any collector; -1 before the first. */
    private long heapAfterLastGc(MBeanServerConnection c) throws Exception {
        if (heapPools == null) {
            Set<String> pools = new HashSet<>();
            for (ObjectName pool : c.queryNames(new ObjectName(ManagementFactory.MEMORY_POOL_MXBEAN_DOMAIN_TYPE + ",*"), null)) {
                if ("HEAP".equals(String.valueOf(c.getAttribute(pool, "Type")))) {
                    pools.add(pool.getKeyProperty("name"));
                }
            }
            heapPools = pools;
            collectors = c.queryNames(new ObjectName(ManagementFactory.GARBAGE_COLLECTOR_MXBEAN_DOMAIN_TYPE + ",*"), null);
        }
        CompositeData latest = null;
        for (ObjectName gc : collectors) {
            CompositeData info = (CompositeData) c.getAttribute(gc, "LastGcInfo");
            if (info != null && (latest == null || (Long) info.get("endTime") > (Long) latest.get("endTime"))) {
                latest = info;
            }
        }
        if (latest == null) {
            return -1;
        }
        long used = 0;
        for (Object row : ((TabularData) latest.get("memoryUsageAfterGc")).values()) {
            CompositeData entry = (CompositeData) row;
            if (heapPools.contains((String) entry.get("key"))) {
                used += (Long) ((CompositeData) entry.get("value")).get("used");
            }
        }
        return used;
    }

    /** VmRSS of {@code pid} in bytes, -1 when it cannot be read. */
    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone, or not Linux
        }
        return -1;
    }

    private MBeanServerConnection connection() throws IOException {
        if (connection == null) {
            connector = JMXConnectorFactory.connect(
                new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi"));
            connection = connector.getMBeanServerConnection();
        }
        return connection;
    }

    private void closeConnection() {
        if (connector != null) {
            try {
                connector.close();
            } catch (IOException ignored) {
                // already broken
            }
        }
        connector = null;
        connection = null;
        heapPools = null;
        collectors = null;
    }

    @Override
    public void close() {
        closeConnection();
    }
}
