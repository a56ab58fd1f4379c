package io.dpuvpc.http.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpuvpc.actors.conditions.Condition;
import io.dpuvpc.actors.conditions.ConditionStatus;
import io.dpuvpc.actors.entity.DpuServiceInterfaceEntity;
import io.dpuvpc.actors.model.DpuServiceInterfaceSpec;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The tree of VPCs, their virtual networks and the interfaces on each network with their
 * conditions: the layout of the reference's {@code dpfctl describe dpuvpcs --show-conditions=all},
 * one level deeper (the ServiceInterfaces a DPUServiceInterface made, one per node, which the
 * reference does not show). A pure function of the resources it is given.
 */
public final class DescribeTree {

    /** {@code ALL}: every condition; {@code FAILED}: only those not True (and their resource). */
    public enum Show {
        ALL, FAILED;

        public static Show parse(String value) {
            if (value == null || value.isBlank() || value.equalsIgnoreCase("all")) {
                return ALL;
            }
            if (value.equalsIgnoreCase("failed")) {
                return FAILED;
            }
            throw new IllegalArgumentException("showConditions must be all or failed, not \"" + value + "\"");
        }
    }

    /** The resources to draw, as listed (any order). */
    public record Resources(List<ResourceView> vpcs, List<ResourceView> networks, List<ResourceView> dpuServiceInterfaces,
                            List<ResourceView> serviceInterfaces) {}

    /** One line's subject with its conditions and children. */
    private record Node(String title, String namespace, List<Condition> conditions, List<Node> children) {}

    private DescribeTree() {}

    public static String text(Resources resources, Show show, Instant now) {
        List<Node> roots = build(resources, show);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-58s %-16s %-7s %-26s %-6s %s%n", "NAME", "NAMESPACE", "STATUS", "REASON",
                "SINCE", "MESSAGE"));
        out.append("DPUVPCs\n");
        for (int i = 0; i < roots.size(); i++) {
            draw(out, roots.get(i), "", i == roots.size() - 1, now);
        }
        if (roots.isEmpty()) {
            out.append("└─(no DPUVPC").append(show == Show.FAILED ? " with a condition that is not True" : "").append(")\n");
        }
        return out.toString();
    }

    public static ObjectNode json(Resources resources, Show show) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode vpcs = root.putArray("dpuvpcs");
        build(resources, show).forEach(n -> vpcs.add(json(n)));
        return root;
    }

    // ---- building

    private static List<Node> build(Resources r, Show show) {
        List<Node> vpcs = new ArrayList<>();
        for (ResourceView vpc : sorted(r.vpcs())) {
            List<Node> networks = new ArrayList<>();
            for (ResourceView net : sorted(r.networks())) {
                if (!(net.spec() instanceof DpuVirtualNetworkSpec spec) || !sameNamespace(vpc, net)
                        || !vpc.key().name().equals(spec.vpcName())) {
                    continue;
                }
                List<Node> interfaces = new ArrayList<>();
                for (ResourceView dsi : sorted(r.dpuServiceInterfaces())) {
                    if (dsi.spec() instanceof DpuServiceInterfaceSpec s && sameNamespace(net, dsi)
                            && net.key().name().equals(s.template().spec().template().spec().virtualNetwork())) {
                        List<Node> made = new ArrayList<>();
                        for (ResourceView si : sorted(r.serviceInterfaces())) {
                            if (madeBy(si, dsi)) {
                                add(made, node(si, show, List.of()));
                            }
                        }
                        add(interfaces, node(dsi, show, made));
                    }
                }
                for (ResourceView si : sorted(r.serviceInterfaces())) {
                    if (si.spec() instanceof ServiceInterfaceTemplate t && sameNamespace(net, si)
                            && net.key().name().equals(t.spec().virtualNetwork()) && !madeByAny(si, r)) {
                        add(interfaces, node(si, show, List.of()));
                    }
                }
                add(networks, node(net, show, interfaces));
            }
            add(vpcs, node(vpc, show, networks));
        }
        return vpcs;
    }

    private static Node node(ResourceView view, Show show, List<Node> children) {
        List<Condition> conditions = view.conditions().items().stream()
                .filter(c -> show == Show.ALL || c.status() != ConditionStatus.TRUE)
                // Ready first, as the reference shows it; then the others by name.
                .sorted(Comparator.comparing((Condition c) -> !c.type().equals("Ready")).thenComparing(Condition::type))
                .toList();
        if (show == Show.FAILED && conditions.isEmpty() && children.isEmpty()) {
            return null;
        }
        return new Node(view.key().kind().kindName() + "/" + view.key().name(), view.key().namespace(), conditions,
                children);
    }

    private static void add(List<Node> to, Node node) {
        if (node != null) {
            to.add(node);
        }
    }

    /** A ServiceInterface a DPUServiceInterface made is named after it and its node (see the DSI entity). */
    private static boolean madeBy(ResourceView si, ResourceView dsi) {
        return sameNamespace(si, dsi) && si.spec() instanceof ServiceInterfaceTemplate t && t.spec().node() != null
                && si.key().name().equals(DpuServiceInterfaceEntity.childName(dsi.key().name(), t.spec().node()));
    }

    private static boolean madeByAny(ResourceView si, Resources r) {
        return r.dpuServiceInterfaces().stream().anyMatch(d -> madeBy(si, d));
    }

    private static boolean sameNamespace(ResourceView a, ResourceView b) {
        return Objects.equals(a.key().namespace(), b.key().namespace());
    }

    private static List<ResourceView> sorted(List<ResourceView> views) {
        return views.stream().sorted(Comparator.comparing((ResourceView v) -> v.key().namespace())
                .thenComparing(v -> v.key().name())).toList();
    }

    // ---- drawing

    private static void draw(StringBuilder out, Node node, String indent, boolean last, Instant now) {
        out.append(String.format(Locale.ROOT, "%-58s %s%n", indent + (last ? "└─" : "├─") + node.title(), node.namespace()));
        String inner = indent + (last ? "  " : "│ ");
        for (int i = 0; i < node.conditions().size(); i++) {
            Condition c = node.conditions().get(i);
            boolean lastLine = i == node.conditions().size() - 1 && node.children().isEmpty();
            String name = inner + (lastLine ? "└─" : "├─") + c.type();
            out.append(String.format(Locale.ROOT, "%-58s %-16s %-7s %-26s %-6s %s%n", name, "", statusText(c.status()),
                    c.reason(), since(c.lastTransitionTime(), now), c.message()));
        }
        for (int i = 0; i < node.children().size(); i++) {
            draw(out, node.children().get(i), inner, i == node.children().size() - 1, now);
        }
    }

    private static String statusText(ConditionStatus status) {
        return status.text();
    }

    /** The age as kubectl prints it: 45s, 12m, 3h20m, 6d. */
    static String since(Instant time, Instant now) {
        if (time == null) {
            return "";
        }
        Duration age = Duration.between(time, now);
        if (age.isNegative()) {
            age = Duration.ZERO;
        }
        long s = age.toSeconds();
        if (s < 120) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m";
        }
        if (s < 86400) {
            long m = (s % 3600) / 60;
            return (s / 3600) + "h" + (m > 0 && s < 36000 ? m + "m" : "");
        }
        return (s / 86400) + "d";
    }

    private static ObjectNode json(Node node) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", node.title());
        o.put("namespace", node.namespace());
        ArrayNode conditions = o.putArray("conditions");
        node.conditions().forEach(c -> conditions.addObject().put("type", c.type()).put("status", statusText(c.status()))
                .put("reason", c.reason()).put("message", c.message())
                .put("lastTransitionTime", c.lastTransitionTime() == null ? null : c.lastTransitionTime().toString()));
        ArrayNode children = o.putArray("children");
        node.children().forEach(n -> children.add(json(n)));
        return o;
    }
}
