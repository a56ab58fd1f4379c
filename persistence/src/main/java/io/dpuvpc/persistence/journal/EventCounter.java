package io.dpuvpc.persistence.journal;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import javax.management.JMException;
import javax.management.ObjectName;
import org.apache.pekko.persistence.journal.EventAdapter;
import org.apache.pekko.persistence.journal.EventSeq;

/**
 * Counts each event on its way to the journal and changes nothing: bound to every entity event in
 * {@code dpuvpc-persistence.conf} (and in the simulator's in-memory journal), so that a controller
 * can say how many events it has persisted (the {@code dpuvpc_events_persisted_total} metric, and
 * the JMX attribute {@value #OBJECT_NAME} {@code EventsPersisted} that the fleet simulator samples
 * every second without asking the controller's API for anything).
 *
 * <p>Pekko makes one adapter per journal plugin; the count is per JVM, which is what a process's
 * figure means.
 */
public final class EventCounter implements EventAdapter {
    public static final String OBJECT_NAME = "io.dpuvpc:type=Journal";

    private static final LongAdder EVENTS = new LongAdder();
    private static final AtomicBoolean REGISTERED = new AtomicBoolean();

    /** The MBean's interface: JMX needs one named after the class it exposes. */
    public interface JournalMBean {
        long getEventsPersisted();
    }

    /** What the MBean exposes. */
    public static final class Journal implements JournalMBean {
        @Override
        public long getEventsPersisted() {
            return eventsPersisted();
        }
    }

    /** Pekko instantiates the adapter (no-argument constructor); the first one registers the MBean. */
    public EventCounter() {
        registerMBean();
    }

    /** Events written through a journal with this adapter, in this JVM, so far. */
    public static long eventsPersisted() {
        return EVENTS.sum();
    }

    /** Registers the MBean once per JVM; a failure only costs the JMX attribute. */
    public static void registerMBean() {
        if (REGISTERED.compareAndSet(false, true)) {
            try {
                ManagementFactory.getPlatformMBeanServer().registerMBean(new Journal(), new ObjectName(OBJECT_NAME));
            } catch (JMException e) {
                // Already there (another class loader) or refused: the metric still counts.
            }
        }
    }

    @Override
    public String manifest(Object event) {
        return "";
    }

    @Override
    public Object toJournal(Object event) {
        EVENTS.increment();
        return event;
    }

    @Override
    public EventSeq fromJournal(Object event, String manifest) {
        return EventSeq.single(event);
    }
}
