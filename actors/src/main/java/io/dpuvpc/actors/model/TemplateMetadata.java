package io.dpuvpc.actors.model;

import io.dpuvpc.actors.CborSerializable;
import java.util.Map;

/** The {@code metadata} of a template: labels and annotations (sorted, immutable, never null). */
public record TemplateMetadata(Map<String, String> labels, Map<String, String> annotations)
    implements CborSerializable {

  public static final TemplateMetadata EMPTY = new TemplateMetadata(Map.of(), Map.of());

  public TemplateMetadata {
    labels = Collections2.sortedCopy(labels);
    annotations = Collections2.sortedCopy(annotations);
  }

  public static TemplateMetadata orEmpty(TemplateMetadata metadata) {
    return metadata == null ? EMPTY : metadata;
  }

  public static TemplateMetadata annotated(Map<String, String> annotations) {
    return new TemplateMetadata(Map.of(), annotations);
  }
}
