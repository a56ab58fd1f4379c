package io.dpuvpc.http.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.dpuvpc.actors.model.DpuVpcSpec;
import io.dpuvpc.actors.model.ResourceKind;
import io.dpuvpc.actors.validation.ValidationReasons;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each refusal is a value: its category, the Kubernetes field path, and a message saying what to do. */
class DocumentProblemsTest {

    private static final String VPC = """
            apiVersion: vpc.dpu.nvidia.com/v1alpha1
            kind: DPUVPC
            metadata:
              name: testvpc
              namespace: default
            spec:
              tenant: foo
              isolationClassName: ovn.vpc.dpu.nvidia.com
              interNetworkAccess: true
              nodeSelector: {}
            """;

    static DocumentException refused(String body, MediaKind media) {
        DocumentException e = catchThrowableOfType(DocumentException.class, () -> ResourceDocuments.parse(body, media));
        assertThat(e).as("refused: " + body).isNotNull();
        assertThat(e.getStackTrace()).isEmpty();
        return e;
    }

    @Test
    void notYamlIsMalformedWithTheLine() {
        DocumentException e = refused("apiVersion: v1\nkind: [unclosed\n", MediaKind.YAML);
        assertThat(e.category()).isEqualTo(ProblemCategory.MALFORMED);
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo(DocumentProblem.MALFORMED_BODY);
            assertThat(p.message()).contains("not valid YAML", "line");
        });
    }

    @Test
    void notJsonIsMalformed() {
        DocumentException e = refused("{\"apiVersion\": ", MediaKind.JSON);
        assertThat(e.category()).isEqualTo(ProblemCategory.MALFORMED);
        assertThat(e.problems().get(0).message()).contains("not valid JSON");
    }

    @Test
    void twoJsonValuesAreMalformed() {
        DocumentException e = refused("{} {}", MediaKind.JSON);
        assertThat(e.problems().get(0).message()).contains("more than one value");
    }

    @Test
    void anEmptyOrNullJsonBodyIsMalformed() {
        assertThat(refused("  ", MediaKind.JSON).problems().get(0).message()).contains("JSON body is empty");
        assertThat(refused("null", MediaKind.JSON).category()).isEqualTo(ProblemCategory.MALFORMED);
    }

    @Test
    void aDocumentThatIsNotAnObjectIsMalformed() {
        DocumentException e = refused("[1, 2]", MediaKind.JSON);
        assertThat(e.problems()).extracting(DocumentProblem::category, DocumentProblem::fieldPath)
                .containsExactly(tuple(ProblemCategory.MALFORMED, ""));
        assertThat(e.problems().get(0).message()).contains("must be an object");
    }

    @Test
    void aStringWhereABooleanBelongsIsMalformedNamingTheField() {
        DocumentException e = refused(VPC.replace("interNetworkAccess: true", "interNetworkAccess: \"yes\""),
                MediaKind.YAML);
        assertThat(e.category()).isEqualTo(ProblemCategory.MALFORMED);
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.fieldPath()).isEqualTo("spec.interNetworkAccess");
            assertThat(p.reason()).isEqualTo(DocumentProblem.WRONG_TYPE);
            assertThat(p.message()).contains("must be a boolean", "\"yes\"", "without quotes");
        });
    }

    @Test
    void anUnquotedAnnotationValueIsMalformedAndSaysToQuoteIt() {
        String body = """
                apiVersion: svc.dpu.nvidia.com/v1alpha1
                kind: ServiceInterface
                metadata:
                  name: si
                  annotations:
                    ovn.vpc.dpu.nvidia.com/unknown-mac: true
                spec:
                  interfaceType: pf
                  pf: {pfID: 0}
                """;
        DocumentException e = refused(body, MediaKind.YAML);
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.fieldPath()).isEqualTo("metadata.annotations[ovn.vpc.dpu.nvidia.com/unknown-mac]");
            assertThat(p.message()).contains("quote it (\"true\")");
        });
    }

    @Test
    void aWrongApiVersionOrKindIsUnknownKind() {
        DocumentException wrongGroup = refused(VPC.replace("vpc.dpu.nvidia.com/v1alpha1", "svc.dpu.nvidia.com/v1alpha1"),
                MediaKind.YAML);
        assertThat(wrongGroup.category()).isEqualTo(ProblemCategory.UNKNOWN_KIND);
        assertThat(wrongGroup.httpStatus()).isEqualTo(404);
        assertThat(wrongGroup.problems()).singleElement().satisfies(p -> {
            assertThat(p.fieldPath()).isEqualTo("kind");
            assertThat(p.message()).contains("set apiVersion to vpc.dpu.nvidia.com/v1alpha1");
        });

        DocumentException wrongCase = refused(VPC.replace("kind: DPUVPC", "kind: DpuVpc"), MediaKind.YAML);
        assertThat(wrongCase.problems().get(0).message()).contains("case-sensitive", "kind: DPUVPC");

        DocumentException stranger = refused(VPC.replace("kind: DPUVPC", "kind: Pod"), MediaKind.YAML);
        assertThat(stranger.category()).isEqualTo(ProblemCategory.UNKNOWN_KIND);
        assertThat(stranger.problems().get(0).message()).contains("svc.dpu.nvidia.com/v1alpha1 ServiceInterface");
    }

    @Test
    void anUnknownFieldIsInvalidAndATypoGetsASuggestion() {
        DocumentException e = refused(VPC.replace("nodeSelector: {}", "nodeSelectr: {}"), MediaKind.YAML);
        assertThat(e.category()).isEqualTo(ProblemCategory.INVALID);
        assertThat(e.httpStatus()).isEqualTo(422);
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.fieldPath()).isEqualTo("spec.nodeSelectr");
            assertThat(p.reason()).isEqualTo(DocumentProblem.UNKNOWN_FIELD);
            assertThat(p.message()).contains("did you mean nodeSelector?");
        });
    }

    @Test
    void anUnknownFieldDeepInsideIsNamedByItsPath() {
        DocumentException e = refused(VPC.replace("nodeSelector: {}",
                "nodeSelector:\n    matchLabels: {a: b}\n    matchExpressions:\n    - {key: k, operator: In, valuez: [x]}"),
                MediaKind.YAML);
        assertThat(e.problems()).extracting(DocumentProblem::fieldPath)
                .containsExactly("spec.nodeSelector.matchExpressions[0].valuez");
    }

    @Test
    void nameIsRequiredAndANamespaceOnAClusterScopedKindIsRefused() {
        String body = """
                apiVersion: vpc.dpu.nvidia.com/v1alpha1
                kind: IsolationClass
                metadata:
                  namespace: default
                spec:
                  provisioner: ovn.vpc.dpu.nvidia.com
                """;
        DocumentException e = refused(body, MediaKind.YAML);
        assertThat(e.category()).isEqualTo(ProblemCategory.INVALID);
        assertThat(e.problems()).extracting(DocumentProblem::fieldPath, DocumentProblem::reason).containsExactly(
                tuple("metadata.name", ValidationReasons.REQUIRED),
                tuple("metadata.namespace", ValidationReasons.FIELD_NOT_ALLOWED));
        assertThat(e.problems().get(1).message()).contains("cluster scoped", "remove it");
    }

    @Test
    void everyProblemOfADocumentIsReportedAndTheMostFundamentalCategoryWins() {
        String body = """
                apiVersion: vpc.dpu.nvidia.com/v1alpha1
                kind: DPUVirtualNetwork
                metadata:
                  name: net
                  labels: {tier: 1}
                spec:
                  vpcName: testvpc
                  colour: blue
                  externallyRouted: "true"
                  bridgedNetwork:
                    ipam:
                      ipv4:
                        dhcp: true
                        subnet: 192.178.0.0/16
                        excludeIPs:
                        - ip: 192.178.0.10
                        - rnage: {start: 192.178.0.20, end: 192.178.0.30}
                """;
        DocumentException e = refused(body, MediaKind.YAML);
        assertThat(e.category()).isEqualTo(ProblemCategory.MALFORMED);
        assertThat(e.problems()).extracting(DocumentProblem::fieldPath, DocumentProblem::category)
                .containsExactlyInAnyOrder(
                        tuple("metadata.labels[tier]", ProblemCategory.MALFORMED),
                        tuple("spec.colour", ProblemCategory.INVALID),
                        tuple("spec.externallyRouted", ProblemCategory.MALFORMED),
                        tuple("spec.bridgedNetwork.ipam.ipv4.excludeIPs[1].rnage", ProblemCategory.INVALID));
    }

    @Test
    void problemsInAYamlStreamArePrefixedWithTheirDocument() {
        String body = VPC + "---\n" + VPC.replace("name: testvpc", "name: other").replace("tenant: foo", "tenant: 7");
        DocumentException e = refused(body, MediaKind.YAML);
        assertThat(e.problems()).extracting(DocumentProblem::fieldPath).containsExactly("documents[1].spec.tenant");
        assertThat(e.problems().get(0).message()).startsWith("documents[1].spec.tenant must be a string");
    }

    @Test
    void problemsInAListArePrefixedWithTheirItem() {
        String item = """
                {"apiVersion": "vpc.dpu.nvidia.com/v1alpha1", "kind": "DPUVirtualNetwork",
                 "metadata": {"name": "n%d", "namespace": "default"},
                 "spec": {"vpcName": "testvpc", "bridgedNetwork": {"ipam": {"ipv4": {"dhcp": true, "subnet": %s}}}}}
                """;
        String body = "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": ["
                + item.formatted(0, "\"10.0.0.0/24\"") + "," + item.formatted(1, "\"10.0.1.0/24\"") + ","
                + item.formatted(2, "24") + "]}";
        DocumentException e = refused(body, MediaKind.JSON);
        assertThat(e.problems()).extracting(DocumentProblem::fieldPath)
                .containsExactly("items[2].spec.bridgedNetwork.ipam.ipv4.subnet");
    }

    @Test
    void aListNeedsItems() {
        DocumentException e = refused("{\"apiVersion\": \"v1\", \"kind\": \"List\"}", MediaKind.JSON);
        assertThat(e.problems()).extracting(DocumentProblem::fieldPath).containsExactly("items");
    }

    /**
     * Found by IngressFuzzTest in CI: for a JSON number whose exponent does not fit a BigDecimal,
     * Jackson threw an unchecked NumberFormatException, which escaped as an internal error. In
     * YAML, Jackson already reports it as malformed with its line.
     */
    @Test
    void aNumberWhoseExponentIsOutOfRangeIsRefusedNamingTheField() {
        String huge = "192.18E222222222222000000011267068134020990748";
        String json = "{\"apiVersion\": \"vpc.dpu.nvidia.com/v1alpha1\", \"kind\": \"DPUVPC\", \"spec\": {\"tenant\": "
                + huge + "}}";
        assertThat(refused(json, MediaKind.JSON).problems()).singleElement().satisfies(p -> {
            assertThat(p.category()).isEqualTo(ProblemCategory.MALFORMED);
            assertThat(p.reason()).isEqualTo(DocumentProblem.WRONG_TYPE);
            assertThat(p.fieldPath()).isEqualTo("spec.tenant");
            assertThat(p.message()).isEqualTo("spec.tenant holds the number 192.18E222222222222000000011267068134...,"
                    + " which is out of range: write an ordinary number, or quote it to make it text");
        });
        assertThat(refused("[" + huge + "]", MediaKind.JSON).problems()).singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("[0] holds the number 192.18E"));

        assertThat(refused(VPC.replace("tenant: foo", "tenant: " + huge), MediaKind.YAML).problems()).singleElement()
                .satisfies(p -> {
                    assertThat(p.reason()).isEqualTo(DocumentProblem.MALFORMED_BODY);
                    assertThat(p.message()).isEqualTo("the body is not valid YAML at line 7, column 57: Malformed numeric"
                            + " value '" + huge + "': correct the syntax");
                });
    }

    @Test
    void duplicateKeysAreRefused() {
        DocumentException e = refused(VPC.replace("tenant: foo", "tenant: foo\n  tenant: bar"), MediaKind.YAML);
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.category()).isEqualTo(ProblemCategory.MALFORMED);
            assertThat(p.fieldPath()).isEqualTo("spec.tenant");
            assertThat(p.message()).isEqualTo("spec.tenant is given twice: keep one of them");
        });
    }

    @Test
    void parseValidReportsTheDomainValidatorsErrorsWithDocumentPaths() {
        String body = VPC + "---\n" + VPC.replace("name: testvpc", "name: Bad_Name").replace("  tenant: foo\n", "");
        DocumentException e = catchThrowableOfType(DocumentException.class,
                () -> ResourceDocuments.parseValid(body, MediaKind.YAML, "default"));
        assertThat(e.category()).isEqualTo(ProblemCategory.INVALID);
        assertThat(e.problems()).extracting(DocumentProblem::fieldPath, DocumentProblem::reason).containsExactly(
                tuple("documents[1].metadata.name", ValidationReasons.INVALID_NAME),
                tuple("documents[1].spec.tenant", ValidationReasons.REQUIRED));
    }

    @Test
    void validateReturnsTheValidatorsFieldErrorsAndChecksNamespaceAndLabels() {
        String body = VPC.replace("namespace: default", "namespace: Not_A_Namespace\n  labels: {\"bad key!\": x}")
                .replace("isolationClassName: ovn.vpc.dpu.nvidia.com", "isolationClassName: \"\"");
        Document d = ResourceDocuments.parse(body, MediaKind.YAML).get(0);
        assertThat(d.validate()).extracting(f -> f.fieldPath()).containsExactly(
                "metadata.namespace", "metadata.labels[bad key!]", "spec.isolationClassName");
    }

    @Test
    void aNamespacedDocumentWithoutNamespaceGetsTheDefaultOne() {
        String body = VPC.replace("  namespace: default\n", "");
        assertThat(ResourceDocuments.parse(body, MediaKind.YAML, "tenant-a")).singleElement()
                .satisfies(d -> assertThat(d.key().namespace()).isEqualTo("tenant-a"));
        assertThat(ResourceDocuments.parse(body, MediaKind.YAML).get(0).key().namespace()).isEqualTo("default");
    }

    @Test
    void emptyDocumentsAreSkippedAndResourceVersionIsKept() {
        String body = "---\n# nothing\n---\n" + VPC.replace("namespace: default", "namespace: default\n  resourceVersion: \"17\"")
                + "---\n";
        List<Document> documents = ResourceDocuments.parse(body, MediaKind.YAML);
        assertThat(documents).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(ResourceKind.DPU_VPC);
            assertThat(d.resourceVersion()).contains("17");
            assertThat(d.specAs(DpuVpcSpec.class).tenant()).isEqualTo("foo");
        });
        assertThat(ResourceDocuments.parse(VPC, MediaKind.YAML).get(0).resourceVersion()).isEmpty();
        assertThat(ResourceDocuments.parse("", MediaKind.YAML)).isEmpty();
    }
}
