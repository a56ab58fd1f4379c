package io.dpuvpc.ovn.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link OvnCentralExtension} used both ways, as other modules' tests will. */
class OvnCentralExtensionIT {

    @Nested
    @ExtendWith(OvnCentralExtension.class)
    class WithExtendWith {
        private final OvnCentral fromConstructor;

        WithExtendWith(OvnCentral ovn) {
            this.fromConstructor = ovn;
        }

        @Test
        void injectsOneRunningLabWithNorthd(OvnCentral ovn) {
            assertThat(ovn).isSameAs(fromConstructor);
            assertThat(ovn.isRunning()).isTrue();
            assertThat(ovn.hasNorthd()).isTrue();
            assertThat(ovn.nbSslEndpoint()).isEmpty();
            ovn.nbctl("ls-add", "from-extension");
            ovn.awaitNorthdSync(Duration.ofSeconds(10));
            assertThat(ovn.sbctl("--bare", "--columns=external_ids", "list", "Datapath_Binding"))
                    .contains("name=from-extension");
        }

        @Test
        void theLabIsSharedByTheTestsOfTheClass(OvnCentral ovn) {
            assertThat(ovn).isSameAs(fromConstructor);
            assertThat(OvnCentralIT.listDbs(ovn.nbTcpEndpoint())).contains(OvnCentral.NB_DATABASE);
        }

        @Nested
        class Inner {
            @Test
            void nestedClassesShareTheOuterLab(OvnCentral ovn) {
                assertThat(ovn).isSameAs(fromConstructor);
            }
        }
    }

    @Nested
    class WithRegisterExtension {
        @RegisterExtension
        static final OvnCentralExtension OVN = new OvnCentralExtension().withoutNorthd();

        @Test
        void runsWithoutNorthd(OvnCentral injected) {
            assertThat(OVN.central()).isSameAs(injected);
            assertThat(injected.hasNorthd()).isFalse();
            assertThat(injected.status()).extracting(OvnCentral.DaemonStatus::name)
                    .containsExactly("ovsdb-server nb", "ovsdb-server sb");
        }
    }
}
