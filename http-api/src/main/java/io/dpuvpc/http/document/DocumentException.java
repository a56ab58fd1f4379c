package io.dpuvpc.http.document;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A body refused, with every problem found in it (all documents, all fields), not only the first.
 * It is a value carried to the HTTP layer, which answers {@link #httpStatus()} with the problems;
 * it records no stack trace, which would say nothing about the user's document.
 */
public final class DocumentException extends RuntimeException {

    private final List<DocumentProblem> problems;

    public DocumentException(List<DocumentProblem> problems) {
        super(summary(problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    static DocumentException of(DocumentProblem problem) {
        return new DocumentException(List.of(problem));
    }

    public List<DocumentProblem> problems() {
        return problems;
    }

    /** The most fundamental category among the problems (see {@link ProblemCategory}). */
    public ProblemCategory category() {
        return problems.stream().map(DocumentProblem::category).min(Comparator.naturalOrder())
                .orElse(ProblemCategory.MALFORMED);
    }

    public int httpStatus() {
        return category().httpStatus();
    }

    private static String summary(List<DocumentProblem> problems) {
        if (problems == null || problems.isEmpty()) {
            throw new IllegalArgumentException("a DocumentException needs at least one problem");
        }
        return problems.stream().map(DocumentProblem::message).collect(Collectors.joining("; "));
    }
}
