package io.dpuvpc.actors.entity;

import static org.assertj.core.api.Assertions.assertThat;

import io.dpuvpc.actors.model.ResourceKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportSerialsTest {
  private static final ResourceKey NODE = ResourceKey.clusterScoped(io.dpuvpc.actors.model.ResourceKind.DPU_NODE, "dpu-1");

  @Test
  void aHeartbeatNamesTheNewestReportOnlyOnceOneWasAccepted() {
    ReportSerials serials = new ReportSerials(99);
    assertThat(serials.heartbeat(null, null)).isEmpty();

    assertThat(serials.report(null, null).serial()).isEqualTo(100);
    assertThat(serials.heartbeat(null, null)).isEmpty(); // not answered yet
    assertThat(serials.report(null, null).serial()).isEqualTo(101);
    serials.answered(new ApplyReply.Accepted(NODE, 1, true));
    assertThat(serials.heartbeat(null, null)).get().extracting(DpuNodeEntity.Heartbeat::serial).isEqualTo(101L);

    serials.answered(new ApplyReply.Rejected(NODE, List.of()));
    assertThat(serials.heartbeat(null, null)).isEmpty();
    serials.answered(new ApplyReply.Accepted(NODE, 1, false));
    serials.unknown();
    assertThat(serials.heartbeat(null, null)).isEmpty();
  }

  @Test
  void noReportIsNumberedZeroWhichNoHeartbeatMayName() {
    ReportSerials serials = new ReportSerials(-1);
    assertThat(serials.report(null, null).serial()).isEqualTo(1);
    assertThat(new DpuNodeEntity.Report(null, null).serial()).isZero();
  }
}
