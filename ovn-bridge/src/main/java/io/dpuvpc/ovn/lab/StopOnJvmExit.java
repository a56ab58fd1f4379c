package io.dpuvpc.ovn.lab;

/**
 * A JVM shutdown hook that stops a lab's daemons if the JVM exits while they run (a test run
 * cut short, Ctrl-C), so that no ovsdb-server outlives the process that started it.
 */
final class StopOnJvmExit {
    private final String what;
    private final Runnable stop;
    private Thread hook;

    /** {@code what} names the lab in the message printed if stopping fails. */
    StopOnJvmExit(String what, Runnable stop) {
        this.what = what;
        this.stop = stop;
    }

    synchronized void install(String threadName) {
        if (hook == null) {
            hook = new Thread(this::stopQuietly, threadName);
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /** Runs the stop action, printing (not throwing) a failure: used on paths that already fail. */
    void stopQuietly() {
        try {
            stop.run();
        } catch (RuntimeException e) {
            System.err.println("could not stop " + what + ": " + e.getMessage());
        }
    }

    synchronized void remove() {
        Thread installed = hook;
        hook = null;
        if (installed != null && Thread.currentThread() != installed) {
            try {
                Runtime.getRuntime().removeShutdownHook(installed);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down; the hook runs or has run.
            }
        }
    }
}
