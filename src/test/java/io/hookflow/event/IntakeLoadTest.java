package io.hookflow.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When runs yield to a burst: as set, else on a shared store only. */
class IntakeLoadTest {

  @Test
  void unsetItYieldsOnASharedStoreOnly() {
    assertThat(IntakeLoad.busyAt(null, true)).isZero();
    assertThat(IntakeLoad.busyAt(null, false)).isEqualTo(IntakeLoad.SHARED_STORE_YIELD_AT);
  }

  @Test
  void aSettingHoldsOnEveryStore() {
    assertThat(IntakeLoad.busyAt(5, true)).isEqualTo(5);
    assertThat(IntakeLoad.busyAt(0, false)).isZero();
  }
}
