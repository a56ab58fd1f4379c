package io.dpuvpc.actors.model;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One OVSDB remote in OVN's notation, {@code tcp:HOST:PORT} or {@code ssl:HOST:PORT} (IPv6 hosts in
 * brackets). A raft-clustered database is given as a comma-separated list of such remotes, as
 * {@code ovn-nbctl --db} takes it.
 */
public record OvnEndpoint(String transport, String host, int port) {

  public static final String TCP = "tcp";
  public static final String SSL = "ssl";

  /** Parses one remote; throws {@link IllegalArgumentException} saying what is wrong. */
  public static OvnEndpoint parse(String text) {
    String t = text == null ? "" : text.trim();
    int colon = t.indexOf(':');
    int lastColon = t.lastIndexOf(':');
    if (colon < 0 || lastColon == colon) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not an OVN endpoint: write tcp:HOST:PORT or ssl:HOST:PORT, e.g. tcp:10.1.1.100:30641");
    }
    String transport = t.substring(0, colon);
    if (!TCP.equals(transport) && !SSL.equals(transport)) {
      throw new IllegalArgumentException(
          "\"" + text + "\" uses transport \"" + transport + "\": only tcp and ssl are supported");
    }
    String host = t.substring(colon + 1, lastColon);
    boolean bracketed = host.startsWith("[") && host.endsWith("]") && host.length() > 2;
    if (bracketed) {
      host = host.substring(1, host.length() - 1);
    }
    if (!(bracketed ? isIpv6(host) : isIpv4(host) || isDnsName(host))) {
      throw new IllegalArgumentException(
          "\"" + text + "\" has no valid host: write an IPv4 address, a DNS name or [IPv6]");
    }
    String p = t.substring(lastColon + 1);
    int port;
    try {
      port = Integer.parseInt(p);
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(
          "\"" + text + "\" has port \"" + p + "\": write a port number from 1 to 65535");
    }
    return new OvnEndpoint(transport, host, port);
  }

  private static final Pattern DNS_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

  static boolean isIpv4(String host) {
    try {
      Ipv4Address.parse(host);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * A DNS name (RFC 1123): labels of letters, digits and inner hyphens, 253 characters at most.
   * All-numeric names are not: "300.1.1.1" is a mistyped address, never a name to look up.
   */
  static boolean isDnsName(String host) {
    if (host.isEmpty() || host.length() > 253 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
      return false;
    }
    for (String label : host.split("\\.", -1)) {
      if (!DNS_LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  /** An IPv6 address in any of its textual forms (checked without a name lookup: only literals parse). */
  static boolean isIpv6(String host) {
    if (!host.contains(":") || !host.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
      return false;
    }
    try {
      // With a colon it can only parse as an IPv6 literal (an IPv4-mapped one comes back as IPv4).
      InetAddress.getByName(host);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Parses a comma-separated list of remotes (a raft cluster's members, or one server). */
  public static List<OvnEndpoint> parseList(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("at least one endpoint is required, e.g. tcp:10.1.1.100:30641");
    }
    List<OvnEndpoint> endpoints = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      endpoints.add(parse(part));
    }
    return List.copyOf(endpoints);
  }

  public boolean tls() {
    return SSL.equals(transport);
  }

  @Override
  public String toString() {
    return transport + ":" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
