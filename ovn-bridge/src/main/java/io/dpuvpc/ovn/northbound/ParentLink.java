package io.dpuvpc.ovn.northbound;

/**
 * Where a row of a non-root table hangs (OVSDB garbage-collects unreferenced non-root rows): the
 * parent row of ours, by table and id, and the parent's set column that references the child,
 * e.g. a Logical_Switch_Port in {@code Logical_Switch.ports}.
 */
public record ParentLink(String table, String id, String column) {}
