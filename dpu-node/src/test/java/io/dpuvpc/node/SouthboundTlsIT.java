package io.dpuvpc.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.entity.DpuNodeEntity;
import io.dpuvpc.actors.model.DpuNode;
import io.dpuvpc.ovn.lab.OvnCentral;
import io.dpuvpc.ovn.lab.OvnCentralExtension;
import io.dpuvpc.ovn.lab.Pki;
import io.dpuvpc.ovn.ovsdb.TlsSettings;
import java.nio.file.Path;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The agent observes a Southbound that listens on {@code ssl:} only with its own key, certificate and CA. */
class SouthboundTlsIT {
    @RegisterExtension
    static final OvnCentralExtension OVN = new OvnCentralExtension().withoutNorthd().withTls();
    private static final ActorTestKit KIT = ActorTestKit.create(NodeDirectory.CONFIG);

    @AfterAll
    static void stopKit() {
        KIT.shutdownTestKit();
    }

    @Test
    void observesTheChassisOverTls(@TempDir Path dir) {
        OvnCentral ovn = OVN.central();
        Pki pki = OVN.pki();
        ovn.sbctl("chassis-add", "dpu-tls", "geneve", "192.168.100.80");
        NodeDirectory directory = new NodeDirectory(KIT);
        ActorRef<DpuNodeEntity.Command> node = directory.spawnNode("dpu-tls");
        try (LocalOvsdbServer ovs = LocalOvsdbServer.create(dir)) {
            NodeAgentSettings settings = NodeAgentSettings.builder("dpu-tls", "192.168.100.80", ovn.sbSslEndpoint().orElseThrow())
                .datapath(NodeAgentSettings.Datapath.NETDEV)
                .ovsdbRemote(ovs.remote())
                .southboundTls(new TlsSettings(pki.clientPrivateKey(), pki.clientCertificate(), pki.caCertificate()))
                .build();
            ActorRef<NodeAgent.Command> agent = KIT.spawn(NodeAgent.create(settings, directory));

            DpuNode reported = directory.awaitNode(node, n -> n.ready() && n.chassisRegistered());
            assertThat(reported.chassisId()).isEqualTo("dpu-tls");
            KIT.stop(agent);
        }
    }
}
