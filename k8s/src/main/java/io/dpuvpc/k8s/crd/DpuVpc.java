package io.dpuvpc.k8s.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.ArrayList;
import java.util.List;

/** A tenant's VPC: which DPU nodes take part, its IsolationClass, whether its networks route to each other. */
@Group(Groups.VPC)
@Version(Groups.VERSION)
@Kind("DPUVPC")
@Plural("dpuvpcs")
@ShortNames("dvpc")
@AdditionalPrinterColumn(name = "READY", jsonPath = PrinterColumns.READY)
@AdditionalPrinterColumn(name = "TENANT", jsonPath = ".spec.tenant")
@AdditionalPrinterColumn(name = "AGE", jsonPath = PrinterColumns.AGE, type = AdditionalPrinterColumn.Type.DATE)
public class DpuVpc extends CustomResource<DpuVpc.Spec, DpuVpc.Status> implements Namespaced {

    public record Spec(
            @Required String tenant,
            @Required String isolationClassName,
            Boolean interNetworkAccess,
            LabelSelector nodeSelector) {}

    /** The common status plus the reference's {@code virtualNetworks}: the VPC's networks by name. */
    public static class Status extends ResourceStatus {
        private List<NetworkRef> virtualNetworks = new ArrayList<>();

        public List<NetworkRef> getVirtualNetworks() {
            return virtualNetworks;
        }

        public void setVirtualNetworks(List<NetworkRef> virtualNetworks) {
            this.virtualNetworks = virtualNetworks == null ? new ArrayList<>() : virtualNetworks;
        }

        @Override
        public boolean equals(Object o) {
            return super.equals(o) && virtualNetworks.equals(((Status) o).virtualNetworks);
        }

        @Override
        public int hashCode() {
            return 31 * super.hashCode() + virtualNetworks.hashCode();
        }
    }

    public record NetworkRef(String name) {}
}
