package io.dpuvpc.http.document;

import io.dpuvpc.actors.model.ResourceKind;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The kinds the admin API serves and the names kubectl users type for them: the kind ({@code
 * DPUVPC}), the singular ({@code dpuvpc}) and the plural ({@code dpuvpcs}), case-insensitively,
 * optionally qualified by the group as kubectl allows ({@code dpuvpcs.vpc.dpu.nvidia.com}).
 *
 * <p>DPUNode is not among them: the reference has no such resource; it is the product's own record.
 */
public final class KindNames {
    private KindNames() {}

    public static final String VPC_GROUP = "vpc.dpu.nvidia.com";
    public static final String SVC_GROUP = "svc.dpu.nvidia.com";
    public static final String VERSION = "v1alpha1";

    private static final List<ServedKind> SERVED = List.of(
            new ServedKind(ResourceKind.ISOLATION_CLASS, VPC_GROUP, VERSION, "isolationclasses", "isolationclass"),
            new ServedKind(ResourceKind.DPU_VPC, VPC_GROUP, VERSION, "dpuvpcs", "dpuvpc"),
            new ServedKind(ResourceKind.DPU_VIRTUAL_NETWORK, VPC_GROUP, VERSION, "dpuvirtualnetworks",
                    "dpuvirtualnetwork"),
            new ServedKind(ResourceKind.DPU_SERVICE_INTERFACE, SVC_GROUP, VERSION, "dpuserviceinterfaces",
                    "dpuserviceinterface"),
            new ServedKind(ResourceKind.SERVICE_INTERFACE, SVC_GROUP, VERSION, "serviceinterfaces",
                    "serviceinterface"));

    /** Every served kind, in the order of the reference (IsolationClass first). */
    public static List<ServedKind> served() {
        return SERVED;
    }

    /** The served kind of {@code kind}; throws for {@link ResourceKind#DPU_NODE}, which is not served. */
    public static ServedKind of(ResourceKind kind) {
        return SERVED.stream().filter(s -> s.kind() == kind).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(kind.kindName() + " is not served as a document"));
    }

    /** The kind a user names: kind, singular or plural, any case, optionally {@code name.group}. */
    public static Optional<ServedKind> resolve(String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (ServedKind s : SERVED) {
            for (String candidate : List.of(s.singular(), s.plural())) {
                if (wanted.equals(candidate) || wanted.equals(candidate + "." + s.group())) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }

    /** The kind a document declares: {@code apiVersion} and {@code kind} exactly, as the API server matches them. */
    public static Optional<ServedKind> byTypeMeta(String apiVersion, String kind) {
        return SERVED.stream()
                .filter(s -> s.apiVersion().equals(apiVersion) && s.kindName().equals(kind))
                .findFirst();
    }

    /** The kind whose list kind is {@code listKind} (e.g. {@code DPUVPCList}) in {@code apiVersion}. */
    static Optional<ServedKind> byListKind(String apiVersion, String listKind) {
        return SERVED.stream()
                .filter(s -> s.apiVersion().equals(apiVersion) && s.listKind().equals(listKind))
                .findFirst();
    }

    /** A served kind whose name differs from {@code kind} only in case: for "did you mean". */
    static Optional<ServedKind> ignoringCase(String kind) {
        return SERVED.stream().filter(s -> s.kindName().equalsIgnoreCase(kind)).findFirst();
    }
}
