package io.spikestream.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GroupsFileTest {

  private static final String RETINA =
      """
      groups:
        - id: retina
          model: exact
          shape: [32, 32]
          batch_size: 2
          step_time: 0.5
          rest_v: -65.0
          thresh_v: -50.0
          t0: 100
        - id: tiny
          model: exact
          shape: [3]
          step_time: 1
          rest_v: -65
          thresh_v: -50
      """;

  @Test
  void readsYamlWithDefaults() {
    Map<String, GroupConfig> groups = GroupsFile.parse(RETINA);
    assertThat(groups.keySet()).containsExactly("retina", "tiny");
    GroupConfig retina = groups.get("retina");
    assertThat(retina.shape()).containsExactly(32, 32);
    assertThat(retina.batchSize()).isEqualTo(2);
    assertThat(retina.neurons()).isEqualTo(2048);
    assertThat(retina.stepTime()).isEqualTo(0.5);
    assertThat(retina.t0()).isEqualTo(100.0);
    GroupConfig tiny = groups.get("tiny");
    assertThat(tiny.batchSize()).isEqualTo(1);
    assertThat(tiny.t0()).isEqualTo(0.0);
  }

  @Test
  void readsJsonFiles(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("groups.json");
    Files.writeString(
        file,
        "{\"groups\":[{\"id\":\"a\",\"model\":\"exact\",\"shape\":[4],"
            + "\"step_time\":1.0,\"rest_v\":-65,\"thresh_v\":-50}]}");
    assertThat(GroupsFile.load(file).get("a").neurons()).isEqualTo(4);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "model: izhikevich| group 'g': 'model' 'izhikevich' is not known (known: exact, lif, alif)",
        "shape: [0, 3]| group 'g': 'shape[0]' of 0 must be positive",
        "shape: [2.5]| group 'g': 'shape[0]' must be an integer, got 2.5",
        "batch_size: 0| group 'g': 'batch_size' of 0 must be positive",
        "step_time: 0.0| group 'g': 'step_time' of 0.0 must be positive",
        "step_time: [1.0]| group 'g': 'step_time' must be a finite number, got [1.0]",
        "rest_v: -40.0| group 'g': 'rest_v' (-40.0) must be less than 'thresh_v' (-50.0)",
        "thresh_v: high| group 'g': 'thresh_v' must be a finite number, got \"high\"",
        "batch_sise: 2| group 'g': unknown field 'batch_sise' (a exact group has: rest_v, thresh_v)",
        "reset_v: -70| group 'g': unknown field 'reset_v' (a exact group has: rest_v, thresh_v)",
      })
  void badFieldsNameTheGroupAndField(String override, String message) {
    String field = override.substring(0, override.indexOf(':'));
    StringBuilder yaml = new StringBuilder("groups:\n  - id: g\n");
    Map<String, String> base = new java.util.LinkedHashMap<>();
    base.put("model", "exact");
    base.put("shape", "[3]");
    base.put("step_time", "1.0");
    base.put("rest_v", "-65.0");
    base.put("thresh_v", "-50.0");
    base.put(field, override.substring(override.indexOf(':') + 1).trim());
    base.forEach((k, v) -> yaml.append("    ").append(k).append(": ").append(v).append('\n'));
    assertThatThrownBy(() -> GroupsFile.parse(yaml.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void lifAndAlifGroupsTakeInfernosParameters() {
    Map<String, GroupConfig> groups =
        GroupsFile.parse(
            """
            groups:
              - {id: l, model: lif, shape: [4], step_time: 1.0, rest_v: -60, reset_v: -65,
                 thresh_v: -50, refrac_t: 2, time_constant: 20}
              - {id: a, model: alif, shape: [2, 2], step_time: 0.5, rest_v: -60, reset_v: -65,
                 thresh_eq_v: -50, refrac_t: 1, tc_membrane: 20, tc_adaptation: [100, 500],
                 spike_increment: 2, resistance: 0.5}
            """);
    assertThat(groups.get("l").neuron()).isEqualTo(new NeuronSpec.Lif(-60, -65, -50, 2, 20, 1.0));
    assertThat(groups.get("a").neuron())
        .isEqualTo(
            new NeuronSpec.Alif(
                -60, -65, -50, 1, 20, new double[] {100, 500}, new double[] {2}, 0.5));
    assertThat(groups.get("l").newNeuron()).isInstanceOf(io.spikestream.neural.LIF.class);
    assertThat(groups.get("a").newNeuron().batchedShape()).containsExactly(1, 2, 2);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "refrac_t: -0.00001| group 'g': 'refrac_t' of -1e-05 must be nonnegative",
        "time_constant: 0| group 'g': 'time_constant' of 0.0 must be positive",
        "reset_v: -40| group 'g': 'reset_v' (-40.0) must be less than 'thresh_v' (-50.0)",
        "resistance: 0| group 'g': 'resistance' of 0.0 must be nonzero",
        "thresh_eq_v: -50| group 'g': unknown field 'thresh_eq_v' (a lif group has: rest_v,"
            + " reset_v, thresh_v, refrac_t, time_constant, resistance)",
      })
  void badLifParametersHaveInfernosMessages(String override, String message) {
    String field = override.substring(0, override.indexOf(':'));
    Map<String, String> base = new java.util.LinkedHashMap<>();
    base.put("model", "lif");
    base.put("shape", "[3]");
    base.put("step_time", "1.0");
    base.put("rest_v", "-60.0");
    base.put("reset_v", "-65.0");
    base.put("thresh_v", "-50.0");
    base.put("refrac_t", "2.0");
    base.put("time_constant", "20.0");
    base.put(field, override.substring(override.indexOf(':') + 1).trim());
    StringBuilder yaml = new StringBuilder("groups:\n  - id: g\n");
    base.forEach((k, v) -> yaml.append("    ").append(k).append(": ").append(v).append('\n'));
    assertThatThrownBy(() -> GroupsFile.parse(yaml.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void missingFieldsDuplicatesAndStructureAreNamed(@TempDir Path dir) throws Exception {
    assertThatThrownBy(
            () ->
                GroupsFile.parse(
                    "groups:\n  - id: g\n    model: exact\n    shape: [1]\n    rest_v: 1\n    thresh_v: 2"))
        .hasMessage("group 'g': 'step_time' is missing");
    String one = "  - {id: g, model: exact, shape: [1], step_time: 1, rest_v: 1, thresh_v: 2}\n";
    assertThatThrownBy(() -> GroupsFile.parse("groups:\n" + one + one))
        .hasMessage("group 'g': 'id' is not unique");
    assertThatThrownBy(() -> GroupsFile.parse("groups:\n  - {model: exact}"))
        .hasMessage("group 0: 'id' is missing");
    assertThatThrownBy(() -> GroupsFile.parse("groups: []"))
        .hasMessage("'groups' must be a non-empty list");
    assertThatThrownBy(() -> GroupsFile.parse("neurons: 3"))
        .hasMessage("must be a mapping with a 'groups' list");
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "groups: [");
    assertThatThrownBy(() -> GroupsFile.load(file))
        .hasMessageStartingWith("groups file " + file + ": not valid YAML or JSON");
  }

  @Test
  void stepOfAgreesWithStepStartAtEveryBoundary() {
    GroupConfig group = new GroupConfig("g", "exact", new long[] {1}, 1, 0.1, -65, -50, 0.3);
    for (long k = 0; k < 10_000; k++) {
      double start = group.stepStart(k);
      assertThat(group.stepOf(start)).isEqualTo(k);
      assertThat(group.stepOf(Math.nextDown(group.stepStart(k + 1)))).isEqualTo(k);
      assertThat(group.timerOf(k)).isEqualTo((long) Math.ceil(group.stepStart(k + 1)) - 1);
      // the steps one timer runs are exactly those whose timerOf is that timer
      long timer = group.timerOf(k);
      assertThat(group.firstStepOfTimer(timer)).isLessThanOrEqualTo(k);
      assertThat(group.firstStepOfTimer(timer + 1)).isGreaterThan(k);
      assertThat(group.timerOf(group.firstStepOfTimer(timer))).isEqualTo(timer);
    }
    GroupConfig slow = new GroupConfig("s", "exact", new long[] {1}, 1, 2.5, -65, -50, 100);
    for (long k = 0; k < 1000; k++) {
      long timer = slow.timerOf(k);
      assertThat(slow.firstStepOfTimer(timer)).isEqualTo(k);
      assertThat(slow.firstStepOfTimer(timer + 1)).isEqualTo(k + 1);
    }
    assertThat(slow.firstStepOfTimer(-5)).isZero();
  }
}
