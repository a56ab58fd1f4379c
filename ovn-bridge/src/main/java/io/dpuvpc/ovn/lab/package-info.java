/**
 * The local OVN lab: real {@code ovsdb-server} and {@code ovn-northd} processes started from Java,
 * for {@code bin/vpc lab}, the demo, the benchmark and the integration tests.
 *
 * <ul>
 *   <li>{@link io.dpuvpc.ovn.lab.OvnCentral}: NB and SB databases plus {@code ovn-northd} in one
 *       work folder, on TCP (free or fixed ports), unix sockets and optionally TLS.</li>
 *   <li>{@link io.dpuvpc.ovn.lab.OvsdbRaftCluster}: a clustered (raft) NB database whose members
 *       can be killed and restarted.</li>
 *   <li>{@link io.dpuvpc.ovn.lab.Pki}: a throw-away CA with server and client certificates.</li>
 *   <li>{@link io.dpuvpc.ovn.lab.DpuLab}: lab DPUs ({@link io.dpuvpc.ovn.lab.DpuChassis}: a local OVS
 *       database, {@code ovs-vswitchd} in its own network namespace, {@code ovn-controller}) and
 *       their {@link io.dpuvpc.ovn.lab.LabNetwork} (underlay, external network, host VFs), named by
 *       {@link io.dpuvpc.ovn.lab.LabNames}.</li>
 *   <li>{@link io.dpuvpc.ovn.lab.ExternalCommand}: how every OVS/OVN/openssl tool is run (output
 *       to files, hard timeout, a clear error naming the Debian package when a tool is missing).</li>
 * </ul>
 *
 * <p>Processes are daemons ({@code --detach}): they are not children of the JVM, so they are
 * tracked by their pidfiles and stopped by pid, never by name.
 */
package io.dpuvpc.ovn.lab;
