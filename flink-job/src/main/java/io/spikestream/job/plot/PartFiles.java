package io.spikestream.job.plot;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The committed part files of a run's {@code spikes/}, and reading them on several threads: each
 * thread takes the next unread file (the largest first, to finish together) and hands its records
 * to its own handler, which the caller merges. Parsing is nearly all the work, and part files are
 * independent, so a run of several files reads about as many times faster as there are cores.
 */
final class PartFiles {

  private PartFiles() {}

  /**
   * @param output the run's output directory
   * @return the committed part files of its {@code spikes/} ({@code part-*}), in name order
   * @throws PlotException if the directory does not exist, is not one, has no {@code spikes/}, or
   *     cannot be listed
   */
  static List<Path> list(Path output) throws PlotException {
    if (!Files.exists(output)) {
      throw new PlotException("'--output' directory '" + output + "' does not exist");
    }
    if (!Files.isDirectory(output)) {
      throw new PlotException("'--output' '" + output + "' is not a directory");
    }
    Path spikes = output.resolve("spikes");
    if (!Files.isDirectory(spikes)) {
      throw new PlotException("'--output' directory '" + output + "' has no spikes/ directory");
    }
    List<Path> files = new ArrayList<>();
    // committed files only: in-progress ones are hidden (".part-...inprogress...") and still grow
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(spikes, "part-*")) {
      for (Path entry : entries) {
        if (Files.isRegularFile(entry)) {
          files.add(entry);
        }
      }
    } catch (IOException e) {
      throw new PlotException("cannot read '" + spikes + "': " + e);
    }
    files.sort(null);
    return files;
  }

  /**
   * Reads every file into one of {@code min(threads, files)} handlers.
   *
   * @param files the part files
   * @param threads the most threads to read on, >= 1
   * @param handlers makes a handler per thread
   * @return the handlers, each having seen some of the files; all records were seen once
   * @throws PlotException of the first bad file in name order
   */
  static <H extends SpikeRecordReader.Handler> List<H> read(
      List<Path> files, int threads, Supplier<H> handlers) throws PlotException {
    int n = Math.max(1, Math.min(threads, files.size()));
    List<H> readers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      readers.add(handlers.get());
    }
    if (n == 1) {
      for (Path file : files) {
        SpikeRecordReader.read(file, readers.get(0));
      }
      return readers;
    }
    List<Integer> order = new ArrayList<>();
    long[] sizes = new long[files.size()];
    for (int i = 0; i < files.size(); i++) {
      order.add(i);
      sizes[i] = files.get(i).toFile().length();
    }
    order.sort(Comparator.comparingLong((Integer i) -> sizes[i]).reversed());
    AtomicInteger next = new AtomicInteger();
    // files after the first bad one in name order are skipped, those before it still read: the
    // error reported is the same whatever the threads' timing
    AtomicInteger firstBad = new AtomicInteger(Integer.MAX_VALUE);
    PlotException[] errors = new PlotException[files.size()];
    ExecutorService pool =
        Executors.newFixedThreadPool(
            n,
            task -> {
              Thread thread = new Thread(task, "plot-reader");
              thread.setDaemon(true); // never keeps the command's JVM alive
              return thread;
            });
    try {
      List<Future<?>> running = new ArrayList<>();
      for (H reader : readers) {
        running.add(
            pool.submit(
                () -> {
                  int at;
                  while ((at = next.getAndIncrement()) < order.size()) {
                    int file = order.get(at);
                    if (file > firstBad.get()) {
                      continue;
                    }
                    try {
                      SpikeRecordReader.read(files.get(file), reader);
                    } catch (PlotException e) {
                      errors[file] = e;
                      firstBad.accumulateAndGet(file, Math::min);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> task : running) {
        task.get();
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw (Error) e.getCause(); // the tasks throw nothing checked
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlotException("interrupted while reading the part files");
    } finally {
      pool.shutdownNow();
    }
    if (firstBad.get() < files.size()) {
      throw errors[firstBad.get()];
    }
    return readers;
  }
}
