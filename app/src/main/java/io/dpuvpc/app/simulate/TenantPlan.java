package io.dpuvpc.app.simulate;

import io.dpuvpc.simulator.fleet.SimulatedChassis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The resources a simulation applies, as a user would write them: one IsolationClass naming the
 * central's Northbound; VPC {@code v} ({@code sim-vpc-<v>}) selecting the DPUs labelled
 * {@value #LABEL}{@code =sim-vpc-<v>}, which are DPUs {@code i} with {@code i % vpcs == v}; its
 * networks {@code sim-vpc-<v>-net-<j>} (Bridged, externally routed, masqueraded, DHCP on
 * {@code 10.<j>.0.0/16}; every VPC reuses the same subnets, as tenants do); and per network its
 * ServiceInterfaces {@code sim-vpc-<v>-net-<j>-si-<k>}, each a VF of PF 0 on one of the VPC's DPUs
 * in turn, VF numbers counted per DPU.
 */
public final class TenantPlan {
    public static final String NAMESPACE = "sim";
    public static final String ISOLATION_CLASS = "sim-ovn";
    public static final String LABEL = "sim.dpuvpc.io/vpc";

    /** One ServiceInterface: its name, node and VF number. */
    public record Interface(String name, String node, int vf, String network) {
        public String key() {
            return NAMESPACE + "/" + name;
        }
    }

    private final SimulationSettings settings;
    private final List<Interface> interfaces = new ArrayList<>();

    public TenantPlan(SimulationSettings settings) {
        this.settings = settings;
        int[] nextVf = new int[settings.dpus()];
        for (int v = 0; v < settings.vpcs(); v++) {
            List<Integer> dpus = dpusOf(v);
            int turn = 0;
            for (int j = 0; j < settings.networksPerVpc(); j++) {
                for (int k = 0; k < settings.interfacesPerNetwork(); k++) {
                    int dpu = dpus.get(turn++ % dpus.size());
                    interfaces.add(new Interface(network(v, j) + "-si-" + k, node(dpu), nextVf[dpu]++, network(v, j)));
                }
            }
        }
    }

    public static String node(int dpu) {
        return SimulatedChassis.numbered(dpu).name();
    }

    public static String vpc(int v) {
        return "sim-vpc-" + v;
    }

    public static String network(int v, int j) {
        return vpc(v) + "-net-" + j;
    }

    /** DPU {@code i}'s labels: the VPC that selects it. */
    public Map<String, String> labels(int dpu) {
        return Map.of(LABEL, vpc(dpu % settings.vpcs()));
    }

    private List<Integer> dpusOf(int v) {
        List<Integer> dpus = new ArrayList<>();
        for (int i = v; i < settings.dpus(); i += settings.vpcs()) {
            dpus.add(i);
        }
        return dpus;
    }

    public List<Interface> interfaces() {
        return interfaces;
    }

    public static String isolationClass(String nbEndpoint) {
        return """
            apiVersion: vpc.dpu.nvidia.com/v1alpha1
            kind: IsolationClass
            metadata:
              name: %s
            spec:
              provisioner: ovn.vpc.dpu.nvidia.com
              parameters:
                ovn-nb-endpoint: "%s"
            """.formatted(ISOLATION_CLASS, nbEndpoint);
    }

    public List<String> vpcDocuments() {
        List<String> docs = new ArrayList<>();
        for (int v = 0; v < settings.vpcs(); v++) {
            docs.add(vpcDocument(v, true));
        }
        return docs;
    }

    /** VPC {@code v}; {@code interNetworkAccess} is the one field of a VPC that may change after creation. */
    public static String vpcDocument(int v, boolean interNetworkAccess) {
        return """
            apiVersion: vpc.dpu.nvidia.com/v1alpha1
            kind: DPUVPC
            metadata:
              name: %s
              namespace: %s
            spec:
              tenant: tenant-%d
              isolationClassName: %s
              interNetworkAccess: %s
              nodeSelector:
                matchLabels:
                  %s: %s
            """.formatted(vpc(v), NAMESPACE, v, ISOLATION_CLASS, interNetworkAccess, LABEL, vpc(v));
    }

    public List<String> networkDocuments() {
        List<String> docs = new ArrayList<>();
        for (int v = 0; v < settings.vpcs(); v++) {
            for (int j = 0; j < settings.networksPerVpc(); j++) {
                docs.add(networkDocument(v, j));
            }
        }
        return docs;
    }

    /** Network {@code j} of VPC {@code v}. */
    public static String networkDocument(int v, int j) {
        return """
            apiVersion: vpc.dpu.nvidia.com/v1alpha1
            kind: DPUVirtualNetwork
            metadata:
              name: %s
              namespace: %s
            spec:
              vpcName: %s
              type: Bridged
              externallyRouted: true
              masquerade: true
              bridgedNetwork:
                ipam:
                  ipv4:
                    dhcp: true
                    subnet: 10.%d.0.0/16
            """.formatted(network(v, j), NAMESPACE, vpc(v), j);
    }

    public static String interfaceDocument(Interface i) {
        return """
            apiVersion: svc.dpu.nvidia.com/v1alpha1
            kind: ServiceInterface
            metadata:
              name: %s
              namespace: %s
            spec:
              interfaceType: vf
              node: %s
              vf:
                pfID: 0
                vfID: %d
                parentInterfaceRef: ""
              virtualNetwork: %s
            """.formatted(i.name(), NAMESPACE, i.node(), i.vf(), i.network());
    }

    /** Documents joined into one multi-document YAML body. */
    public static String body(List<String> documents) {
        return String.join("---\n", documents);
    }
}
