package io.dpuvpc.k8s.crd;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/**
 * A ServiceInterface's spec, also the innermost template of a DPUServiceInterface (where {@code
 * node} is absent): the interface type with its matching sub-structure, and the network it joins.
 */
public record InterfaceSpec(
        String node,
        @Required InterfaceType interfaceType,
        Pf pf,
        Vf vf,
        Service service,
        String virtualNetwork) {

    /** The reference's three interface types, written in lower case. */
    public enum InterfaceType {
        @JsonProperty("pf") PF,
        @JsonProperty("vf") VF,
        @JsonProperty("service") SERVICE
    }

    public record Pf(@JsonProperty("pfID") @Required @Min(0) Integer pfID) {}

    public record Vf(
            @JsonProperty("pfID") @Required @Min(0) Integer pfID,
            @JsonProperty("vfID") @Required @Min(0) Integer vfID,
            String parentInterfaceRef) {}

    public record Service(
            @JsonProperty("serviceID") String serviceID, String network, String interfaceName) {}
}
