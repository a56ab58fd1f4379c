package io.dpuvpc.k8s.crd;

import java.util.Map;

/** A template's {@code metadata}: labels and annotations, nothing else. */
public record TemplateMetadata(Map<String, String> labels, Map<String, String> annotations) {}
