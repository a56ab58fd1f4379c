package io.dpuvpc.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.k8s.KubeApiServerExtension.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The repository's examples/*.yaml through kubectl against a real API server: each file is
 * accepted by the CRDs' schemas, and {@code kubectl get} prints the printer columns the model
 * classes declare (the API server computes them from the CRDs' jsonPaths; the fabric8 mock prints
 * no tables at all).
 */
class ExamplesKubectlIT {
    @RegisterExtension
    static final KubeApiServerExtension KUBE = new KubeApiServerExtension();

    /** What {@code kubectl apply -f} printed for each example file, in file order. */
    static final Map<String, Result> APPLIED = new LinkedHashMap<>();

    @BeforeAll
    static void applyEveryExample() throws IOException {
        assertThat(KUBE.registerCrds()).containsExactlyInAnyOrder(
                "isolationclasses.vpc.dpu.nvidia.com", "dpuvpcs.vpc.dpu.nvidia.com",
                "dpuvirtualnetworks.vpc.dpu.nvidia.com", "dpuserviceinterfaces.svc.dpu.nvidia.com",
                "serviceinterfaces.svc.dpu.nvidia.com");
        for (Path file : exampleFiles()) {
            // --validate=false: the API server's own checks decide, not kubectl's client-side ones.
            APPLIED.put(file.getFileName().toString(), KUBE.kubectl("apply", "--validate=false", "-f", file.toString()));
        }
    }

    @Test
    void everyExampleFileIsAcceptedWhole() {
        assertThat(APPLIED).hasSize(5);
        APPLIED.forEach((file, result) -> {
            assertThat(result.exitCode()).as("%s: %s", file, result).isZero();
            List<String> lines = result.stdout().lines().toList();
            // One line per document: "<kind>.<group>/<name> created|configured|unchanged".
            assertThat(lines).as(file).hasSize(ExampleResources.file(file).size())
                    .allMatch(line -> line.matches("[a-z]+\\.(vpc|svc)\\.dpu\\.nvidia\\.com/\\S+ (created|configured|unchanged)"));
        });
        assertThat(APPLIED.get("00-isolationclass.yaml").stdout())
                .contains("isolationclass.vpc.dpu.nvidia.com/ovn.vpc.dpu.nvidia.com created");
        assertThat(APPLIED.get("01-single-vpc-single-network.yaml").stdout())
                .contains("dpuvpc.vpc.dpu.nvidia.com/testvpc created",
                        "dpuvirtualnetwork.vpc.dpu.nvidia.com/testnet1 created",
                        "dpuserviceinterface.svc.dpu.nvidia.com/testnet1-vf2 created");
    }

    @Test
    void dpuvpcsShowReadyTenantAndAge() {
        KubectlTable table = get("dpuvpcs", "-A");

        assertThat(table.header()).containsExactly("NAMESPACE", "NAME", "READY", "TENANT", "AGE");
        assertThat(table.rows()).extracting(r -> r.get("NAME"))
                .containsExactlyInAnyOrder("testvpc", "redvpc", "bluevpc");
        assertThat(table.row("testvpc")).containsEntry("NAMESPACE", "default").containsEntry("TENANT", "foo");
        assertThat(table.row("redvpc")).containsEntry("TENANT", "red");
        assertThat(table.row("bluevpc")).containsEntry("TENANT", "blue");
        assertThat(table.row("redvpc").get("AGE")).matches("\\d+[smh]");
    }

    @Test
    void readyIsTheReadyConditionTheStatusWriterWrote() {
        var key = ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "bluevpc");
        var clock = Clock.systemUTC();
        assertThat(get("dvpc", "bluevpc").row("bluevpc").get("READY")).as("no status yet").isIn("", "<none>");

        new StatusWriter(KUBE.client()).write(key, Conditions.EMPTY.setTrue(ConditionTypes.READY, 1, clock), 1);
        assertThat(get("dvpc", "bluevpc").row("bluevpc")).containsEntry("READY", "True");

        new StatusWriter(KUBE.client()).write(key,
                Conditions.EMPTY.setFalse(ConditionTypes.READY, "NetworkNotReady", "bluenet is not ready", 1, clock), 1);
        assertThat(get("dvpc", "bluevpc").row("bluevpc")).containsEntry("READY", "False");
    }

    @Test
    void dpuvirtualnetworksShowSubnetAndVpc() {
        KubectlTable table = get("dpuvirtualnetworks", "-A");

        assertThat(table.header()).containsExactly("NAMESPACE", "NAME", "READY", "SUBNET", "VPC", "AGE");
        assertThat(table.rows()).extracting(r -> r.get("NAME"))
                .containsExactlyInAnyOrder("testnet1", "testnet2", "rednet", "bluenet", "example-network");
        assertThat(table.row("testnet1")).containsEntry("SUBNET", "192.178.0.0/16").containsEntry("VPC", "testvpc");
        assertThat(table.row("testnet2")).containsEntry("SUBNET", "192.188.0.0/16").containsEntry("VPC", "testvpc");
        assertThat(table.row("rednet")).containsEntry("SUBNET", "192.178.0.0/16").containsEntry("VPC", "redvpc");
        assertThat(table.row("example-network")).containsEntry("VPC", "example-vpc");
    }

    @Test
    void theInterfaceTypeColumnIsOnlyInTheWideOutput() {
        // TYPE has priority 1: kubectl shows it with -o wide only.
        KubectlTable narrow = get("dpuserviceinterfaces", "-A");
        assertThat(narrow.header()).containsExactly("NAMESPACE", "NAME", "READY", "NETWORK", "AGE");
        assertThat(narrow.row("rednet-vf2")).containsEntry("NETWORK", "rednet");

        KubectlTable wide = get("dpuserviceinterfaces", "-A", "-o", "wide");
        assertThat(wide.header()).containsExactly("NAMESPACE", "NAME", "READY", "TYPE", "NETWORK", "AGE");
        assertThat(wide.row("rednet-vf2")).containsEntry("TYPE", "vf");
        assertThat(wide.row("unknown-mac-sf")).containsEntry("TYPE", "service").containsEntry("NETWORK", "example-network");
    }

    @Test
    void theShortNamesWork() throws IOException {
        Path si = Files.createTempFile(KUBE.dir(), "si-", ".yaml");
        Files.writeString(si, """
                apiVersion: svc.dpu.nvidia.com/v1alpha1
                kind: ServiceInterface
                metadata: {name: dpu1-vf2, namespace: default}
                spec: {node: dpu1, interfaceType: vf, vf: {pfID: 0, vfID: 2}, virtualNetwork: testnet1}
                """);
        KUBE.kubectl("apply", "-f", si.toString()).orThrow();

        assertThat(names("dvpc")).contains("dpuvpc.vpc.dpu.nvidia.com/testvpc");
        assertThat(names("dvn")).contains("dpuvirtualnetwork.vpc.dpu.nvidia.com/testnet2");
        assertThat(names("dsi")).contains("dpuserviceinterface.svc.dpu.nvidia.com/bluenet-vf2");
        assertThat(names("si")).containsExactly("serviceinterface.svc.dpu.nvidia.com/dpu1-vf2");
        assertThat(names("isoclass")).containsExactly("isolationclass.vpc.dpu.nvidia.com/ovn.vpc.dpu.nvidia.com");
        assertThat(get("si", "dpu1-vf2").row("dpu1-vf2")).containsEntry("NODE", "dpu1").containsEntry("NETWORK", "testnet1");
    }

    private static KubectlTable get(String... args) {
        Result result = KUBE.kubectl(Stream.concat(Stream.of("get"), Stream.of(args)).toArray(String[]::new)).orThrow();
        return KubectlTable.parse(result.stdout());
    }

    private static List<String> names(String resource) {
        return KUBE.kubectl("get", resource, "-A", "-o", "name").orThrow().stdout().lines().toList();
    }

    private static List<Path> exampleFiles() throws IOException {
        try (Stream<Path> files = Files.list(KUBE.root().resolve("examples"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
