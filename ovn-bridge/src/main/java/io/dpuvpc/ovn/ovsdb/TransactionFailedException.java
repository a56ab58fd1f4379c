package io.dpuvpc.ovn.ovsdb;

import java.util.List;

/**
 * A transaction was refused: nothing of it was committed (RFC 7047 section 4.1.3). Carries the
 * typed error of the first failing operation as its cause and every operation's result.
 */
public class TransactionFailedException extends OvsdbException {
    private final int failedIndex;
    private final List<OperationResult> results;

    public TransactionFailedException(int failedIndex, List<Operation> operations, List<OperationResult> results,
                                      OvsdbErrorException cause) {
        super(describe(failedIndex, operations) + ": " + cause.getMessage(), cause);
        this.failedIndex = failedIndex;
        this.results = List.copyOf(results);
    }

    private static String describe(int index, List<Operation> operations) {
        if (index < operations.size()) {
            var op = operations.get(index).toJson();
            String table = op.has("table") ? " on " + op.get("table").asText() : "";
            return "transaction failed at operation " + index + " (" + op.get("op").asText() + table + ")";
        }
        return "transaction failed at commit";
    }

    /** The index of the failing operation; equal to the operation count when the commit failed. */
    public int failedIndex() {
        return failedIndex;
    }

    public List<OperationResult> results() {
        return results;
    }

    /** The typed server error, e.g. {@link OvsdbErrorException.ConstraintViolation}. */
    public OvsdbErrorException error() {
        return (OvsdbErrorException) getCause();
    }
}
