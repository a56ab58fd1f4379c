package io.dpuvpc.http.document;

/**
 * What kind of wrong a document problem is, and so which HTTP status answers it. Declared from the
 * most to the least fundamental: a body that holds several problems is answered with the first
 * category it has, since fixing a malformed body comes before fixing its values.
 */
public enum ProblemCategory {
    /** Not YAML or JSON, not an object, a value of the wrong type, over a limit: 400 Bad Request. */
    MALFORMED(400),
    /** An apiVersion and kind pair this API does not serve: 404 Not Found. */
    UNKNOWN_KIND(404),
    /** Well formed but wrong: a required field missing, an unknown field, a bad value: 422. */
    INVALID(422);

    private final int httpStatus;

    ProblemCategory(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
