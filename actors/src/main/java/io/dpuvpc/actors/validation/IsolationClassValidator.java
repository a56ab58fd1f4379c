package io.dpuvpc.actors.validation;

import static io.dpuvpc.actors.validation.ValidationReasons.INVALID_PARAMETER;
import static io.dpuvpc.actors.validation.ValidationReasons.INVALID_PROVISIONER;

import io.dpuvpc.actors.model.IsolationClassSpec;
import io.dpuvpc.actors.model.OvnEndpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates an IsolationClass: a DNS-1123 name; the provisioner {@value
 * IsolationClassSpec#PROVISIONER}; {@code ovn-nb-endpoint} present and a list of {@code tcp:} /
 * {@code ssl:} remotes; {@code ovn-sb-endpoint} likewise when set; {@code ovn-nb-reconnect-time} a
 * positive number of seconds when set; and the three TLS file parameters when any remote is
 * {@code ssl:}.
 */
public final class IsolationClassValidator {
  private IsolationClassValidator() {}

  public static List<FieldError> validate(String name, IsolationClassSpec spec) {
    List<FieldError> errors = new ArrayList<>();
    Names.requireSubdomain("metadata.name", name, errors);
    if (spec == null) {
      errors.add(Names.required("spec", "a provisioner and parameters"));
      return List.copyOf(errors);
    }
    if (!IsolationClassSpec.PROVISIONER.equals(spec.provisioner())) {
      errors.add(new FieldError("spec.provisioner", INVALID_PROVISIONER,
          "spec.provisioner: \"" + spec.provisioner() + "\" is not handled here: set it to \""
              + IsolationClassSpec.PROVISIONER + "\""));
    }
    boolean tls = endpoints(spec, IsolationClassSpec.NB_ENDPOINT, true, errors);
    tls |= endpoints(spec, IsolationClassSpec.SB_ENDPOINT, false, errors);
    reconnectTime(spec, errors);
    dhcp(spec, errors);
    if (tls) {
      for (String file : List.of(
          IsolationClassSpec.PRIVATE_KEY, IsolationClassSpec.CERTIFICATE, IsolationClassSpec.CA_CERT)) {
        String value = spec.parameter(file);
        if (value == null || value.isBlank()) {
          String path = parameterPath(file);
          errors.add(Names.required(path,
              "the path of a PEM file, because an ssl: endpoint needs the private key, certificate and CA certificate"));
        }
      }
    }
    return List.copyOf(errors);
  }

  /** Checks one endpoint parameter; returns whether it names an ssl: remote. */
  private static boolean endpoints(
      IsolationClassSpec spec, String key, boolean required, List<FieldError> errors) {
    String value = spec.parameter(key);
    String path = parameterPath(key);
    if (value == null || value.isBlank()) {
      if (required) {
        errors.add(Names.required(path,
            "the OVN database address, e.g. \"tcp:10.1.1.100:30641\" (comma-separated for a raft cluster)"));
      }
      return false;
    }
    try {
      return OvnEndpoint.parseList(value).stream().anyMatch(OvnEndpoint::tls);
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError(path, INVALID_PARAMETER, path + ": " + e.getMessage()));
      return false;
    }
  }

  private static void reconnectTime(IsolationClassSpec spec, List<FieldError> errors) {
    String value = spec.parameter(IsolationClassSpec.NB_RECONNECT_TIME);
    if (value == null) {
      return;
    }
    String path = parameterPath(IsolationClassSpec.NB_RECONNECT_TIME);
    long seconds;
    try {
      seconds = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      seconds = 0;
    }
    if (seconds < 1 || seconds > 3600) {
      errors.add(new FieldError(path, INVALID_PARAMETER,
          path + ": \"" + value + "\" is not a reconnect interval: write a whole number of seconds from 1 to 3600"
              + " (default " + IsolationClassSpec.DEFAULT_RECONNECT_TIME.toSeconds() + ")"));
    }
  }

  private static void dhcp(IsolationClassSpec spec, List<FieldError> errors) {
    wholeNumber(spec, IsolationClassSpec.NB_INACTIVITY_PROBE, 1, 3600, "an inactivity probe in seconds (default "
        + IsolationClassSpec.DEFAULT_INACTIVITY_PROBE.toSeconds() + ")", errors);
    wholeNumber(spec, IsolationClassSpec.DHCP_MTU, 576, 9000, "an MTU in bytes", errors);
    wholeNumber(spec, IsolationClassSpec.DHCP_LEASE_TIME, 60, 31_536_000, "a lease time in seconds", errors);
    String dns = spec.parameter(IsolationClassSpec.DHCP_DNS_SERVERS);
    if (dns != null) {
      for (String server : dns.split(",")) {
        if (!io.dpuvpc.actors.model.Ipv4Address.isValid(server.trim())) {
          String path = parameterPath(IsolationClassSpec.DHCP_DNS_SERVERS);
          errors.add(new FieldError(path, INVALID_PARAMETER, path + ": \"" + server.trim()
              + "\" is not an IPv4 address: list DNS servers as comma-separated IPv4 addresses, e.g. \"10.0.0.2,10.0.0.3\""));
        }
      }
    }
  }

  private static void wholeNumber(IsolationClassSpec spec, String key, long min, long max, String what,
                                  List<FieldError> errors) {
    String value = spec.parameter(key);
    if (value == null) {
      return;
    }
    long n;
    try {
      n = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      n = min - 1;
    }
    if (n < min || n > max) {
      String path = parameterPath(key);
      errors.add(new FieldError(path, INVALID_PARAMETER, path + ": \"" + value + "\" is not " + what
          + ": write a whole number from " + min + " to " + max));
    }
  }

  private static String parameterPath(String key) {
    return "spec.parameters[" + key + "]";
  }
}
