package io.dpuvpc.app.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** What `vpc chaos` says about a ServiceInterface it still waits for. */
class ChaosRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aWaitNamesWhyAnInterfaceIsNotReady() throws Exception {
    assertThat(ChaosRun.whyNotReady(null)).isEqualTo("not listed");
    assertThat(ChaosRun.whyNotReady(JSON.readTree("{\"status\":{}}"))).isEqualTo("no Ready condition yet");
    JsonNode lookupFailed = JSON.readTree("{\"status\":{\"conditions\":[{\"type\":\"ServiceInterfaceReconciled\","
        + "\"status\":\"False\",\"reason\":\"Other\"},{\"type\":\"Ready\",\"status\":\"False\",\"reason\":\"LookupFailed\","
        + "\"message\":\"spec.virtualNetwork: could not reach DPUVirtualNetwork \\\"net-1\\\"\"}]}}");
    assertThat(ChaosRun.whyNotReady(lookupFailed))
        .isEqualTo("LookupFailed (spec.virtualNetwork: could not reach DPUVirtualNetwork \"net-1\")");
    JsonNode waiting = JSON.readTree("{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\","
        + "\"reason\":\"Waiting\",\"message\":\"" + "x".repeat(300) + "\"}]}}");
    assertThat(ChaosRun.whyNotReady(waiting)).isEqualTo("Waiting (" + "x".repeat(120) + "...)");
  }
}
