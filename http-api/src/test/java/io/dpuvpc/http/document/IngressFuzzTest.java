package io.dpuvpc.http.document;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing (Jazzer, fuzzing mode: the surefire execution {@code fuzz}) of what the
 * admin API reads from a request body: the bytes as YAML (or as JSON when they start with
 * {@code {} or {@code [}), parsed and validated as the API does before applying ({@link
 * ResourceDocuments#parseValid}). Seeds: the reference's examples and a few refusals
 * ({@code IngressFuzzTestInputs}).
 *
 * <p>Every body must end in one of two ways: accepted, or refused with a {@link
 * DocumentException} whose every problem has a message. An accepted document must come back
 * the same when rendered and read again (what is stored is what was read). A crash is any other
 * exception, a body that takes over 10 s (a hang), or a round trip that changes the document.
 */
class IngressFuzzTest {
    private static final Duration HANG = Duration.ofSeconds(10);
    private static final AtomicLong executions = new AtomicLong();
    private static final AtomicLong slowestNanos = new AtomicLong();
    private static final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();

    @FuzzTest(maxExecutions = 200_000)
    @DictionaryEntries({"apiVersion: ", "kind: ", "metadata:", "name: ", "namespace: ", "labels:", "annotations:", "spec:",
        "vpc.dpu.nvidia.com/v1alpha1", "svc.dpu.nvidia.com/v1alpha1", "DPUVPC", "DPUVirtualNetwork", "IsolationClass",
        "ServiceInterface", "DPUServiceInterface", "nodeSelector:", "matchLabels:", "matchExpressions:", "operator: In",
        "values:", "ipam:", "ipv4:", "subnet: ", "10.0.0.0/24", "excludeIPs:", "type: Bridged", "interfaceType: vf",
        "vpcName: ", "network: ", "&a", "*a", "!!", "---", "- ", ": [", "{", "}", "[", "]"})
    void anyBodyIsAcceptedOrRefusedWithProblemsThatSayWhatIsWrong(byte[] body) {
        MediaKind media = body.length > 0 && (body[0] == '{' || body[0] == '[') ? MediaKind.JSON : MediaKind.YAML;
        long start = System.nanoTime();
        String outcome;
        try {
            List<Document> documents = ResourceDocuments.parseValid(body, media, ResourceDocuments.DEFAULT_NAMESPACE);
            for (Document document : documents) {
                roundTrip(document);
            }
            outcome = "accepted";
        } catch (DocumentException e) {
            assertThat(e.problems()).as("a refusal names at least one problem").isNotEmpty();
            for (DocumentProblem problem : e.problems()) {
                if (problem.message() == null || problem.message().isBlank()) {
                    throw new AssertionError("a problem without a message: " + problem, e);
                }
            }
            outcome = "refused " + e.category();
        }
        long took = System.nanoTime() - start;
        slowestNanos.accumulateAndGet(took, Math::max);
        executions.incrementAndGet();
        outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
        // Generous: the first bodies pay for class loading and the JIT, on a machine that may be busy.
        if (took > HANG.toNanos()) {
            throw new AssertionError(String.format("a body of %d bytes took %.1f s: a hang", body.length, took / 1e9));
        }
    }

    /** Rendered as the API shows it and read again, the document is the same. */
    private static void roundTrip(Document document) {
        String json = ResourceDocuments.toJson(ResourceDocuments.render(document, null, null));
        List<Document> again = ResourceDocuments.parseValid(json, MediaKind.JSON, ResourceDocuments.DEFAULT_NAMESPACE);
        assertThat(again).as("rendered as %s", json).hasSize(1);
        Document back = again.get(0);
        assertThat(back.kind()).isEqualTo(document.kind());
        assertThat(back.key()).isEqualTo(document.key());
        assertThat(back.labels()).isEqualTo(document.labels());
        assertThat(back.annotations()).isEqualTo(document.annotations());
        assertThat(back.spec()).as("rendered as %s", json).isEqualTo(document.spec());
    }

    @AfterAll
    static void printTheFigures() {
        System.out.printf("Ingress fuzzed: %,d executions, slowest body %.1f ms, outcomes %s%n", executions.get(),
            slowestNanos.get() / 1e6, new TreeMap<>(outcomes));
        assertThat(executions.get()).as("bodies run (seeds in regression mode, the budget when fuzzing)").isPositive();
    }
}
