package io.dpuvpc.actors.validation;

import static io.dpuvpc.actors.validation.ErrorAssertions.single;
import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.IsolationClassSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsolationClassValidatorTest {

  private static final String NAME = "ovn.vpc.dpu.nvidia.com";

  private static List<FieldError> validate(Map<String, String> parameters) {
    return IsolationClassValidator.validate(NAME, new IsolationClassSpec(IsolationClassSpec.PROVISIONER, parameters));
  }

  private static Map<String, String> with(String... keyValues) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put(keyValues[i], keyValues[i + 1]);
    }
    return map;
  }

  @Test
  void acceptsTheReferenceIsolationClass() {
    assertThat(validate(with("ovn-nb-endpoint", "tcp:10.1.1.100:30641", "ovn-nb-reconnect-time", "5"))).isEmpty();
  }

  @Test
  void acceptsARaftClusterWithTlsAndASouthboundEndpoint() {
    assertThat(validate(with(
        "ovn-nb-endpoint", "ssl:10.0.0.1:6641,ssl:10.0.0.2:6641,ssl:10.0.0.3:6641",
        "ovn-sb-endpoint", "ssl:10.0.0.1:6642,ssl:10.0.0.2:6642,ssl:10.0.0.3:6642",
        "ovn-ssl-private-key", "/etc/ovn/key.pem", "ovn-ssl-certificate", "/etc/ovn/cert.pem",
        "ovn-ssl-ca-cert", "/etc/ovn/ca.pem", "unrelated", "kept"))).isEmpty();
  }

  @Test
  void refusesAnotherProvisioner() {
    FieldError e = single(IsolationClassValidator.validate(NAME,
            new IsolationClassSpec("example.com/other", Map.of("ovn-nb-endpoint", "tcp:10.1.1.100:30641"))),
        "spec.provisioner", "InvalidProvisioner");
    assertThat(e.message()).contains("ovn.vpc.dpu.nvidia.com");
    single(IsolationClassValidator.validate(NAME, new IsolationClassSpec(null, Map.of("ovn-nb-endpoint", "tcp:1.1.1.1:1"))),
        "spec.provisioner", "InvalidProvisioner");
  }

  @Test
  void requiresTheNorthboundEndpoint() {
    FieldError e = single(validate(with()), "spec.parameters[ovn-nb-endpoint]", "Required");
    assertThat(e.message()).contains("tcp:");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.1.1.100:30641", "tcp:10.1.1.100", "unix:/run/ovn/ovnnb_db.sock", "tcp:10.1.1.100:70000"})
  void refusesMalformedEndpoints(String endpoint) {
    single(validate(with("ovn-nb-endpoint", endpoint)), "spec.parameters[ovn-nb-endpoint]", "InvalidParameter");
    single(validate(with("ovn-nb-endpoint", "tcp:1.1.1.1:1", "ovn-sb-endpoint", endpoint)),
        "spec.parameters[ovn-sb-endpoint]", "InvalidParameter");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "five", "3601", ""})
  void refusesABadReconnectTime(String value) {
    single(validate(with("ovn-nb-endpoint", "tcp:1.1.1.1:1", "ovn-nb-reconnect-time", value)),
        "spec.parameters[ovn-nb-reconnect-time]", "InvalidParameter");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-5", "30s", "3601", ""})
  void refusesABadInactivityProbe(String value) {
    FieldError error = single(validate(with("ovn-nb-endpoint", "tcp:1.1.1.1:1", "ovn-nb-inactivity-probe", value)),
        "spec.parameters[ovn-nb-inactivity-probe]", "InvalidParameter");
    assertThat(error.message()).contains("whole number from 1 to 3600").contains("default 30");
  }

  @Test
  void sslNeedsTheThreeTlsFiles() {
    List<FieldError> errors = validate(with("ovn-nb-endpoint", "ssl:10.0.0.1:6641", "ovn-ssl-ca-cert", "/ca.pem"));
    assertThat(errors).extracting(FieldError::fieldPath)
        .containsExactly("spec.parameters[ovn-ssl-private-key]", "spec.parameters[ovn-ssl-certificate]");
    assertThat(errors).extracting(FieldError::reason).containsOnly("Required");
    assertThat(validate(with("ovn-nb-endpoint", "tcp:10.0.0.1:6641", "ovn-sb-endpoint", "ssl:10.0.0.1:6642")))
        .hasSize(3);
  }

  @Test
  void requiresAValidNameAndSpec() {
    single(IsolationClassValidator.validate("OVN Class", new IsolationClassSpec(IsolationClassSpec.PROVISIONER,
        Map.of("ovn-nb-endpoint", "tcp:1.1.1.1:1"))), "metadata.name", "InvalidName");
    single(IsolationClassValidator.validate(NAME, null), "spec", "Required");
  }

  @Test
  void dhcpParametersBecomeOvnOptionsAndBadOnesNameTheParameter() {
    Map<String, String> good = with("ovn-nb-endpoint", "tcp:10.1.1.100:30641", "ovn-dhcp-dns-servers", "10.0.0.2, 10.0.0.3",
        "ovn-dhcp-mtu", "8942", "ovn-dhcp-lease-time", "7200");
    assertThat(validate(good)).isEmpty();
    assertThat(new IsolationClassSpec(IsolationClassSpec.PROVISIONER, good).dhcpOptions())
        .isEqualTo(Map.of("dns_server", "{10.0.0.2, 10.0.0.3}", "mtu", "8942", "lease_time", "7200"));
    assertThat(new IsolationClassSpec(IsolationClassSpec.PROVISIONER,
        with("ovn-nb-endpoint", "tcp:1.2.3.4:6641", "ovn-dhcp-dns-servers", "10.0.0.2")).dhcpOptions())
        .isEqualTo(Map.of("dns_server", "10.0.0.2"));

    FieldError mtu = single(validate(with("ovn-nb-endpoint", "tcp:1.2.3.4:6641", "ovn-dhcp-mtu", "jumbo")),
        "spec.parameters[ovn-dhcp-mtu]", ValidationReasons.INVALID_PARAMETER);
    assertThat(mtu.message()).contains("\"jumbo\" is not an MTU in bytes", "576 to 9000");
    single(validate(with("ovn-nb-endpoint", "tcp:1.2.3.4:6641", "ovn-dhcp-lease-time", "0")),
        "spec.parameters[ovn-dhcp-lease-time]", ValidationReasons.INVALID_PARAMETER);
    FieldError dns = single(validate(with("ovn-nb-endpoint", "tcp:1.2.3.4:6641", "ovn-dhcp-dns-servers", "10.0.0.2,dns.local")),
        "spec.parameters[ovn-dhcp-dns-servers]", ValidationReasons.INVALID_PARAMETER);
    assertThat(dns.message()).contains("\"dns.local\" is not an IPv4 address");
  }
}
