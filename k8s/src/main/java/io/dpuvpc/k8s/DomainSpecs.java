package io.dpuvpc.k8s;

import io.dpuvpc.actors.model.Annotations;
import io.dpuvpc.actors.model.DpuServiceInterfaceSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import io.dpuvpc.actors.model.TemplateMetadata;
import io.dpuvpc.actors.validation.FieldError;
import io.dpuvpc.actors.validation.SpecValidator;
import io.dpuvpc.k8s.crd.DpuServiceInterface;
import io.dpuvpc.k8s.crd.DpuVirtualNetwork;
import io.dpuvpc.k8s.crd.DpuVpc;
import io.dpuvpc.k8s.crd.InterfaceSpec;
import io.dpuvpc.k8s.crd.IsolationClass;
import io.dpuvpc.k8s.crd.ServiceInterface;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * The one mapping from the fabric8 model to the domain's spec records, and the domain's validators
 * applied to the result: the product has one set of rules, whichever way a resource comes in (the
 * admin API's document codec reads YAML into the same records).
 *
 * <p>Absent fields map to null (or the record's default), as the document codec maps them, so that
 * the validators, not this mapping, say what is missing.
 */
public final class DomainSpecs {
    private DomainSpecs() {}

    /** The domain kind of a fabric8 resource of one of the five served classes. */
    public static ResourceKind kindOf(HasMetadata resource) {
        for (ResourceKind kind : ResourceTypes.SERVED) {
            if (ResourceTypes.of(kind).isInstance(resource)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(resource.getKind() + " is not a served kind");
    }

    /**
     * The domain spec of {@code resource}: an {@link IsolationClassSpec}, {@link DpuVpcSpec}, {@link
     * DpuVirtualNetworkSpec}, {@link DpuServiceInterfaceSpec}, or for a ServiceInterface a {@link
     * ServiceInterfaceTemplate} (its spec with the object's labels and annotations, which carry the
     * unknown-mac flag). Null when the resource has no spec.
     */
    public static Object of(HasMetadata resource) {
        if (resource instanceof ServiceInterface r) {
            return new ServiceInterfaceTemplate(
                    new TemplateMetadata(r.getMetadata().getLabels(), userAnnotations(r.getMetadata().getAnnotations())),
                    interfaceSpec(r.getSpec()));
        }
        if (resource instanceof IsolationClass r) {
            return r.getSpec() == null ? null : new IsolationClassSpec(r.getSpec().provisioner(), r.getSpec().parameters());
        }
        if (resource instanceof DpuVpc r) {
            return r.getSpec() == null ? null : dpuVpc(r.getSpec());
        }
        if (resource instanceof DpuVirtualNetwork r) {
            return r.getSpec() == null ? null : virtualNetwork(r.getSpec());
        }
        if (resource instanceof DpuServiceInterface r) {
            return r.getSpec() == null ? null : dpuServiceInterface(r.getSpec());
        }
        throw new IllegalArgumentException(resource.getKind() + " is not a served kind");
    }

    /**
     * The annotations a user set: without the two the controller writes back ({@link
     * Annotations#LSP_CONNECTED}, {@link Annotations#LSP_MAC_ADDRESS}), which are output, not
     * intent; kept, they would come back as a spec change on every write.
     */
    static Map<String, String> userAnnotations(Map<String, String> annotations) {
        if (annotations == null || (!annotations.containsKey(Annotations.LSP_CONNECTED)
                && !annotations.containsKey(Annotations.LSP_MAC_ADDRESS))) {
            return annotations;
        }
        Map<String, String> user = new java.util.LinkedHashMap<>(annotations);
        user.remove(Annotations.LSP_CONNECTED);
        user.remove(Annotations.LSP_MAC_ADDRESS);
        return user;
    }

    /** The domain validators' errors for {@code spec}, the result of {@link #of} for a {@code kind} named {@code name}. */
    public static List<FieldError> validate(ResourceKind kind, String name, Object spec) {
        return SpecValidator.validate(kind, name, spec);
    }

    private static DpuVpcSpec dpuVpc(DpuVpc.Spec s) {
        return new DpuVpcSpec(s.tenant(), s.isolationClassName(), isTrue(s.interNetworkAccess()),
                selector(s.nodeSelector()));
    }

    private static DpuVirtualNetworkSpec virtualNetwork(DpuVirtualNetwork.Spec s) {
        return new DpuVirtualNetworkSpec(s.vpcName(), selector(s.nodeSelector()),
                s.type() == null ? null : DpuVirtualNetworkSpec.BRIDGED, isTrue(s.externallyRouted()),
                s.masquerade(), bridgedNetwork(s.bridgedNetwork()));
    }

    private static DpuVirtualNetworkSpec.BridgedNetwork bridgedNetwork(DpuVirtualNetwork.BridgedNetwork b) {
        if (b == null) {
            return null;
        }
        if (b.ipam() == null || b.ipam().ipv4() == null) {
            return new DpuVirtualNetworkSpec.BridgedNetwork(b.ipam() == null ? null : new DpuVirtualNetworkSpec.Ipam(null));
        }
        DpuVirtualNetwork.Ipv4 ipv4 = b.ipam().ipv4();
        List<DpuVirtualNetworkSpec.ExcludeIp> exclusions = ipv4.excludeIPs() == null ? List.of()
                : ipv4.excludeIPs().stream().map(DomainSpecs::exclusion).toList();
        return new DpuVirtualNetworkSpec.BridgedNetwork(new DpuVirtualNetworkSpec.Ipam(
                new DpuVirtualNetworkSpec.Ipv4Ipam(isTrue(ipv4.dhcp()), ipv4.subnet(), exclusions)));
    }

    private static DpuVirtualNetworkSpec.ExcludeIp exclusion(DpuVirtualNetwork.ExcludeIp e) {
        if (e == null) {
            return null;
        }
        return new DpuVirtualNetworkSpec.ExcludeIp(e.ip(),
                e.range() == null ? null : new DpuVirtualNetworkSpec.IpRange(e.range().start(), e.range().end()));
    }

    private static DpuServiceInterfaceSpec dpuServiceInterface(DpuServiceInterface.Spec s) {
        DpuServiceInterface.SetTemplate set = s.template();
        if (set == null) {
            return new DpuServiceInterfaceSpec(null);
        }
        DpuServiceInterfaceSpec.SetSpec spec = null;
        if (set.spec() != null) {
            DpuServiceInterface.InterfaceTemplate template = set.spec().template();
            spec = new DpuServiceInterfaceSpec.SetSpec(selector(set.spec().nodeSelector()), template == null ? null
                    : new ServiceInterfaceTemplate(metadata(template.metadata()), interfaceSpec(template.spec())));
        }
        return new DpuServiceInterfaceSpec(new DpuServiceInterfaceSpec.SetTemplate(metadata(set.metadata()), spec));
    }

    private static TemplateMetadata metadata(io.dpuvpc.k8s.crd.TemplateMetadata m) {
        return m == null ? TemplateMetadata.EMPTY : new TemplateMetadata(m.labels(), m.annotations());
    }

    private static ServiceInterfaceSpec interfaceSpec(InterfaceSpec s) {
        if (s == null) {
            return null;
        }
        return new ServiceInterfaceSpec(s.node(),
                interfaceType(s.interfaceType()),
                s.pf() == null ? null : new ServiceInterfaceSpec.Pf(s.pf().pfID()),
                s.vf() == null ? null : new ServiceInterfaceSpec.Vf(s.vf().pfID(), s.vf().vfID(), s.vf().parentInterfaceRef()),
                s.service() == null ? null
                        : new ServiceInterfaceSpec.Service(s.service().serviceID(), s.service().network(),
                                s.service().interfaceName()),
                s.virtualNetwork());
    }

    private static String interfaceType(InterfaceSpec.InterfaceType type) {
        if (type == null) {
            return null;
        }
        return switch (type) {
            case PF -> ServiceInterfaceSpec.PF;
            case VF -> ServiceInterfaceSpec.VF;
            case SERVICE -> ServiceInterfaceSpec.SERVICE;
        };
    }

    /** A label selector; null (everything, by the records' defaults) when absent. */
    private static LabelSelector selector(io.fabric8.kubernetes.api.model.LabelSelector s) {
        if (s == null) {
            return null;
        }
        List<LabelSelector.Requirement> requirements = s.getMatchExpressions() == null ? List.of()
                : s.getMatchExpressions().stream().map(DomainSpecs::requirement).toList();
        return new LabelSelector(s.getMatchLabels(), requirements);
    }

    private static LabelSelector.Requirement requirement(LabelSelectorRequirement r) {
        return new LabelSelector.Requirement(r.getKey(), r.getOperator(), r.getValues());
    }

    /** The records hold these booleans as primitives: absent reads as false, as in the document codec. */
    private static boolean isTrue(Boolean value) {
        return Boolean.TRUE.equals(value);
    }
}
