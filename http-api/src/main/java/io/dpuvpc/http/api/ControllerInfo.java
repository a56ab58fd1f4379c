package io.dpuvpc.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What the admin API shows of the controller beyond resources, answered by the process that hosts
 * it: the DPU nodes as their agents reported them, the cluster (members, roles, where the shards
 * and entities are) and the metrics.
 */
public interface ControllerInfo {

    /** Every DPU node, sorted by name: labels, chassis, addresses, readiness, last heartbeat, metadata. */
    CompletionStage<List<JsonNode>> nodes();

    CompletionStage<Optional<JsonNode>> node(String name);

    CompletionStage<JsonNode> cluster();

    CompletionStage<List<MetricSample>> metrics();
}
