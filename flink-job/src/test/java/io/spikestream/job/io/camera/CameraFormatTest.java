package io.spikestream.job.io.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spikestream.job.io.aedat4.Aedat4Decoder;
import io.spikestream.job.io.csv.CsvDecoder;
import io.spikestream.job.io.dat.DatDecoder;
import io.spikestream.job.io.evt2.Evt2Decoder;
import io.spikestream.job.io.evt3.Evt3Decoder;
import io.spikestream.job.io.npy.NpyDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CameraFormatTest {

  @Test
  void shouldFindFormatsByNameIgnoringCase() {
    assertThat(CameraFormat.of("evt3")).isEqualTo(CameraFormat.EVT3);
    assertThat(CameraFormat.of(" AEDAT4 ")).isEqualTo(CameraFormat.AEDAT4);
    assertThat(CameraFormat.of("npy").displayName()).isEqualTo("NumPy .npy");
  }

  @Test
  void shouldRejectAnUnknownNameListingTheKnownOnes() {
    assertThatThrownBy(() -> CameraFormat.of("evt21"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'format' of \"evt21\" must be one of evt2, evt3, dat, aedat4, csv, npy");
  }

  @Test
  void shouldMakeTheFormatsDecoders() {
    assertThat(CameraFormat.EVT2.newDecoder(false)).isInstanceOf(Evt2Decoder.class);
    assertThat(CameraFormat.EVT3.newDecoder(true)).isInstanceOf(Evt3Decoder.class);
    assertThat(CameraFormat.DAT.newDecoder(false)).isInstanceOf(DatDecoder.class);
    assertThat(CameraFormat.AEDAT4.newDecoder(false)).isInstanceOf(Aedat4Decoder.class);
    assertThat(CameraFormat.CSV.newDecoder(false)).isInstanceOf(CsvDecoder.class);
    assertThat(CameraFormat.NPY.newDecoder(false)).isInstanceOf(NpyDecoder.class);
    assertThat(CameraFormat.EVT3.newDecoder(false))
        .isNotSameAs(CameraFormat.EVT3.newDecoder(false));
  }

  @Test
  void shouldCheckHeadersAndSayWhatAFileIsWhenItIsNotTheDeclaredFormat() throws FormatException {
    byte[] evt3 = "% evt 3.0\n% end\n".getBytes(StandardCharsets.US_ASCII);
    CameraFormat.EVT3.checkHeader(evt3, evt3.length, "x.raw");
    assertThatThrownBy(() -> CameraFormat.EVT2.checkHeader(evt3, evt3.length, "x.raw"))
        .isInstanceOf(FormatException.class)
        .hasMessage("x.raw: not an EVT 2.0 file: its header says evt 3.0");
    assertThatThrownBy(() -> CameraFormat.AEDAT4.checkHeader(evt3, evt3.length, "x.raw"))
        .hasMessage("x.raw: not an AEDAT 4.0 file: it does not start with #!AER-DAT4.0");
    assertThatThrownBy(() -> CameraFormat.NPY.checkHeader(evt3, evt3.length, "x.raw"))
        .hasMessage("x.raw: not a NumPy event array: it does not start with the magic \\x93NUMPY");
    assertThatThrownBy(() -> CameraFormat.DAT.checkHeader(evt3, evt3.length, "x.raw"))
        .hasMessage(
            "x.raw: not a DAT file of CD events: its header says evt 3.0 (a RAW recording)");
    byte[] aedat = "#!AER-DAT4.0\r\n".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> CameraFormat.CSV.checkHeader(aedat, aedat.length, "x.aedat4"))
        .hasMessage("x.aedat4: not a t,x,y,p CSV file: it is an AEDAT 4.0 file");
  }

  @Test
  void shouldValidateTheLengthArgument() {
    assertThatThrownBy(() -> CameraFormat.CSV.checkHeader(new byte[4], 5, "f"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'length' of 5 must be within 0..4 (the head's size)");
  }
}
