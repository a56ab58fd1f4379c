package io.dpuvpc.http.document;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpuvpc.actors.model.DpuServiceInterfaceSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.actors.model.TemplateMetadata;
import java.util.List;
import java.util.Map;

/**
 * Writes the domain's spec records with the field names {@link SpecReader} reads, so that a
 * rendered document parses back to equal records. Null fields are left out; selectors are always
 * written ({@code {}} selects every node, as the reference's examples write it).
 */
final class SpecWriter {
    private SpecWriter() {}

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static ObjectNode isolationClass(IsolationClassSpec spec) {
        ObjectNode node = NODES.objectNode();
        putText(node, "provisioner", spec.provisioner());
        putMap(node, "parameters", spec.parameters());
        return node;
    }

    static ObjectNode dpuVpc(DpuVpcSpec spec) {
        ObjectNode node = NODES.objectNode();
        putText(node, "tenant", spec.tenant());
        putText(node, "isolationClassName", spec.isolationClassName());
        node.put("interNetworkAccess", spec.interNetworkAccess());
        node.set("nodeSelector", selector(spec.nodeSelector()));
        return node;
    }

    static ObjectNode virtualNetwork(DpuVirtualNetworkSpec spec) {
        ObjectNode node = NODES.objectNode();
        putText(node, "vpcName", spec.vpcName());
        node.set("nodeSelector", selector(spec.nodeSelector()));
        putText(node, "type", spec.type());
        node.put("externallyRouted", spec.externallyRouted());
        node.put("masquerade", spec.masquerade());
        if (spec.bridgedNetwork() != null) {
            ObjectNode ipam = NODES.objectNode();
            DpuVirtualNetworkSpec.Ipam specIpam = spec.bridgedNetwork().ipam();
            if (specIpam != null && specIpam.ipv4() != null) {
                ipam.set("ipv4", ipv4(specIpam.ipv4()));
            }
            ObjectNode bridged = node.putObject("bridgedNetwork");
            if (specIpam != null) {
                bridged.set("ipam", ipam);
            }
        }
        return node;
    }

    private static ObjectNode ipv4(DpuVirtualNetworkSpec.Ipv4Ipam ipv4) {
        ObjectNode node = NODES.objectNode();
        node.put("dhcp", ipv4.dhcp());
        putText(node, "subnet", ipv4.subnet());
        if (!ipv4.excludeIPs().isEmpty()) {
            ArrayNode excludes = node.putArray("excludeIPs");
            for (DpuVirtualNetworkSpec.ExcludeIp exclude : ipv4.excludeIPs()) {
                ObjectNode entry = excludes.addObject();
                putText(entry, "ip", exclude.ip());
                if (exclude.range() != null) {
                    ObjectNode range = entry.putObject("range");
                    putText(range, "start", exclude.range().start());
                    putText(range, "end", exclude.range().end());
                }
            }
        }
        return node;
    }

    static ObjectNode dpuServiceInterface(DpuServiceInterfaceSpec spec) {
        ObjectNode node = NODES.objectNode();
        DpuServiceInterfaceSpec.SetTemplate setTemplate = spec.template();
        if (setTemplate == null) {
            return node;
        }
        ObjectNode template = node.putObject("template");
        putMetadata(template, setTemplate.metadata());
        if (setTemplate.spec() != null) {
            ObjectNode setSpec = template.putObject("spec");
            setSpec.set("nodeSelector", selector(setTemplate.spec().nodeSelector()));
            if (setTemplate.spec().template() != null) {
                ObjectNode interfaceTemplate = setSpec.putObject("template");
                putMetadata(interfaceTemplate, setTemplate.spec().template().metadata());
                if (setTemplate.spec().template().spec() != null) {
                    interfaceTemplate.set("spec", interfaceSpec(setTemplate.spec().template().spec()));
                }
            }
        }
        return node;
    }

    static ObjectNode interfaceSpec(ServiceInterfaceSpec spec) {
        ObjectNode node = NODES.objectNode();
        putText(node, "node", spec.node());
        putText(node, "interfaceType", spec.interfaceType());
        if (spec.pf() != null) {
            ObjectNode pf = node.putObject("pf");
            putInt(pf, "pfID", spec.pf().pfID());
        }
        if (spec.vf() != null) {
            ObjectNode vf = node.putObject("vf");
            putInt(vf, "pfID", spec.vf().pfID());
            putInt(vf, "vfID", spec.vf().vfID());
            putText(vf, "parentInterfaceRef", spec.vf().parentInterfaceRef());
        }
        if (spec.service() != null) {
            ObjectNode service = node.putObject("service");
            putText(service, "serviceID", spec.service().serviceID());
            putText(service, "network", spec.service().network());
            putText(service, "interfaceName", spec.service().interfaceName());
        }
        putText(node, "virtualNetwork", spec.virtualNetwork());
        return node;
    }

    static ObjectNode selector(LabelSelector selector) {
        ObjectNode node = NODES.objectNode();
        putMap(node, "matchLabels", selector.matchLabels());
        List<LabelSelector.Requirement> expressions = selector.matchExpressions();
        if (!expressions.isEmpty()) {
            ArrayNode list = node.putArray("matchExpressions");
            for (LabelSelector.Requirement r : expressions) {
                ObjectNode entry = list.addObject();
                putText(entry, "key", r.key());
                putText(entry, "operator", r.operator());
                if (!r.values().isEmpty()) {
                    ArrayNode values = entry.putArray("values");
                    r.values().forEach(values::add);
                }
            }
        }
        return node;
    }

    private static void putMetadata(ObjectNode parent, TemplateMetadata metadata) {
        if (metadata.labels().isEmpty() && metadata.annotations().isEmpty()) {
            return;
        }
        ObjectNode node = parent.putObject("metadata");
        putMap(node, "labels", metadata.labels());
        putMap(node, "annotations", metadata.annotations());
    }

    static void putMap(ObjectNode parent, String field, Map<String, String> map) {
        if (map != null && !map.isEmpty()) {
            ObjectNode node = parent.putObject(field);
            map.forEach(node::put);
        }
    }

    static void putText(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static void putInt(ObjectNode node, String field, Integer value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
