package io.dpuvpc.k8s.crd;

/** JSON paths the printer columns of several kinds share. */
final class PrinterColumns {
    private PrinterColumns() {}

    /** The Ready condition's status: what {@code kubectl get} shows as READY. */
    static final String READY = ".status.conditions[?(@.type==\"Ready\")].status";
    /** kubectl shows AGE only when a CRD declares it among its columns. */
    static final String AGE = ".metadata.creationTimestamp";
}
