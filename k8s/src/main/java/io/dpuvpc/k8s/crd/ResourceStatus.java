package io.dpuvpc.k8s.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The status every kind has: Kubernetes conditions ({@code type, status, reason, message,
 * lastTransitionTime, observedGeneration}) and the generation they were computed for. Mutable, as
 * fabric8 models are; {@link io.dpuvpc.k8s.StatusWriter} builds a new one for every write.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourceStatus {
    private List<Condition> conditions = new ArrayList<>();
    private Long observedGeneration;

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions == null ? new ArrayList<>() : conditions;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourceStatus other && getClass() == other.getClass()
                && conditions.equals(other.conditions)
                && Objects.equals(observedGeneration, other.observedGeneration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(conditions, observedGeneration);
    }
}
