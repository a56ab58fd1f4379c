package io.dpuvpc.http.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a small body may cost is bounded: depth, document count, aliases, tags, encoding. */
class DocumentLimitsTest {

    private static final String VPC_HEAD = """
            apiVersion: vpc.dpu.nvidia.com/v1alpha1
            kind: DPUVPC
            metadata:
              name: testvpc
            """;

    private static DocumentException refused(String body, MediaKind media) {
        DocumentException e = catchThrowableOfType(DocumentException.class, () -> ResourceDocuments.parse(body, media));
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    @Test
    void jsonNestedDeeperThanTheLimitIsMalformed() {
        int depth = DocumentLimits.MAX_DEPTH + 10;
        String body = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        DocumentException e = refused(body, MediaKind.JSON);
        assertThat(e.category()).isEqualTo(ProblemCategory.MALFORMED);
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.message()).contains("nested more than 64 levels");
            assertThat(p.fieldPath()).startsWith("a.a.a.");
        });
    }

    @Test
    void yamlNestedDeeperThanTheLimitIsMalformed() {
        int depth = DocumentLimits.MAX_DEPTH + 10;
        String body = VPC_HEAD + "spec:\n  nodeSelector: " + "[".repeat(depth) + "]".repeat(depth) + "\n";
        DocumentException e = refused(body, MediaKind.YAML);
        assertThat(e.category()).isEqualTo(ProblemCategory.MALFORMED);
        assertThat(e.problems().get(0).message()).contains("nested more than 64 levels");
    }

    @Test
    void nestingUpToTheLimitIsOnlyRefusedForItsUnknownField() {
        int depth = DocumentLimits.MAX_DEPTH - 3; // the document, spec and nodeSelector are three levels
        String body = VPC_HEAD + "spec:\n  nodeSelector:\n    deep: " + "[".repeat(depth) + "]".repeat(depth) + "\n";
        DocumentException e = refused(body, MediaKind.YAML);
        assertThat(e.category()).isEqualTo(ProblemCategory.INVALID);
        assertThat(e.problems()).extracting(DocumentProblem::fieldPath).containsExactly("spec.nodeSelector.deep");
    }

    @Test
    void aBillionLaughsAliasBombIsRefusedAtItsFirstAliasWithoutExpanding() {
        StringBuilder bomb = new StringBuilder(VPC_HEAD).append("spec:\n  a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (int i = 1; i < 10; i++) {
            bomb.append("  a").append(i).append(": &a").append(i).append(" [")
                    .append(("*a" + (i - 1) + ",").repeat(8)).append("*a").append(i - 1).append("]\n");
        }
        DocumentException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> refused(bomb.toString(), MediaKind.YAML));
        assertThat(e.category()).isEqualTo(ProblemCategory.MALFORMED);
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.fieldPath()).isEqualTo("spec.a1[0]");
            assertThat(p.message()).contains("YAML alias (*a0)", "write the value out in full");
        });
    }

    @Test
    void aMergeKeyAliasIsRefusedRatherThanReadAsTheAnchorsName() {
        String body = VPC_HEAD + "spec:\n  tenant: &t foo\n  isolationClassName: *t\n";
        DocumentException e = refused(body, MediaKind.YAML);
        assertThat(e.problems()).extracting(DocumentProblem::fieldPath).containsExactly("spec.isolationClassName");
    }

    @Test
    void typeTagsAreRefusedAndPlainOnesAccepted() {
        String body = VPC_HEAD + "spec:\n  tenant: !!javax.script.ScriptEngineManager [x]\n";
        for (String tagged : List.of(body, body.replace("!!javax", "!javax"))) {
            DocumentException e = refused(tagged, MediaKind.YAML);
            assertThat(e.category()).isEqualTo(ProblemCategory.MALFORMED);
            assertThat(e.problems()).singleElement().satisfies(p -> {
                assertThat(p.fieldPath()).isEqualTo("spec.tenant");
                assertThat(p.message()).contains("javax.script.ScriptEngineManager", "only the plain tags");
            });
        }
        String plain = VPC_HEAD + "  namespace: default\nspec: !!map\n  tenant: !!str 5\n";
        assertThat(ResourceDocuments.parse(plain, MediaKind.YAML)).singleElement()
                .satisfies(d -> assertThat(d.specAs(io.dpuvpc.actors.model.DpuVpcSpec.class).tenant()).isEqualTo("5"));
    }

    @Test
    void yamlBeyondTheCodePointLimitIsMalformed() {
        String body = VPC_HEAD + "spec:\n  tenant: " + "x".repeat(DocumentLimits.MAX_YAML_CODE_POINTS) + "\n";
        DocumentException e = refused(body, MediaKind.YAML);
        assertThat(e.category()).isEqualTo(ProblemCategory.MALFORMED);
        assertThat(e.problems().get(0).message()).contains("not valid YAML", "limit");
    }

    @Test
    void invalidUtf8IsMalformed() {
        byte[] body = (VPC_HEAD + "spec:\n  tenant: caf").getBytes(StandardCharsets.UTF_8);
        byte[] bad = new byte[body.length + 3];
        System.arraycopy(body, 0, bad, 0, body.length);
        bad[body.length] = (byte) 0xC3; // a lead byte followed by ASCII is not UTF-8
        bad[body.length + 1] = 'x';
        bad[body.length + 2] = '\n';
        DocumentException e = catchThrowableOfType(DocumentException.class,
                () -> ResourceDocuments.parse(bad, MediaKind.YAML, "default"));
        assertThat(e.category()).isEqualTo(ProblemCategory.MALFORMED);
        assertThat(e.problems().get(0).message()).contains("not valid UTF-8", "offset " + body.length);
        assertThat(catchThrowableOfType(DocumentException.class,
                () -> ResourceDocuments.parseValid(bad, MediaKind.YAML, "default")).category())
                .isEqualTo(ProblemCategory.MALFORMED);
    }

    @Test
    void validUtf8BytesWithAByteOrderMarkParse() {
        byte[] text = (VPC_HEAD + "  namespace: default\nspec:\n  tenant: café\n").getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withBom, 3, text.length);
        assertThat(ResourceDocuments.parse(withBom, MediaKind.YAML, "default")).singleElement()
                .satisfies(d -> assertThat(d.specAs(io.dpuvpc.actors.model.DpuVpcSpec.class).tenant()).isEqualTo("café"));
    }

    @Test
    void moreDocumentsThanTheLimitAreRefused() {
        String tooMany = "---\n{}\n".repeat(DocumentLimits.MAX_DOCUMENTS + 1);
        DocumentException e = refused(tooMany, MediaKind.YAML);
        assertThat(e.category()).isEqualTo(ProblemCategory.MALFORMED);
        assertThat(e.problems().get(0).message()).contains("more than 1000 documents");

        String bigList = "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":["
                + "{},".repeat(DocumentLimits.MAX_DOCUMENTS) + "{}]}";
        assertThat(refused(bigList, MediaKind.JSON).problems().get(0).message()).contains("more than 1000 documents");
    }

    @Test
    void limitsAreNotExceptionsWithStackTraces() {
        assertThatThrownBy(() -> ResourceDocuments.parse("{".repeat(200), MediaKind.JSON))
                .isInstanceOf(DocumentException.class)
                .satisfies(t -> assertThat(t.getStackTrace()).isEmpty());
    }
}
