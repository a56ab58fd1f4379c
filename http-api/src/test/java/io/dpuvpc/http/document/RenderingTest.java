package io.dpuvpc.http.document;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpuvpc.actors.conditions.ConditionStatus;
import io.dpuvpc.actors.conditions.ConditionTypes;
import io.dpuvpc.actors.conditions.Conditions;
import io.dpuvpc.actors.model.Annotations;
import io.dpuvpc.actors.model.DpuVirtualNetworkSpec;
import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.LabelSelector;
import io.dpuvpc.actors.model.ResourceKey;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.model.ServiceInterfaceSpec;
import io.dpuvpc.actors.model.ServiceInterfaceTemplate;
import io.dpuvpc.actors.model.TemplateMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Rendered documents have Kubernetes' shape and parse back to what was rendered. */
class RenderingTest {

    private static final Instant CREATED = Instant.parse("2025-06-17T13:51:40.123Z");
    private static final Metadata META = new Metadata("6f1c-uid", 3, "42", CREATED);

    private static List<Document> allExamples() throws IOException {
        List<Document> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(SpecExampleFiles.directory())) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                all.addAll(ResourceDocuments.parse(Files.readString(file), MediaKind.YAML));
            }
        }
        return all;
    }

    /** The document as parsed back from a rendering with {@link #META}: the same, read at resourceVersion 42. */
    private static Document atVersion42(Document d) {
        return new Document(d.kind(), d.apiVersion(), d.key(), d.labels(), d.annotations(), Optional.of("42"), d.spec());
    }

    @Test
    void everyExampleRoundTripsThroughYamlAndJson() throws IOException {
        List<Document> examples = allExamples();
        assertThat(examples).hasSize(17);
        Conditions conditions = Conditions.EMPTY.setTrue(ConditionTypes.READY, 3, Clock.fixed(CREATED, ZoneOffset.UTC));
        for (Document d : examples) {
            ObjectNode rendered = ResourceDocuments.render(d, META, DocumentStatus.of(conditions));
            assertThat(ResourceDocuments.parse(ResourceDocuments.toYaml(rendered), MediaKind.YAML))
                    .as("YAML of " + d.key()).containsExactly(atVersion42(d));
            assertThat(ResourceDocuments.parse(ResourceDocuments.toJson(rendered), MediaKind.JSON))
                    .as("JSON of " + d.key()).containsExactly(atVersion42(d));
        }
    }

    @Test
    void aRenderedResourceHasKubernetesMetadataSpecAndConditions() {
        var spec = new DpuVpcSpec("red", "ovn.vpc.dpu.nvidia.com", true,
                LabelSelector.of(Map.of("vpc.dpu.nvidia.com/tenant", "red"), LabelSelector.Requirement.exists("rack")));
        Clock t0 = Clock.fixed(Instant.parse("2025-06-17T13:51:40Z"), ZoneOffset.UTC);
        Conditions conditions = Conditions.EMPTY
                .setFalse(ConditionTypes.PREREQUISITES_READY, "IsolationClassNotFound", "create it", 3, t0)
                .withReady(ResourceKind.DPU_VPC, 3, t0);
        ObjectNode doc = ResourceDocuments.render(ResourceKind.DPU_VPC,
                ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "redvpc"), Map.of("team", "a"), Map.of(),
                spec, META, new DocumentStatus(conditions, Map.of("observedGeneration", 3, "nodes", List.of("dpu-1"))));

        assertThat(doc.get("apiVersion").asText()).isEqualTo("vpc.dpu.nvidia.com/v1alpha1");
        assertThat(doc.get("kind").asText()).isEqualTo("DPUVPC");
        JsonNode metadata = doc.get("metadata");
        assertThat(metadata.get("name").asText()).isEqualTo("redvpc");
        assertThat(metadata.get("namespace").asText()).isEqualTo("default");
        assertThat(metadata.get("uid").asText()).isEqualTo("6f1c-uid");
        assertThat(metadata.get("generation").asLong()).isEqualTo(3);
        assertThat(metadata.get("resourceVersion").asText()).isEqualTo("42");
        assertThat(metadata.get("creationTimestamp").asText()).isEqualTo("2025-06-17T13:51:40Z");
        assertThat(metadata.get("labels").get("team").asText()).isEqualTo("a");
        assertThat(metadata.has("annotations")).isFalse();
        JsonNode selector = doc.get("spec").get("nodeSelector");
        assertThat(selector.get("matchLabels").get("vpc.dpu.nvidia.com/tenant").asText()).isEqualTo("red");
        assertThat(selector.get("matchExpressions").get(0).get("operator").asText()).isEqualTo("Exists");
        assertThat(selector.get("matchExpressions").get(0).has("values")).isFalse();

        JsonNode ready = doc.get("status").get("conditions").get(0);
        assertThat(ready.get("type").asText()).isEqualTo("Ready");
        assertThat(ready.get("status").asText()).isEqualTo("False");
        assertThat(ready.get("reason").asText()).isEqualTo("IsolationClassNotFound");
        assertThat(ready.get("message").asText()).isEqualTo("create it");
        assertThat(ready.get("observedGeneration").asLong()).isEqualTo(3);
        assertThat(ready.get("lastTransitionTime").asText()).isEqualTo("2025-06-17T13:51:40Z");
        assertThat(ResourceDocuments.toYaml(doc)).contains("lastTransitionTime: \"2025-06-17T13:51:40Z\"",
                "resourceVersion: \"42\"", "name: redvpc\n");
        assertThat(doc.get("status").get("conditions").get(1).get("type").asText()).isEqualTo("PrerequisitesReady");
        assertThat(doc.get("status").get("observedGeneration").asInt()).isEqualTo(3);
        assertThat(doc.get("status").get("nodes").get(0).asText()).isEqualTo("dpu-1");

        Document back = ResourceDocuments.parse(ResourceDocuments.toYaml(doc), MediaKind.YAML).get(0);
        assertThat(back.spec()).isEqualTo(spec);
        assertThat(back.labels()).isEqualTo(Map.of("team", "a"));
    }

    @Test
    void clusterScopedKindsHaveNoNamespaceAndUnknownConditionsSayUnknown() {
        Conditions unknown = Conditions.EMPTY.set("Ready", ConditionStatus.UNKNOWN, "Pending", "", 1,
                Clock.fixed(CREATED, ZoneOffset.UTC));
        ObjectNode doc = ResourceDocuments.render(ResourceKind.ISOLATION_CLASS,
                ResourceKey.clusterScoped(ResourceKind.ISOLATION_CLASS, "ovn.vpc.dpu.nvidia.com"), Map.of(), Map.of(),
                new io.dpuvpc.actors.model.IsolationClassSpec("ovn.vpc.dpu.nvidia.com", Map.of()), Metadata.NONE,
                DocumentStatus.of(unknown));
        assertThat(doc.get("metadata").has("namespace")).isFalse();
        assertThat(doc.get("metadata").has("generation")).isFalse();
        assertThat(doc.get("status").get("conditions").get(0).get("status").asText()).isEqualTo("Unknown");
    }

    @Test
    void aServiceInterfaceRoundTripsWithItsAnnotationsAndTrickyStrings() {
        Map<String, String> annotations = new java.util.TreeMap<>(Map.of(Annotations.UNKNOWN_MAC, "true", "note", "yes",
                "count", "5", "empty", "", "nul", "null", "colon", "a: b", "tilde", "~", "octal", "0755", "float", "1e3"));
        annotations.putAll(Map.of("off", "off", "hash", "# no comment", "multi", "line one\nline two",
                "lead", " spaced ", "dash", "- item", "star", "*alias", "amp", "&anchor", "bang", "!tag", "date", "2025-06-17"));
        var template = new ServiceInterfaceTemplate(new TemplateMetadata(Map.of("tier", "1"), annotations),
                new ServiceInterfaceSpec("worker2-0000-c8-00", "vf", null,
                        new ServiceInterfaceSpec.Vf(0, 2, "-worker2-0000-c8-00"), null, "bluenet"));
        Document d = Document.of(ResourceKey.namespaced(ResourceKind.SERVICE_INTERFACE, "ns", "si"),
                Map.of("tier", "1"), annotations, Optional.of("42"), template);
        ObjectNode rendered = ResourceDocuments.render(d, META, null);
        assertThat(rendered.has("status")).isFalse();
        assertThat(rendered.get("spec").has("metadata")).isFalse();
        Document back = ResourceDocuments.parse(ResourceDocuments.toYaml(rendered), MediaKind.YAML).get(0);
        assertThat(back).isEqualTo(d);
        assertThat(back.specAs(ServiceInterfaceTemplate.class).unknownMac()).isTrue();
    }

    @Test
    void aListRendersAsKindListAndParsesBackInBothEncodings() {
        var net = DpuVirtualNetworkSpec.bridged("testvpc", true,
                new DpuVirtualNetworkSpec.Ipv4Ipam(true, "10.0.0.0/24", List.of()));
        List<Document> docs = List.of(
                Document.of(ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, "default", "a"), Map.of(), Map.of(),
                        Optional.of("42"), net),
                Document.of(ResourceKey.namespaced(ResourceKind.DPU_VIRTUAL_NETWORK, "other", "b"), Map.of(), Map.of(),
                        Optional.of("42"), net));
        ObjectNode list = ResourceDocuments.renderList(ResourceKind.DPU_VIRTUAL_NETWORK,
                docs.stream().map(d -> ResourceDocuments.render(d, META, null)).toList(), "99");
        assertThat(list.get("kind").asText()).isEqualTo("DPUVirtualNetworkList");
        assertThat(list.get("apiVersion").asText()).isEqualTo("vpc.dpu.nvidia.com/v1alpha1");
        assertThat(list.get("metadata").get("resourceVersion").asText()).isEqualTo("99");
        assertThat(list.get("items")).hasSize(2);
        assertThat(ResourceDocuments.parse(ResourceDocuments.toJson(list), MediaKind.JSON)).isEqualTo(docs);
        assertThat(ResourceDocuments.parse(ResourceDocuments.toYaml(list), MediaKind.YAML)).isEqualTo(docs);
    }

    @Test
    void typedListItemsMayLeaveOutTheirKind() {
        String body = """
                {"apiVersion": "vpc.dpu.nvidia.com/v1alpha1", "kind": "DPUVPCList", "metadata": {},
                 "items": [{"metadata": {"name": "v"}, "spec": {"tenant": "t", "isolationClassName": "c"}}]}
                """;
        assertThat(ResourceDocuments.parse(body, MediaKind.JSON)).singleElement()
                .satisfies(d -> assertThat(d.key()).hasToString("DPUVPC/default/v"));
    }

    @Test
    void severalRenderedDocumentsMakeOneYamlStream() {
        List<Document> docs = List.of(
                Document.of(ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "a"), Map.of(), Map.of(),
                        Optional.empty(), new DpuVpcSpec("t", "c", false, null)),
                Document.of(ResourceKey.namespaced(ResourceKind.DPU_VPC, "default", "b"), Map.of(), Map.of(),
                        Optional.empty(), new DpuVpcSpec("t", "c", true, null)));
        String yaml = ResourceDocuments.toYaml(docs.stream().map(d -> ResourceDocuments.render(d, null, null)).toList());
        assertThat(yaml).contains("\n---\n");
        assertThat(ResourceDocuments.parse(yaml, MediaKind.YAML)).isEqualTo(docs);
    }
}
