/**
 * Our OVSDB client: RFC 7047 plus the ovsdb-server extensions (monitor_cond, monitor_cond_since,
 * update2/update3, the {@code _Server} database), on Netty.
 *
 * <p>Values on the wire map to plain Java values: {@code string} to {@link java.lang.String},
 * {@code integer} to {@link java.lang.Long}, {@code real} to {@link java.lang.Double},
 * {@code boolean} to {@link java.lang.Boolean}, {@code uuid} to {@link java.util.UUID}, a
 * {@code named-uuid} (RFC 7047 section 5.1) to {@link io.dpuvpc.ovn.ovsdb.NamedUuid}, a set to a
 * {@link java.util.Set} and a map to a {@link java.util.Map}. {@link io.dpuvpc.ovn.ovsdb.OvsdbValues}
 * converts between them.
 */
package io.dpuvpc.ovn.ovsdb;
