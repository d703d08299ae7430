package io.spikestream.job.io;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;

/**
 * Hands out a file source's splits in the natural order of their paths ({@code events-2} before
 * {@code events-10}), the first part of a file before the next: a reader that asks for its next
 * file gets the earliest one not yet read.
 *
 * <p>Why: a reader's watermark follows the events it has read, so a reader that reads a later file
 * first makes every event of an earlier file it reads after it late. Flink's default assigner
 * (locality-aware) does not order the files by name: in a bounded read of two files at parallelism
 * 2, one reader was given the second file, read it while the other reader was still starting, then
 * was given the first, and all of that file's events were late. With the files handed out by name,
 * files whose names follow their event time are read by each reader in event-time order, however
 * many readers there are and however late they start.
 */
public final class NameOrderAssigner implements FileSplitAssigner {

  /** Natural path order, then position in the file. */
  static final Comparator<FileSourceSplit> ORDER =
      Comparator.<FileSourceSplit, String>comparing(
              split -> split.path().toString(), NameOrderAssigner::compareNames)
          .thenComparingLong(FileSourceSplit::offset);

  private final PriorityQueue<FileSourceSplit> splits = new PriorityQueue<>(ORDER);

  /**
   * @param splits the splits to hand out
   */
  public NameOrderAssigner(Collection<FileSourceSplit> splits) {
    this.splits.addAll(splits);
  }

  /** The provider for {@code FileSource.FileSourceBuilder#setSplitAssigner}. */
  public static FileSplitAssigner.Provider provider() {
    return NameOrderAssigner::new;
  }

  /**
   * The earliest split not yet handed out; the host is not considered (files are read from a shared
   * file system or a local directory).
   *
   * @param hostname the requesting reader's host, or null
   * @return the split, or empty if none is left
   */
  @Override
  public Optional<FileSourceSplit> getNext(String hostname) {
    return Optional.ofNullable(splits.poll());
  }

  /**
   * Adds splits: new files of a watched directory, or splits given back by a failed reader, which
   * are handed out again in their place in the order.
   *
   * @param newSplits the splits
   */
  @Override
  public void addSplits(Collection<FileSourceSplit> newSplits) {
    splits.addAll(newSplits);
  }

  /**
   * The splits not yet handed out, in the order they will be (for the enumerator's checkpoints).
   *
   * @return a copy of them
   */
  @Override
  public Collection<FileSourceSplit> remainingSplits() {
    List<FileSourceSplit> remaining = new ArrayList<>(splits);
    remaining.sort(ORDER);
    return remaining;
  }

  /**
   * Natural order of names: runs of digits compare as numbers ({@code 2 < 10}), everything else
   * character by character; of two names equal that way, the one with fewer leading zeros comes
   * first, then plain string order decides, so that the order is total.
   *
   * @param a a name
   * @param b another name
   * @return negative, zero or positive as {@code a} comes before, with or after {@code b}
   */
  static int compareNames(String a, String b) {
    int i = 0;
    int j = 0;
    int zeros = 0;
    while (i < a.length() && j < b.length()) {
      char ca = a.charAt(i);
      char cb = b.charAt(j);
      if (isDigit(ca) && isDigit(cb)) {
        int startA = i;
        int startB = j;
        while (i < a.length() && a.charAt(i) == '0') {
          i++;
        }
        while (j < b.length() && b.charAt(j) == '0') {
          j++;
        }
        if (zeros == 0) {
          zeros = Integer.compare(i - startA, j - startB);
        }
        int endA = i;
        int endB = j;
        while (endA < a.length() && isDigit(a.charAt(endA))) {
          endA++;
        }
        while (endB < b.length() && isDigit(b.charAt(endB))) {
          endB++;
        }
        // without leading zeros, the longer number is the larger; of equal length, the first
        // differing digit decides
        int byLength = Integer.compare(endA - i, endB - j);
        if (byLength != 0) {
          return byLength;
        }
        for (; i < endA; i++, j++) {
          if (a.charAt(i) != b.charAt(j)) {
            return Character.compare(a.charAt(i), b.charAt(j));
          }
        }
      } else {
        if (ca != cb) {
          return Character.compare(ca, cb);
        }
        i++;
        j++;
      }
    }
    int byRest = Integer.compare(a.length() - i, b.length() - j);
    if (byRest != 0) {
      return byRest;
    }
    return zeros != 0 ? zeros : a.compareTo(b);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
