/**
 * Typed views of the OVSDB tables we use: one Java record per table, each with a
 * {@link io.dpuvpc.ovn.ovsdb.typed.TableView} {@code TABLE} that lists the columns it reads and
 * maps a monitored {@link io.dpuvpc.ovn.ovsdb.Row} to the record.
 *
 * <p>No schema version is compiled in. At connect a caller checks its views against the server's
 * schema ({@link io.dpuvpc.ovn.ovsdb.typed.DatabaseViews#verifyAll}), which fails with a
 * {@link io.dpuvpc.ovn.ovsdb.SchemaMismatchException} naming the missing table or column, and
 * monitors exactly the views' columns ({@link io.dpuvpc.ovn.ovsdb.typed.DatabaseViews#monitorRequest}),
 * so columns a newer server adds cost nothing.
 *
 * <p>Column shapes follow the schema: a required scalar is a plain field, an optional scalar
 * ({@code min 0, max 1}) an {@link java.util.Optional}, a set a {@link java.util.Set} and a map a
 * {@link java.util.Map}. The views of each database are listed in
 * {@link io.dpuvpc.ovn.ovsdb.typed.nb.Northbound}, {@link io.dpuvpc.ovn.ovsdb.typed.sb.Southbound}
 * and {@link io.dpuvpc.ovn.ovsdb.typed.vswitch.OpenVswitch}.
 */
package io.dpuvpc.ovn.ovsdb.typed;
