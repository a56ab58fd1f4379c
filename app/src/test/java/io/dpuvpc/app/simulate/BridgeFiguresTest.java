package io.dpuvpc.app.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BridgeFiguresTest {
  private static final String CONTROLLER_1 = """
      # HELP dpuvpc_nb_owner_plans_total Owners planned, by why.
      # TYPE dpuvpc_nb_owner_plans_total counter
      dpuvpc_nb_owner_plans_total{cause="published",isolation_class="a"} 10
      dpuvpc_nb_owner_plans_total{cause="waiting_recheck",isolation_class="a"} 4
      dpuvpc_nb_owner_plans_total{cause="published",isolation_class="b"} 2
      dpuvpc_nb_owners_planned_total{isolation_class="a"} 14
      dpuvpc_nb_owners{isolation_class="a"} 6
      dpuvpc_nb_owners{isolation_class="b"} 2
      dpuvpc_nb_transactions_total{isolation_class="a"} 3
      dpuvpc_nb_plan_seconds_bucket{isolation_class="a",le="0.001"} 1
      dpuvpc_nb_plan_seconds_sum{isolation_class="a"} 0.25
      dpuvpc_nb_plan_seconds_count{isolation_class="a"} 5
      dpuvpc_api_requests_total{code="200",method="GET"} 99
      """;
  private static final String CONTROLLER_2 = """
      dpuvpc_nb_owner_plans_total{cause="own_row_changed",isolation_class="a"} 6
      dpuvpc_nb_owners{isolation_class="a"} 2
      dpuvpc_nb_transactions_total{isolation_class="a"} 1
      dpuvpc_nb_plan_seconds_sum{isolation_class="a"} 1.5e-1
      dpuvpc_nb_plan_seconds_count{isolation_class="a"} 2
      dpuvpc_nb_rows_planned_total{isolation_class="a"} 300
      dpuvpc_nb_owner_parts_planned_total{isolation_class="a"} 3
      """;

  @Test
  void sumsTheBridgesOfEveryControllerAndIsolationClass() {
    BridgeFigures figures = BridgeFigures.parse(List.of(CONTROLLER_1, CONTROLLER_2));
    assertThat(figures.plans()).isEqualTo(22);
    assertThat(figures.plansByCause()).containsEntry("published", 12.0).containsEntry("waiting_recheck", 4.0)
        .containsEntry("own_row_changed", 6.0).containsEntry("update_check", 0.0);
    assertThat(figures.owners()).isEqualTo(10);
    assertThat(figures.transactions()).isEqualTo(4);
    assertThat(figures.planSeconds()).isEqualTo(0.4, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(figures.planBatches()).isEqualTo(7);
    assertThat(figures.describe()).isEqualTo("22 owner plans for 10 owners (2.2 each: published 12, own_row_changed 6,"
        + " waiting_recheck 4; 3 of them parts, of only the rows a new intent changed); 300 rows planned; 4 transactions;"
        + " 0.4 s planning in 7 batches");
    assertThat(figures.figures("until convergence")).containsEntry("bridge until convergence: owner plans", 22.0)
        .containsEntry("bridge until convergence: owner plans (published)", 12.0);
  }

  @Test
  void whatWasDoneBetweenTwoReadings() {
    BridgeFigures before = BridgeFigures.parse(List.of(CONTROLLER_2));
    BridgeFigures during = BridgeFigures.parse(List.of(CONTROLLER_1, CONTROLLER_2)).since(before);
    assertThat(during.plans()).isEqualTo(16);
    assertThat(during.plansByCause()).containsEntry("own_row_changed", 0.0).containsEntry("published", 12.0);
    assertThat(during.transactions()).isEqualTo(3);
    assertThat(during.rowsPlanned()).isZero();
    assertThat(during.planBatches()).isEqualTo(5);
  }

  @Test
  void nothingReadIsAllZero() {
    BridgeFigures figures = BridgeFigures.parse(List.of());
    assertThat(figures.plans()).isZero();
    assertThat(figures.describe()).isEqualTo("no owner planned (0 owners, 0 transactions)");
  }
}
