package io.spikestream.job.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StepRangeTest {

  @Test
  void parsesAnInclusiveRange() throws Exception {
    StepRange range = StepRange.parse("10:20");
    assertThat(range).isEqualTo(new StepRange(10, 20));
    assertThat(range.contains(10)).isTrue();
    assertThat(range.contains(20)).isTrue();
    assertThat(range.contains(9)).isFalse();
    assertThat(range.contains(21)).isFalse();
    assertThat(StepRange.parse(" 7 : 7 ")).isEqualTo(new StepRange(7, 7));
    assertThat(range).hasToString("10:20");
    assertThat(range.isAll()).isFalse();
    assertThat(StepRange.ALL.contains(Long.MAX_VALUE)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5", "5:", ":5", "a:b", "5:2", "-1:3", "1:2:3", "1.5:2", "1-2"})
  void refusesWhatIsNotARange(String text) {
    assertThatThrownBy(() -> StepRange.parse(text))
        .isInstanceOf(PlotException.class)
        .hasMessage("'--steps' of '" + text + "' must be A:B, two step numbers with 0 <= A <= B");
  }

  @Test
  void theConstructorRefusesAnEmptyRange() {
    assertThatThrownBy(() -> new StepRange(3, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("step range 3:2 must have 0 <= first <= last");
  }
}
