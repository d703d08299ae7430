package io.spikestream.job.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spikestream.job.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventCodecTest {

  private final EventCodec codec = new EventCodec(Fixtures.groups());

  @Test
  void parsesDenseSparseAndOverrideFieldsTogether() throws Exception {
    InputEvent event =
        codec.parse(
            "{\"group\":\"small\",\"t\":12.5,\"currents\":[1,-2,0.5,0,0,1e-3],"
                + "\"index\":[3,5],\"current\":[0.5,-1.25],\"override\":[]}");
    assertThat(event.group).isEqualTo("small");
    assertThat(event.t).isEqualTo(12.5);
    assertThat(event.step).isEqualTo(12);
    assertThat(event.currents).containsExactly(1, -2, 0.5, 0, 0, 1e-3);
    assertThat(event.index).containsExactly(3, 5);
    assertThat(event.current).containsExactly(0.5, -1.25);
    assertThat(event.override).isEmpty();
    assertThat(event.timestampMs()).isEqualTo(12);
  }

  /** The codec's fast number parser must round exactly like {@link Double#parseDouble}. */
  @Test
  void numbersRoundExactlyLikeTheJdk() throws Exception {
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    for (int line = 0; line < 20_000; line++) {
      String[] texts = new String[6];
      for (int i = 0; i < texts.length; i++) {
        texts[i] =
            switch (random.nextInt(6)) {
              case 0 -> Double.toString(Double.longBitsToDouble(random.nextLong()) % 1e300);
              case 1 -> Double.toString(random.nextDouble(-10, 10));
              case 2 ->
                  (random.nextBoolean() ? "-" : "")
                      + random.nextInt(1000)
                      + "."
                      + random.nextLong(Long.MAX_VALUE); // 19 digits after the point: must round
              case 3 ->
                  random.nextInt(100) + "e" + (random.nextInt(640) - 330); // subnormal, 0, huge
              case 4 ->
                  "0.1000000000000000055511151231257827021181583404541015625"
                      .substring(0, 3 + random.nextInt(50)); // around a tie of 0.1
              default -> Float.toString((float) random.nextGaussian());
            };
      }
      String json = "{\"group\":\"small\",\"t\":1,\"currents\":[" + String.join(",", texts) + "]}";
      double[] expected = java.util.Arrays.stream(texts).mapToDouble(Double::parseDouble).toArray();
      if (java.util.Arrays.stream(expected).allMatch(Double::isFinite)) {
        assertThat(codec.parse(json).currents).as(json).containsExactly(expected);
      }
    }
  }

  @Test
  void stepsFollowTheGroupsT0AndStepTime() throws Exception {
    // FAST: t0 = 10 ms, 0.25 ms steps
    assertThat(codec.parse("{\"group\":\"fast\",\"t\":10,\"override\":[1]}").step).isZero();
    assertThat(codec.parse("{\"group\":\"fast\",\"t\":10.2499,\"override\":[1]}").step).isZero();
    assertThat(codec.parse("{\"group\":\"fast\",\"t\":10.25,\"override\":[1]}").step).isEqualTo(1);
    assertThat(codec.parse("{\"group\":\"fast\",\"t\":12.9,\"override\":[1]}").step).isEqualTo(11);
  }

  @Test
  void formattedEventsParseBackEqual() throws Exception {
    InputEvent event =
        codec.parse(
            "{\"group\":\"fast\",\"t\":10.3,\"currents\":[0.1,0.2,-0.3,1e-300,5e-324,1,2,3],"
                + "\"index\":[7],\"current\":[-0.0],\"override\":[0,7]}");
    assertThat(codec.parse(EventCodec.formatEvent(event))).isEqualTo(event);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "``| malformed JSON: empty line",
        "42| malformed JSON: not a JSON object",
        "null| malformed JSON: not a JSON object",
        "[1,2]| malformed JSON: not a JSON object",
        "\"text\"| malformed JSON: not a JSON object",
        "{\"group\":\"small\"| malformed JSON: Unexpected end-of-input: expected close marker for"
            + " Object (start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_"
            + "LOCATION` disabled); line: 1, column: 1])",
        "{\"group\":\"small\",\"t\":1,\"override\":[]} {}| malformed JSON: content after the object",
        "{\"group\":\"small\",\"t\":NaN,\"override\":[]}| malformed JSON: Non-standard token 'NaN':"
            + " enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow",
        "{\"t\":1,\"override\":[]}| missing field 'group'",
        "{\"group\":\"small\",\"override\":[]}| missing field 't'",
        "{\"group\":\"nope\",\"t\":1,\"override\":[]}| unknown group 'nope'",
        "{\"group\":7,\"t\":1,\"override\":[]}| 'group' must be a string",
        "{\"group\":\"small\",\"t\":\"1\",\"override\":[]}| 't' must be a number",
        "{\"group\":\"small\",\"t\":1e999,\"override\":[]}| 't' of inf is out of range",
        "{\"group\":\"small\",\"t\":1e300,\"override\":[]}| 't' of 1e+300 is out of range",
        "{\"group\":\"fast\",\"t\":9.5,\"override\":[]}| 't' of 9.5 is before the group's t0 of 10.0",
        "{\"group\":\"small\",\"t\":1}| no 'currents', 'index'/'current' or 'override'",
        "{\"group\":\"small\",\"t\":1,\"currents\":[1,2]}| 'currents' has 2 values, group 'small'"
            + " needs 6",
        "{\"group\":\"small\",\"t\":1,\"currents\":[1,2,3,4,5,\"6\"]}| 'currents' must be a list of"
            + " numbers",
        "{\"group\":\"small\",\"t\":1,\"currents\":[1,2,3,4,5,1e400]}| 'currents' has a non-finite"
            + " number at position 5",
        "{\"group\":\"small\",\"t\":1,\"currents\":{}}| 'currents' must be a list of numbers",
        "{\"group\":\"small\",\"t\":1,\"index\":[1]}| 'index' without 'current'",
        "{\"group\":\"small\",\"t\":1,\"current\":[1]}| 'current' without 'index'",
        "{\"group\":\"small\",\"t\":1,\"index\":[1,2],\"current\":[1]}| 'index' has 2 entries but"
            + " 'current' has 1",
        "{\"group\":\"small\",\"t\":1,\"index\":[6],\"current\":[1]}| 'index' 6 is out of range"
            + " [0, 6)",
        "{\"group\":\"small\",\"t\":1,\"index\":[-1],\"current\":[1]}| 'index' -1 is out of range"
            + " [0, 6)",
        "{\"group\":\"small\",\"t\":1,\"index\":[1.0],\"current\":[1]}| 'index' must be a list of"
            + " integers",
        "{\"group\":\"small\",\"t\":1,\"index\":[99999999999],\"current\":[1]}| 'index'"
            + " 99999999999 is out of range",
        "{\"group\":\"small\",\"t\":1,\"override\":[6]}| 'override' 6 is out of range [0, 6)",
        "{\"group\":\"small\",\"t\":1,\"override\":[[1]]}| 'override' must be a list of integers",
        "{\"group\":\"small\",\"t\":1,\"override\":true}| 'override' must be a list of integers",
        "{\"group\":\"small\",\"t\":1,\"override\":[],\"extra\":1}| unknown field 'extra'",
        "{\"group\":\"small\",\"t\":1,\"t\":2,\"override\":[]}| duplicate field 't'",
      })
  void rejectsWithAReason(String line, String reason) {
    assertThatThrownBy(() -> codec.parse(line == null ? "" : line))
        .isInstanceOf(BadEventException.class)
        .hasMessage(reason);
  }

  @Test
  void deepNestingIsMalformedNotAStackOverflow() {
    String deep = "{\"group\":\"small\",\"t\":1,\"override\":" + "[".repeat(100_000);
    assertThatThrownBy(() -> codec.parse(deep))
        .isInstanceOf(BadEventException.class)
        .hasMessageStartingWith("malformed JSON: Document nesting depth (65) exceeds");
    String deepArray = "[".repeat(5000) + "]".repeat(5000);
    assertThatThrownBy(() -> codec.parse(deepArray))
        .hasMessage("malformed JSON: not a JSON object");
  }

  @Test
  void megabyteLinesAreReadOrRejectedWhole() throws Exception {
    StringBuilder big = new StringBuilder("{\"group\":\"small\",\"t\":1,\"index\":[");
    StringBuilder currents = new StringBuilder();
    for (int i = 0; i < 200_000; i++) {
      big.append(i % 6).append(',');
      currents.append("0.001,");
    }
    big.setLength(big.length() - 1);
    currents.setLength(currents.length() - 1);
    big.append("],\"current\":[").append(currents).append("]}");
    assertThat(big.length()).isGreaterThan(1_000_000);
    assertThat(codec.parse(big.toString()).index).hasSize(200_000);

    String hugeGroup = "{\"group\":\"" + "x".repeat(2_000_000) + "\",\"t\":1,\"override\":[]}";
    assertThatThrownBy(() -> codec.parse(hugeGroup))
        .hasMessage("unknown group '" + "x".repeat(64) + "...'");
  }

  @Test
  void junkBytesAreMalformed() {
    assertThatThrownBy(() -> codec.parse("\u0000\u00ff\ufffd{{{"))
        .isInstanceOf(BadEventException.class)
        .hasMessageStartingWith("malformed JSON: ");
  }

  /** The hand-built spike record is byte for byte what Jackson's generator writes. */
  @Test
  void spikeRecordsAreWhatAJsonGeneratorWrites() throws Exception {
    java.util.SplittableRandom random = new java.util.SplittableRandom(11);
    String[] ids = {"retina", "a\"quoted\"\\id", "tab\tnewline\n\u0001", "sehr-groß-µ", "😀", ""};
    com.fasterxml.jackson.core.JsonFactory json = new com.fasterxml.jackson.core.JsonFactory();
    for (int n = 0; n < 2000; n++) {
      int[] spikes = random.ints(random.nextInt(20), 0, 1 << 20).sorted().toArray();
      float[] voltage = random.nextBoolean() ? null : new float[random.nextInt(8)];
      if (voltage != null) {
        for (int i = 0; i < voltage.length; i++) {
          voltage[i] = (float) random.nextDouble(-100, 100);
        }
      }
      // whole numbers (most step starts) around the plain/scientific boundary of 10^7 and zero
      double[] special = {
        0.0,
        -0.0,
        1.0,
        -1.0,
        12.0,
        9_999_999.0,
        -9_999_999.0,
        1e7,
        -1e7,
        1e7 + 1,
        0.001,
        0.0009,
        0.5,
        4.5e15,
        9.007199254740993e15,
        Double.MIN_VALUE
      };
      double t =
          switch (random.nextInt(3)) {
            case 0 -> random.nextDouble(-1e12, 1e12) / 7;
            case 1 -> (double) random.nextLong(-20_000_000, 20_000_000);
            default -> special[random.nextInt(special.length)];
          };
      SpikeRecord record =
          new SpikeRecord(
              ids[random.nextInt(ids.length)],
              random.nextLong(-1L << 40, 1L << 40),
              t,
              spikes,
              voltage);
      java.io.StringWriter text = new java.io.StringWriter();
      try (com.fasterxml.jackson.core.JsonGenerator out = json.createGenerator(text)) {
        out.writeStartObject();
        out.writeStringField("group", record.group);
        out.writeNumberField("step", record.step);
        out.writeNumberField("t", record.t);
        out.writeFieldName("spikes");
        out.writeArray(record.spikes, 0, record.spikes.length);
        if (voltage != null) {
          out.writeFieldName("voltage");
          out.writeStartArray();
          for (float v : voltage) {
            out.writeNumber(v);
          }
          out.writeEndArray();
        }
        out.writeEndObject();
      }
      assertThat(EventCodec.format(record)).isEqualTo(text.toString());
    }
  }

  @Test
  void formatsSpikeLateAndDeadLetterRecords() {
    assertThat(EventCodec.format(new SpikeRecord("retina", 12, 12.0, new int[] {3, 17}, null)))
        .isEqualTo("{\"group\":\"retina\",\"step\":12,\"t\":12.0,\"spikes\":[3,17]}");
    assertThat(
            EventCodec.format(
                new SpikeRecord("r", 0, 0.5, new int[] {}, new float[] {-65.0f, -50.0f})))
        .isEqualTo(
            "{\"group\":\"r\",\"step\":0,\"t\":0.5,\"spikes\":[],\"voltage\":[-65.0,-50.0]}");
    assertThat(EventCodec.format(new DeadLetter("a \"quoted\"\tline", "malformed JSON: x")))
        .isEqualTo("{\"reason\":\"malformed JSON: x\",\"line\":\"a \\\"quoted\\\"\\tline\"}");
    InputEvent event = new InputEvent();
    event.group = "g";
    event.t = 1.5;
    event.step = 1;
    event.override = new int[] {2};
    assertThat(EventCodec.format(new LateEvent(event, "step 1 already ran (last step run: 3)")))
        .isEqualTo(
            "{\"group\":\"g\",\"step\":1,\"reason\":\"step 1 already ran (last step run: 3)\","
                + "\"event\":{\"group\":\"g\",\"t\":1.5,\"override\":[2]}}");
  }

  @org.junit.jupiter.api.Test
  void spikeRecordsFormattedIntoBytesAreTheirJsonLinesUtf8() {
    java.util.Random random = new java.util.Random(20261201L);
    String[] groups = {
      "retina",
      "a\"b\\c",
      "caf\u00e9 \u2603",
      "tab\there",
      "\u0001ctl",
      "a/b",
      "del\u007f",
      "\ud83d\ude00x"
    };
    double[] times = {0.0, -0.0, 1.0, 12.5, 1e7, 9_999_999.0, -3.0, 0.1, 1e-300, 123456789.25};
    long[] steps = {
      0,
      1,
      -1,
      42,
      Long.MAX_VALUE,
      Long.MIN_VALUE,
      1_000_000_007L,
      Integer.MAX_VALUE,
      Integer.MAX_VALUE + 1L,
      -(long) Integer.MAX_VALUE - 1
    };
    LineBuffer line = new LineBuffer();
    for (int n = 0; n < 500; n++) {
      int[] spikes = new int[random.nextInt(n % 50 == 0 ? 20_000 : 20)];
      for (int i = 0; i < spikes.length; i++) {
        spikes[i] = random.nextInt(Integer.MAX_VALUE);
      }
      float[] voltage = null;
      if (random.nextBoolean()) {
        voltage = new float[random.nextInt(10)];
        for (int i = 0; i < voltage.length; i++) {
          voltage[i] =
              switch (random.nextInt(5)) {
                case 0 -> Float.NaN;
                case 1 -> -0.0f;
                case 2 -> Float.MIN_VALUE;
                default -> (float) (random.nextGaussian() * 60);
              };
        }
      }
      SpikeRecord record =
          new SpikeRecord(
              groups[random.nextInt(groups.length)],
              steps[random.nextInt(steps.length)],
              times[random.nextInt(times.length)],
              spikes,
              voltage);
      EventCodec.format(record, line);
      assertThat(line.toBytes())
          .isEqualTo(EventCodec.format(record).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
