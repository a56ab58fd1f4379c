package io.dpuvpc.http.document;

import io.dpuvpc.actors.model.DpuServiceInterfaceSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import io.dpuvpc.actors.model.TemplateMetadata;
import java.util.Map;

/**
 * Reads a document's {@code spec} into the domain's record, field by field with the reference's
 * names; {@link SpecWriter} writes the same names back. Absent fields stay null (or take the
 * record's default), so that the domain validators, not the codec, say what is required.
 */
final class SpecReader {
    private SpecReader() {}

    /**
     * The spec of a {@code kind} document; {@code spec} is null when absent. A ServiceInterface's
     * spec is read with the document's labels and annotations, which it carries.
     */
    static Object read(ResourceKind kind, FieldReader spec, Map<String, String> labels, Map<String, String> annotations) {
        if (kind == ResourceKind.SERVICE_INTERFACE) {
            return new ServiceInterfaceTemplate(new TemplateMetadata(labels, annotations),
                    spec == null ? null : interfaceSpec(spec));
        }
        if (spec == null) {
            return null;
        }
        return switch (kind) {
            case ISOLATION_CLASS -> isolationClass(spec);
            case DPU_VPC -> dpuVpc(spec);
            case DPU_VIRTUAL_NETWORK -> virtualNetwork(spec);
            case DPU_SERVICE_INTERFACE -> dpuServiceInterface(spec);
            case SERVICE_INTERFACE, DPU_NODE -> throw new IllegalStateException(kind + " has no spec reader");
        };
    }

    private static IsolationClassSpec isolationClass(FieldReader r) {
        var spec = new IsolationClassSpec(r.string("provisioner"), r.stringMap("parameters"));
        r.finish();
        return spec;
    }

    private static DpuVpcSpec dpuVpc(FieldReader r) {
        var spec = new DpuVpcSpec(r.string("tenant"), r.string("isolationClassName"),
                isTrue(r.bool("interNetworkAccess")), selector(r.object("nodeSelector")));
        r.finish();
        return spec;
    }

    private static DpuVirtualNetworkSpec virtualNetwork(FieldReader r) {
        var spec = new DpuVirtualNetworkSpec(r.string("vpcName"), selector(r.object("nodeSelector")),
                r.string("type"), isTrue(r.bool("externallyRouted")), r.bool("masquerade"),
                bridgedNetwork(r.object("bridgedNetwork")));
        r.finish();
        return spec;
    }

    private static DpuVirtualNetworkSpec.BridgedNetwork bridgedNetwork(FieldReader r) {
        if (r == null) {
            return null;
        }
        FieldReader ipamReader = r.object("ipam");
        r.finish();
        if (ipamReader == null) {
            return new DpuVirtualNetworkSpec.BridgedNetwork(null);
        }
        FieldReader ipv4 = ipamReader.object("ipv4");
        ipamReader.finish();
        return new DpuVirtualNetworkSpec.BridgedNetwork(new DpuVirtualNetworkSpec.Ipam(ipv4 == null ? null : ipv4(ipv4)));
    }

    private static DpuVirtualNetworkSpec.Ipv4Ipam ipv4(FieldReader r) {
        var ipam = new DpuVirtualNetworkSpec.Ipv4Ipam(isTrue(r.bool("dhcp")), r.string("subnet"),
                r.objects("excludeIPs", SpecReader::excludeIp));
        r.finish();
        return ipam;
    }

    private static DpuVirtualNetworkSpec.ExcludeIp excludeIp(FieldReader r) {
        String ip = r.string("ip");
        FieldReader rangeReader = r.object("range");
        DpuVirtualNetworkSpec.IpRange range = null;
        if (rangeReader != null) {
            range = new DpuVirtualNetworkSpec.IpRange(rangeReader.string("start"), rangeReader.string("end"));
            rangeReader.finish();
        }
        r.finish();
        return new DpuVirtualNetworkSpec.ExcludeIp(ip, range);
    }

    private static DpuServiceInterfaceSpec dpuServiceInterface(FieldReader r) {
        FieldReader setTemplate = r.object("template");
        r.finish();
        if (setTemplate == null) {
            return new DpuServiceInterfaceSpec(null);
        }
        TemplateMetadata setMetadata = templateMetadata(setTemplate.object("metadata"));
        FieldReader setSpec = setTemplate.object("spec");
        setTemplate.finish();
        DpuServiceInterfaceSpec.SetSpec spec = null;
        if (setSpec != null) {
            LabelSelector selector = selector(setSpec.object("nodeSelector"));
            FieldReader interfaceTemplate = setSpec.object("template");
            setSpec.finish();
            spec = new DpuServiceInterfaceSpec.SetSpec(selector,
                    interfaceTemplate == null ? null : interfaceTemplate(interfaceTemplate));
        }
        return new DpuServiceInterfaceSpec(new DpuServiceInterfaceSpec.SetTemplate(setMetadata, spec));
    }

    private static ServiceInterfaceTemplate interfaceTemplate(FieldReader r) {
        TemplateMetadata metadata = templateMetadata(r.object("metadata"));
        FieldReader spec = r.object("spec");
        r.finish();
        return new ServiceInterfaceTemplate(metadata, spec == null ? null : interfaceSpec(spec));
    }

    /** A template's {@code metadata}: labels and annotations only. */
    private static TemplateMetadata templateMetadata(FieldReader r) {
        if (r == null) {
            return TemplateMetadata.EMPTY;
        }
        var metadata = new TemplateMetadata(r.stringMap("labels"), r.stringMap("annotations"));
        r.finish();
        return metadata;
    }

    private static ServiceInterfaceSpec interfaceSpec(FieldReader r) {
        String node = r.string("node");
        String interfaceType = r.string("interfaceType");
        ServiceInterfaceSpec.Pf pf = null;
        FieldReader pfReader = r.object("pf");
        if (pfReader != null) {
            pf = new ServiceInterfaceSpec.Pf(pfReader.integer("pfID"));
            pfReader.finish();
        }
        ServiceInterfaceSpec.Vf vf = null;
        FieldReader vfReader = r.object("vf");
        if (vfReader != null) {
            vf = new ServiceInterfaceSpec.Vf(vfReader.integer("pfID"), vfReader.integer("vfID"),
                    vfReader.string("parentInterfaceRef"));
            vfReader.finish();
        }
        ServiceInterfaceSpec.Service service = null;
        FieldReader serviceReader = r.object("service");
        if (serviceReader != null) {
            service = new ServiceInterfaceSpec.Service(serviceReader.string("serviceID"),
                    serviceReader.string("network"), serviceReader.string("interfaceName"));
            serviceReader.finish();
        }
        String virtualNetwork = r.string("virtualNetwork");
        r.finish();
        return new ServiceInterfaceSpec(node, interfaceType, pf, vf, service, virtualNetwork);
    }

    /** A label selector; null (everything, by the records' defaults) when absent. */
    private static LabelSelector selector(FieldReader r) {
        if (r == null) {
            return null;
        }
        var selector = new LabelSelector(r.stringMap("matchLabels"),
                r.objects("matchExpressions", SpecReader::requirement));
        r.finish();
        return selector;
    }

    private static LabelSelector.Requirement requirement(FieldReader r) {
        var requirement = new LabelSelector.Requirement(r.string("key"), r.string("operator"), r.strings("values"));
        r.finish();
        return requirement;
    }

    /** The records hold these booleans as primitives: absent reads as false. */
    private static boolean isTrue(Boolean value) {
        return Boolean.TRUE.equals(value);
    }
}
