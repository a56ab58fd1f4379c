package io.dpuvpc.k8s.crd;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;

/**
 * A network of a DPUVPC. The patterns only catch what is plainly not an IPv4 address or block;
 * the domain's validator judges the rest (network address, prefix, reserved blocks, exclusions in
 * the subnet) and reports it as a False condition naming the field.
 */
@Group(Groups.VPC)
@Version(Groups.VERSION)
@Kind("DPUVirtualNetwork")
@Plural("dpuvirtualnetworks")
@ShortNames("dvn")
@AdditionalPrinterColumn(name = "READY", jsonPath = PrinterColumns.READY)
@AdditionalPrinterColumn(name = "SUBNET", jsonPath = ".spec.bridgedNetwork.ipam.ipv4.subnet")
@AdditionalPrinterColumn(name = "VPC", jsonPath = ".spec.vpcName")
@AdditionalPrinterColumn(name = "AGE", jsonPath = PrinterColumns.AGE, type = AdditionalPrinterColumn.Type.DATE)
public class DpuVirtualNetwork extends CustomResource<DpuVirtualNetwork.Spec, ResourceStatus> implements Namespaced {

    static final String IPV4 = "^([0-9]{1,3}\\.){3}[0-9]{1,3}$";
    static final String IPV4_CIDR = "^([0-9]{1,3}\\.){3}[0-9]{1,3}/[0-9]{1,2}$";

    public record Spec(
            @Required String vpcName,
            LabelSelector nodeSelector,
            NetworkType type,
            Boolean externallyRouted,
            Boolean masquerade,
            @Required BridgedNetwork bridgedNetwork) {}

    /** Only Bridged exists; an enum so that the API server refuses anything else. */
    public enum NetworkType {
        @JsonProperty("Bridged") BRIDGED
    }

    public record BridgedNetwork(@Required Ipam ipam) {}

    public record Ipam(@Required Ipv4 ipv4) {}

    public record Ipv4(
            Boolean dhcp,
            @Required @Pattern(IPV4_CIDR) String subnet,
            @JsonProperty("excludeIPs") List<ExcludeIp> excludeIPs) {}

    /** One exclusion: an {@code ip} or a {@code range}. */
    public record ExcludeIp(@Pattern(IPV4) String ip, IpRange range) {}

    public record IpRange(@Required @Pattern(IPV4) String start, @Required @Pattern(IPV4) String end) {}
}
