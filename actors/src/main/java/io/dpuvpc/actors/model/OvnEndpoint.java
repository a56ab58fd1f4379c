package io.dpuvpc.actors.model;

import java.util.ArrayList;
import java.util.List;

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
    if (host.startsWith("[") && host.endsWith("]") && host.length() > 2) {
      host = host.substring(1, host.length() - 1);
    } else if (host.isEmpty() || host.contains(":") || host.contains("[") || host.contains("]")) {
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
