package io.spikestream.job.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class PlotCommandTest {

  @TempDir Path dir;
  Path run;
  Path png;

  @BeforeEach
  void writeRun() throws Exception {
    run = dir.resolve("run");
    SpikeRuns.write(run, 2, 7, SpikePlotTest.run());
    png = dir.resolve("plot.png");
  }

  record Result(int code, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  static Result execute(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new PlotCommand());
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int code = command.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void writesThePngAndSvgAndSaysSo() throws Exception {
    Path svg = dir.resolve("plot.svg");
    Result result =
        execute(
            "--output",
            run.toString(),
            "--png",
            png.toString(),
            "--svg",
            svg.toString(),
            "--group",
            "v1",
            "--steps",
            "0:39",
            "--width",
            "900",
            "--height",
            "700");
    assertThat(result.code()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out().lines().toList())
        .singleElement()
        .asString()
        .startsWith("wrote " + png + " and " + svg + ": 40 records, 6 spikes, 6 marks, ");
    var image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(900);
    assertThat(image.getHeight()).isEqualTo(700);
    assertThat(Files.readString(svg)).startsWith("<?xml").contains("<svg");
  }

  @Test
  void helpListsTheOptions() {
    Result result = execute("--help");
    assertThat(result.code()).isZero();
    assertThat(result.out())
        .contains("Usage: plot", "--output=DIR", "--png=FILE", "--svg=FILE", "--group=ID")
        .contains("--steps=A:B", "--neurons=I,J,...", "--traces=K", "--width=PX", "--height=PX");
  }

  /** A user error: its one line on stderr, exit code 2, no file written. */
  static Stream<Arguments> userErrors() {
    List<Arguments> cases = new ArrayList<>();
    cases.add(
        error(
            "missing output directory",
            (d, r, p) -> List.of("--output", d.resolve("nowhere").toString(), "--png", p),
            (d, r, p) -> "'--output' directory '" + d.resolve("nowhere") + "' does not exist"));
    cases.add(
        error(
            "output is a file",
            (d, r, p) ->
                List.of("--output", r.resolve("spikes").resolve(partName()).toString(), "--png", p),
            (d, r, p) ->
                "'--output' '" + r.resolve("spikes").resolve(partName()) + "' is not a directory"));
    cases.add(
        error(
            "no spikes directory",
            (d, r, p) -> List.of("--output", d.toString(), "--png", p),
            (d, r, p) -> "'--output' directory '" + d + "' has no spikes/ directory"));
    cases.add(
        error(
            "unknown group",
            (d, r, p) -> List.of("--output", r.toString(), "--png", p, "--group", "lgn"),
            (d, r, p) -> "'--group' 'lgn' is not a group of the run (its groups: retina, v1)"));
    for (String steps : List.of("5:2", "x", "3", "-1:4", "1:")) {
      cases.add(
          error(
              "bad steps " + steps,
              (d, r, p) -> List.of("--output", r.toString(), "--png", p, "--steps", steps),
              (d, r, p) ->
                  "'--steps' of '" + steps + "' must be A:B, two step numbers with 0 <= A <= B"));
    }
    cases.add(
        error(
            "steps without records",
            (d, r, p) -> List.of("--output", r.toString(), "--png", p, "--steps", "500:600"),
            (d, r, p) -> "'--steps' 500:600 holds no records of the run, whose steps are 0 to 79"));
    cases.add(
        error(
            "steps without records of the group",
            (d, r, p) ->
                List.of(
                    "--output", r.toString(), "--png", p, "--steps", "60:70", "--group", "retina"),
            (d, r, p) ->
                "'--steps' 60:70 holds no records of group 'retina', whose steps are 0 to 49"));
    cases.add(
        error(
            "png in a missing directory",
            (d, r, p) ->
                List.of("--output", r.toString(), "--png", d.resolve("no/plot.png").toString()),
            (d, r, p) ->
                "'--png' '"
                    + d.resolve("no/plot.png")
                    + "' cannot be written: directory '"
                    + d.resolve("no")
                    + "' does not exist"));
    cases.add(
        error(
            "png is a directory",
            (d, r, p) -> List.of("--output", r.toString(), "--png", d.toString()),
            (d, r, p) -> "'--png' '" + d + "' cannot be written: it is a directory"));
    cases.add(
        error(
            "png under a file",
            (d, r, p) ->
                List.of(
                    "--output",
                    r.toString(),
                    "--png",
                    r.resolve("spikes").resolve(partName()).resolve("plot.png").toString()),
            (d, r, p) ->
                "'--png' '"
                    + r.resolve("spikes").resolve(partName()).resolve("plot.png")
                    + "' cannot be written: '"
                    + r.resolve("spikes").resolve(partName())
                    + "' is not a directory"));
    cases.add(
        error(
            "svg unwritable",
            (d, r, p) ->
                List.of(
                    "--output",
                    r.toString(),
                    "--png",
                    p,
                    "--svg",
                    d.resolve("no/p.svg").toString()),
            (d, r, p) ->
                "'--svg' '"
                    + d.resolve("no/p.svg")
                    + "' cannot be written: directory '"
                    + d.resolve("no")
                    + "' does not exist"));
    cases.add(
        error(
            "neuron out of range",
            (d, r, p) -> List.of("--output", r.toString(), "--png", p, "--neurons", "2,8"),
            (d, r, p) -> "'--neurons' index 8 is out of range [0, 8) of group 'v1'"));
    cases.add(
        error(
            "neurons not indices",
            (d, r, p) -> List.of("--output", r.toString(), "--png", p, "--neurons", "2,x"),
            (d, r, p) -> "'--neurons' of '2,x' must be flat indices separated by commas"));
    cases.add(
        error(
            "negative neuron",
            (d, r, p) -> List.of("--output", r.toString(), "--png", p, "--neurons", "-3"),
            (d, r, p) -> "'--neurons' index -3 must be >= 0"));
    cases.add(
        error(
            "too many neurons",
            (d, r, p) ->
                List.of("--output", r.toString(), "--png", p, "--neurons", "0,1,2,3,4,5,6,7,0,1,2"),
            (d, r, p) -> "'--neurons' names 11 neurons, at most 10 are traced"));
    cases.add(
        error(
            "neurons without voltages",
            (d, r, p) ->
                List.of(
                    "--output", r.toString(), "--png", p, "--neurons", "1", "--group", "retina"),
            (d, r, p) ->
                "'--neurons' 1 asks for voltage traces, but no record of group 'retina' in these"
                    + " steps carries voltages (the job writes them with --emit-voltage)"));
    cases.add(
        error(
            "too many traces",
            (d, r, p) -> List.of("--output", r.toString(), "--png", p, "--traces", "11"),
            (d, r, p) -> "'--traces' of 11 must be between 0 and 10"));
    cases.add(
        error(
            "too narrow",
            (d, r, p) -> List.of("--output", r.toString(), "--png", p, "--width", "50"),
            (d, r, p) -> "'--width' of 50 must be between 200 and 8000"));
    cases.add(
        error(
            "too tall",
            (d, r, p) -> List.of("--output", r.toString(), "--png", p, "--height", "9000"),
            (d, r, p) ->
                "'--height' of 9000 must be 0 (sized by the panels) or between 200 and 8000"));
    return cases.stream();
  }

  /** The arguments of a case, from the temporary directory, the run and the PNG path. */
  interface Args {
    List<String> of(Path dir, Path run, String png);
  }

  /** The expected message of a case, without the "plot: " prefix. */
  interface Message {
    String of(Path dir, Path run, String png);
  }

  static String partName() {
    return SpikeRuns.partName(0, 0);
  }

  static Arguments error(String name, Args args, Message message) {
    return Arguments.of(name, args, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("userErrors")
  void aUserErrorIsOneLineAndExitCode2(String name, Args args, Message message) {
    Result result = execute(args.of(dir, run, png.toString()).toArray(String[]::new));
    assertThat(result.code()).as(name).isEqualTo(PlotCommand.USER_ERROR);
    assertThat(result.errLines()).as(name).containsExactly("plot: " + message.of(dir, run, null));
    assertThat(result.out()).isEmpty();
    assertThat(png).doesNotExist();
  }

  @Test
  void aRunWithoutCommittedRecordsIsAnError() throws Exception {
    Path empty = dir.resolve("empty");
    Path spikes = Files.createDirectories(empty.resolve("spikes"));
    SpikeRuns.writeInProgress(spikes, SpikePlotTest.run());
    Result result = execute("--output", empty.toString(), "--png", png.toString());
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.errLines())
        .containsExactly(
            "plot: '--output' directory '" + empty + "' has no committed spike records in spikes/");
  }

  @Test
  void aMalformedRecordIsNamedByFileAndLine() throws Exception {
    Path part = run.resolve("spikes").resolve(SpikeRuns.partName(1, 5));
    Files.writeString(
        part,
        "{\"group\":\"v1\",\"step\":0,\"t\":5.0,\"spikes\":[]}\n{\"group\":\"v1\",\"step\"\n");
    Result result = execute("--output", run.toString(), "--png", png.toString());
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.errLines())
        .singleElement()
        .asString()
        .startsWith("plot: spike record at '" + part + "' line 2: malformed JSON: ");
  }

  @Test
  void aSyntaxErrorIsPicocliSAndExitCode2() {
    Result result = execute("--output", run.toString());
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.errLines().get(0)).contains("Missing required option", "--png");
  }
}
