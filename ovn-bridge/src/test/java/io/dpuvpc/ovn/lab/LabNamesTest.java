package io.dpuvpc.ovn.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Names, addresses and limits of {@link LabNames} and what {@link LabNetwork} derives from them; no process runs. */
class LabNamesTest {
    @Test
    void plainNamesWithoutPrefix() {
        LabNames names = LabNames.of("");
        assertThat(names.underlayNamespace()).isEqualTo("underlay");
        assertThat(names.extNamespace()).isEqualTo("ext");
        assertThat(names.dpuNamespace("dpu1")).isEqualTo("dpu-dpu1");
        assertThat(names.hostNamespace("dpu1", 0)).isEqualTo("h-dpu1-vf0");
        assertThat(LabNames.representor(3)).isEqualTo("pf0vf3");
    }

    @Test
    void prefixedNamesAndOrder() {
        LabNames names = LabNames.of("t1");
        assertThat(names.namespaces(List.of("d1", "d2"), 2)).containsExactly(
                "t1-underlay", "t1-ext", "t1-dpu-d1", "t1-h-d1-vf0", "t1-h-d1-vf1", "t1-dpu-d2", "t1-h-d2-vf0", "t1-h-d2-vf1");
    }

    @Test
    void everyNameFitsInFifteenCharacters() {
        LabNames names = LabNames.of("abcd");
        int longest = names.maxDpuNameLength(10);
        String dpu = "d" + "x".repeat(longest - 1);
        names.check(List.of(dpu), 10);
        assertThat(names.namespaces(List.of(dpu), 10)).allMatch(n -> n.length() <= LabNames.MAX_NAME)
                .anyMatch(n -> n.length() == LabNames.MAX_NAME);

        assertThatThrownBy(() -> names.check(List.of(dpu + "y"), 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("15");
    }

    @Test
    void rejectsBadPrefixesAndDpuNames() {
        assertThatThrownBy(() -> LabNames.of("toolong")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LabNames.of("T1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LabNames.of("a-b")).isInstanceOf(IllegalArgumentException.class);
        LabNames names = LabNames.of("t1");
        assertThatThrownBy(() -> names.check(List.of("D1"), 1)).hasMessageContaining("lowercase");
        assertThatThrownBy(() -> names.check(List.of("1d"), 1)).hasMessageContaining("lowercase");
        assertThatThrownBy(() -> names.check(List.of("d-1"), 1)).hasMessageContaining("lowercase");
        assertThatThrownBy(() -> names.check(List.of("d1", "d1"), 1)).hasMessageContaining("unique");
        assertThatThrownBy(() -> names.check(List.of(), 1)).hasMessageContaining("1 to");
        assertThatThrownBy(() -> names.check(List.of("d1"), LabNames.MAX_VFS + 1)).hasMessageContaining("VFs");
    }

    @Test
    void addressesPerDpuNumber() {
        assertThat(LabNames.underlayIp(1)).isEqualTo("192.168.100.1");
        assertThat(LabNames.underlayIp(200)).isEqualTo("192.168.100.200");
        assertThat(LabNames.externalIp(2)).isEqualTo("172.16.1.2");
        assertThatThrownBy(() -> LabNames.underlayIp(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LabNames.underlayIp(201)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void networkGivesEachDpuItsPorts() {
        LabNetwork network = new LabNetwork(LabNames.of("t2"), List.of("a", "b"), 2, Path.of("/tmp/none"), Duration.ofSeconds(1));
        LabNetwork.DpuPorts b = network.dpu("b");
        assertThat(b.number()).isEqualTo(2);
        assertThat(b.namespace()).isEqualTo("t2-dpu-b");
        assertThat(b.underlayInterface()).isEqualTo("ul0");
        assertThat(b.underlayCidr()).isEqualTo("192.168.100.2/24");
        assertThat(b.uplinkInterface()).isEqualTo("ext0");
        assertThat(b.representors()).containsExactly("pf0vf0", "pf0vf1");
        assertThat(b.hostNamespaces()).containsExactly("t2-h-b-vf0", "t2-h-b-vf1");
        assertThat(network.dpus()).extracting(LabNetwork.DpuPorts::name).containsExactly("a", "b");
    }

    @Test
    void labRejectsNamesBeforeMakingAnything() {
        assertThatThrownBy(() -> DpuLab.builder(Path.of("/tmp/none")).prefix("t1").dpus("averyverylongname").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("15");
    }
}
