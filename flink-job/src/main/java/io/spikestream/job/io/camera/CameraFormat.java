package io.spikestream.job.io.camera;

import io.spikestream.job.io.aedat4.Aedat4Decoder;
import io.spikestream.job.io.csv.CsvDecoder;
import io.spikestream.job.io.dat.DatDecoder;
import io.spikestream.job.io.evt2.Evt2Decoder;
import io.spikestream.job.io.evt3.Evt3Decoder;
import io.spikestream.job.io.npy.NpyDecoder;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The event-camera stream formats Spikestream reads, each with a factory of decoders and a check of
 * a file's first bytes. What each format's decoder reads, reports as damage and skips is written on
 * its decoder class; {@code docs/camera-formats.md} sums them up.
 */
public enum CameraFormat {
  /** Prophesee EVT 2.0 ({@code .raw}, 32-bit words; Gen3 sensors). */
  EVT2("evt2", "EVT 2.0") {
    @Override
    public AddressEventDecoder newDecoder(boolean recordValue) {
      return new Evt2Decoder(recordValue);
    }

    @Override
    void check(byte[] head, int length, String source) throws FormatException {
      Evt2Decoder.checkHeader(head, length, source);
    }
  },
  /** Prophesee EVT 3.0 ({@code .raw}, 16-bit vectorised words; the IMX636's default). */
  EVT3("evt3", "EVT 3.0") {
    @Override
    public AddressEventDecoder newDecoder(boolean recordValue) {
      return new Evt3Decoder(recordValue);
    }

    @Override
    void check(byte[] head, int length, String source) throws FormatException {
      Evt3Decoder.checkHeader(head, length, source);
    }
  },
  /** Prophesee DAT ({@code .dat}, decoded 8-byte CD events). */
  DAT("dat", "DAT") {
    @Override
    public AddressEventDecoder newDecoder(boolean recordValue) {
      return new DatDecoder(recordValue);
    }

    @Override
    void check(byte[] head, int length, String source) throws FormatException {
      DatDecoder.checkHeader(head, length, source);
    }
  },
  /** iniVation AEDAT 4.0 ({@code .aedat4}; DVXplorer, DAVIS). */
  AEDAT4("aedat4", "AEDAT 4.0") {
    @Override
    public AddressEventDecoder newDecoder(boolean recordValue) {
      return new Aedat4Decoder(recordValue);
    }

    @Override
    void check(byte[] head, int length, String source) throws FormatException {
      Aedat4Decoder.checkHeader(head, length, source);
    }
  },
  /** Comma-separated {@code t,x,y,p} lines (aestream, tonic). */
  CSV("csv", "CSV") {
    @Override
    public AddressEventDecoder newDecoder(boolean recordValue) {
      return new CsvDecoder(recordValue);
    }

    @Override
    void check(byte[] head, int length, String source) throws FormatException {
      CsvDecoder.checkHeader(head, length, source);
    }
  },
  /** NumPy {@code .npy} structured arrays with fields t, x, y, p (tonic, expelliarmus). */
  NPY("npy", "NumPy .npy") {
    @Override
    public AddressEventDecoder newDecoder(boolean recordValue) {
      return new NpyDecoder(recordValue);
    }

    @Override
    void check(byte[] head, int length, String source) throws FormatException {
      NpyDecoder.checkHeader(head, length, source);
    }
  };

  /**
   * How many of a file's first bytes {@link #checkHeader} looks at, at most: pass this many (or the
   * whole file if shorter).
   */
  public static final int HEADER_CHECK_BYTES = 64 * 1024;

  private final String formatName;
  private final String displayName;

  CameraFormat(String formatName, String displayName) {
    this.formatName = formatName;
    this.displayName = displayName;
  }

  /**
   * The format's name as options spell it, e.g. {@code "evt3"}.
   *
   * @return the lower-case name
   */
  public String formatName() {
    return formatName;
  }

  /**
   * The format's name for people, e.g. {@code "EVT 3.0"}.
   *
   * @return the display name
   */
  public String displayName() {
    return displayName;
  }

  /**
   * The format of a name, ignoring case and surrounding blanks: {@code "evt3"} is {@link #EVT3}.
   *
   * @param name one of evt2, evt3, dat, aedat4, csv, npy
   * @return the format
   * @throws IllegalArgumentException naming the known formats, if {@code name} is none of them
   */
  public static CameraFormat of(String name) {
    Objects.requireNonNull(name, "name");
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    for (CameraFormat format : values()) {
      if (format.formatName.equals(wanted)) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "'format' of \""
            + name
            + "\" must be one of "
            + Arrays.stream(values()).map(f -> f.formatName).collect(Collectors.joining(", ")));
  }

  /**
   * A new decoder, for one stream.
   *
   * @param recordValue false for a whole file (its header read as the format defines); true for one
   *     self-contained Kafka record value: EVT 2.0 and EVT 3.0 words without header, starting with
   *     a time-high word; DAT 8-byte events without header or type bytes; AEDAT 4 and NumPy a
   *     complete small file; CSV whole lines, header optional
   * @return a fresh decoder
   */
  public abstract AddressEventDecoder newDecoder(boolean recordValue);

  /**
   * Checks the first bytes of a file against this format.
   *
   * @param head the file's first bytes
   * @param length how many of them are valid: up to {@link #HEADER_CHECK_BYTES}, or the whole file
   *     if shorter; 0 &le; length &le; head.length
   * @param source names the file in the message, e.g. its path
   * @throws FormatException with a one-line message naming {@code source} and what is wrong, e.g.
   *     {@code "a.raw: not an EVT 3.0 file: its header says evt 2.0"}, when the file is not of this
   *     format at all
   * @throws IllegalArgumentException if {@code length} is outside 0..head.length
   */
  public void checkHeader(byte[] head, int length, String source) throws FormatException {
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(source, "source");
    if (length < 0 || length > head.length) {
      throw new IllegalArgumentException(
          "'length' of " + length + " must be within 0.." + head.length + " (the head's size)");
    }
    check(head, Math.min(length, HEADER_CHECK_BYTES), source);
  }

  abstract void check(byte[] head, int length, String source) throws FormatException;
}
