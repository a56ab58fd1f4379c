package io.dpuvpc.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading a pod interface's MAC from {@code ip -o link}, and when it counts as a mismatch. */
class PodInterfaceMacsTest {

    @Test
    void theEtherAddressIsTakenFromIpLinkOutput() {
        String shown = "2: my-sf@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT"
            + " group default qlen 1000\\    link/ether 9a:fd:f4:63:a1:d6 brd ff:ff:ff:ff:ff:ff link-netns s542-dpu-a";
        assertThat(PodInterfaceMacs.mac(shown)).contains("9a:fd:f4:63:a1:d6");
        assertThat(PodInterfaceMacs.mac("1: lo: <LOOPBACK> mtu 65536\\    link/loopback 00:00:00:00:00:00")).isEmpty();
    }

    @Test
    void onlyAKnownMacThatDiffersFromTheGivenOneIsAMismatch() {
        assertThat(PodInterfaceMacs.mismatch("9a:fd:f4:63:a1:d6", "02:00:00:00:00:01")).isTrue();
        assertThat(PodInterfaceMacs.mismatch("9a:fd:f4:63:a1:d6", "9A:FD:F4:63:A1:D6")).isFalse();
        assertThat(PodInterfaceMacs.mismatch(null, "02:00:00:00:00:01")).as("unknown-mac: any MAC goes").isFalse();
        assertThat(PodInterfaceMacs.mismatch("9a:fd:f4:63:a1:d6", null)).as("not seen").isFalse();
    }

    @Test
    void aPodThatIsGoneIsLeftOut() {
        assertThat(PodInterfaceMacs.read(List.of(new PodInterfaceMacs.PodInterface("ovs-cni:my-sf",
            "/var/run/netns/no-such-pod-dpuvpc", "my-sf")))).isEmpty();
    }
}
