package io.dpuvpc.actors.model;

import io.dpuvpc.actors.CborSerializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The spec of an IsolationClass (cluster scoped): the provisioner, which must be {@link
 * #PROVISIONER}, and string parameters.
 *
 * <p>Reference parameters: {@value #NB_ENDPOINT} and {@value #NB_RECONNECT_TIME} (seconds, default
 * 5). Ours, beyond the reference: {@value #SB_ENDPOINT}; a comma-separated list of remotes in
 * either endpoint for a raft cluster; and for {@code ssl:} remotes the PEM file paths {@value
 * #PRIVATE_KEY}, {@value #CERTIFICATE} and {@value #CA_CERT}; {@value #NB_INACTIVITY_PROBE} (seconds
 * without a message from the NB before the controller sends an echo, and as long again for its
 * answer before it reconnects; default 30); the DHCP options every network of
 * the class hands out: {@value #DHCP_DNS_SERVERS} (comma-separated IPv4 addresses, none by
 * default), {@value #DHCP_MTU} (default 1442: a 1500-byte underlay less Geneve's 58) and {@value
 * #DHCP_LEASE_TIME} (seconds, default 3600). Unknown parameters are kept and
 * ignored. The typed accessors assume a validated spec and throw {@link IllegalArgumentException}
 * otherwise.
 */
public record IsolationClassSpec(String provisioner, Map<String, String> parameters)
    implements CborSerializable {

  public static final String PROVISIONER = "ovn.vpc.dpu.nvidia.com";
  public static final String NB_ENDPOINT = "ovn-nb-endpoint";
  public static final String NB_RECONNECT_TIME = "ovn-nb-reconnect-time";
  public static final String SB_ENDPOINT = "ovn-sb-endpoint";
  public static final String PRIVATE_KEY = "ovn-ssl-private-key";
  public static final String CERTIFICATE = "ovn-ssl-certificate";
  public static final String CA_CERT = "ovn-ssl-ca-cert";
  public static final Duration DEFAULT_RECONNECT_TIME = Duration.ofSeconds(5);
  public static final String NB_INACTIVITY_PROBE = "ovn-nb-inactivity-probe";
  /**
   * Longer than OVSDB's usual 5 s: the controller's transactions are large (up to 2,000 owners),
   * and an ovsdb-server busy committing one answers no echo meanwhile. At 100,000 interfaces the
   * controller closed a healthy session four times in 15 minutes for a 5 s probe, each close a full
   * resync. A server that crashes or restarts resets the connection, which needs no probe.
   */
  public static final Duration DEFAULT_INACTIVITY_PROBE = Duration.ofSeconds(30);
  public static final String DHCP_DNS_SERVERS = "ovn-dhcp-dns-servers";
  public static final String DHCP_MTU = "ovn-dhcp-mtu";
  public static final String DHCP_LEASE_TIME = "ovn-dhcp-lease-time";

  public IsolationClassSpec {
    parameters = Collections2.sortedCopy(parameters);
  }

  /** The parameter's value, or null when absent. */
  public String parameter(String key) {
    return parameters.get(key);
  }

  /** The Northbound remotes: one server, or the members of its raft cluster. */
  public List<OvnEndpoint> nbEndpoints() {
    return OvnEndpoint.parseList(parameters.get(NB_ENDPOINT));
  }

  /** The Southbound remotes; empty when {@value #SB_ENDPOINT} is not set. */
  public List<OvnEndpoint> sbEndpoints() {
    String sb = parameters.get(SB_ENDPOINT);
    return sb == null || sb.isBlank() ? List.of() : OvnEndpoint.parseList(sb);
  }

  /**
   * The OVN {@code DHCP_Options.options} these parameters set ({@code dns_server}, {@code mtu},
   * {@code lease_time}); those not given are left to the translator's defaults.
   */
  public Map<String, String> dhcpOptions() {
    Map<String, String> options = new java.util.TreeMap<>();
    String dns = parameters.get(DHCP_DNS_SERVERS);
    if (dns != null && !dns.isBlank()) {
      List<String> servers = java.util.Arrays.stream(dns.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
      options.put("dns_server", servers.size() == 1 ? servers.get(0) : "{" + String.join(", ", servers) + "}");
    }
    String mtu = parameters.get(DHCP_MTU);
    if (mtu != null && !mtu.isBlank()) {
      options.put("mtu", mtu.trim());
    }
    String lease = parameters.get(DHCP_LEASE_TIME);
    if (lease != null && !lease.isBlank()) {
      options.put("lease_time", lease.trim());
    }
    return options;
  }

  /** {@value #NB_INACTIVITY_PROBE} in seconds, or {@link #DEFAULT_INACTIVITY_PROBE} when absent. */
  public Duration inactivityProbe() {
    String value = parameters.get(NB_INACTIVITY_PROBE);
    return value == null || value.isBlank()
        ? DEFAULT_INACTIVITY_PROBE
        : Duration.ofSeconds(Long.parseLong(value.trim()));
  }

  /** {@value #NB_RECONNECT_TIME} in seconds, or {@link #DEFAULT_RECONNECT_TIME} when absent. */
  public Duration reconnectTime() {
    String value = parameters.get(NB_RECONNECT_TIME);
    return value == null || value.isBlank()
        ? DEFAULT_RECONNECT_TIME
        : Duration.ofSeconds(Long.parseLong(value.trim()));
  }
}
