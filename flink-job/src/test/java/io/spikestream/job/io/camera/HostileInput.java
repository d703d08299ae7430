package io.spikestream.job.io.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Test helper: the checks every decoder must pass on hostile input. None may throw, all must end,
 * positions must lie in the stream, events before damage must be kept, and the result must not
 * depend on how the bytes were split.
 */
public final class HostileInput {

  private HostileInput() {}

  /**
   * Truncates {@code valid} at every byte: each prefix decodes without exception to a prefix of the
   * whole stream's events, with damage positions inside the prefix.
   */
  public static void truncatedAtEveryByte(Supplier<AddressEventDecoder> decoders, byte[] valid) {
    truncatedAtEveryByte(decoders, valid, false);
  }

  /**
   * As {@link #truncatedAtEveryByte(Supplier, byte[])}, for formats (CSV) whose last record needs
   * no terminator: there a cut inside the last number leaves a shorter, valid number, so the last
   * event of a cut stream may differ from the whole stream's when {@code lastMayDiffer}.
   */
  public static void truncatedAtEveryByte(
      Supplier<AddressEventDecoder> decoders, byte[] valid, boolean lastMayDiffer) {
    RecordedEvents full = Decoding.whole(decoders.get(), valid);
    assertThat(full.damages()).as("damage in the valid stream").isEmpty();
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          for (int length = 0; length <= valid.length; length++) {
            byte[] prefix = Arrays.copyOf(valid, length);
            RecordedEvents got = Decoding.whole(decoders.get(), prefix);
            List<RecordedEvents.Event> events = got.events();
            if (lastMayDiffer && !events.isEmpty() && length < valid.length) {
              events = events.subList(0, events.size() - 1);
            }
            assertThat(events)
                .as("events of the stream cut at %d of %d bytes", length, valid.length)
                .isEqualTo(full.events().subList(0, Math.min(events.size(), full.events().size())));
            assertSane(got, length);
          }
        });
  }

  /**
   * Decodes random garbage of several sizes and seeds: no exception, sane positions, the same
   * result whole and split.
   */
  public static void randomGarbage(Supplier<AddressEventDecoder> decoders, long seed) {
    System.out.println("random garbage, seed " + seed);
    Random random = new Random(seed);
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          for (int trial = 0; trial < 40; trial++) {
            byte[] garbage = new byte[random.nextInt(5000)];
            random.nextBytes(garbage);
            checkConsistent(decoders, garbage, random.nextLong());
          }
        });
  }

  /**
   * Flips a few random bytes of {@code valid} many times, and splices garbage into it: no
   * exception, sane positions, the same result whole and split.
   */
  public static void flippedBytes(Supplier<AddressEventDecoder> decoders, byte[] valid, long seed) {
    System.out.println("flipped bytes, seed " + seed);
    Random random = new Random(seed);
    assertTimeoutPreemptively(
        Duration.ofSeconds(120),
        () -> {
          for (int trial = 0; trial < 150; trial++) {
            byte[] damaged = valid.clone();
            int flips = 1 + random.nextInt(6);
            for (int f = 0; f < flips && damaged.length > 0; f++) {
              int at = random.nextInt(damaged.length);
              damaged[at] = (byte) (random.nextBoolean() ? ~damaged[at] : random.nextInt(256));
            }
            checkConsistent(decoders, damaged, random.nextLong());
          }
          for (int trial = 0; trial < 30; trial++) {
            int at = random.nextInt(valid.length + 1);
            byte[] garbage = new byte[1 + random.nextInt(64)];
            random.nextBytes(garbage);
            byte[] spliced = new byte[valid.length + garbage.length];
            System.arraycopy(valid, 0, spliced, 0, at);
            System.arraycopy(garbage, 0, spliced, at, garbage.length);
            System.arraycopy(valid, at, spliced, at + garbage.length, valid.length - at);
            checkConsistent(decoders, spliced, random.nextLong());
          }
        });
  }

  private static void checkConsistent(
      Supplier<AddressEventDecoder> decoders, byte[] bytes, long splitSeed) {
    RecordedEvents whole = Decoding.whole(decoders.get(), bytes);
    assertSane(whole, bytes.length);
    RecordedEvents split = Decoding.randomSplits(decoders.get(), bytes, splitSeed, 20);
    assertThat(split.events()).as("events, split vs whole").isEqualTo(whole.events());
    assertThat(split.damages()).as("damage, split vs whole").isEqualTo(whole.damages());
  }

  /** Positions inside the stream, events in stream order, reasons present. */
  public static void assertSane(RecordedEvents got, long length) {
    long previous = -1;
    for (long position : got.positions()) {
      assertThat(position).as("event position").isBetween(0L, length - 1);
      assertThat(position).as("event positions in stream order").isGreaterThanOrEqualTo(previous);
      previous = position;
    }
    for (RecordedEvents.Damage damage : got.damages()) {
      assertThat(damage.position()).as("damage position of %s", damage).isBetween(0L, length);
      assertThat(damage.reason()).as("damage reason").isNotBlank();
    }
    for (RecordedEvents.Event event : got.events()) {
      assertThat(event.x()).as("x of %s", event).isNotNegative();
      assertThat(event.y()).as("y of %s", event).isNotNegative();
      assertThat(event.p()).as("polarity of %s", event).isBetween(0, 1);
    }
  }
}
