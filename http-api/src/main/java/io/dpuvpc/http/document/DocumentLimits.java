package io.dpuvpc.http.document;

/**
 * Bounds on what one body may make the codec do, against abuse. The body's size in bytes is the
 * HTTP layer's to bound; these bound the work a small body can cause.
 */
public final class DocumentLimits {
    private DocumentLimits() {}

    /** Objects and lists nested deeper than this are refused; our deepest spec field is at 8. */
    public static final int MAX_DEPTH = 64;
    /** Documents per body, counting List items and YAML documents (empty ones included). */
    public static final int MAX_DOCUMENTS = 1000;
    /** Characters of one YAML document SnakeYAML scans before giving up (its default, stated here on purpose). */
    public static final int MAX_YAML_CODE_POINTS = 3 * 1024 * 1024;
}
