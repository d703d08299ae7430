package io.spikestream.job.io.aedat4;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The streams an AEDAT 4 file declares in its header's {@code infoNode}, an XML document written by
 * DV: {@code <node name="outInfo">} holds one {@code <node name="ID">} per stream, with an {@code
 * <attr key="typeIdentifier">} of {@code EVTS} (events), {@code FRME} (frames), {@code IMUS},
 * {@code TRIG} and so on, and for cameras an {@code <node name="info">} with {@code sizeX} and
 * {@code sizeY}.
 */
final class Aedat4Streams {

  /** One declared stream: its four-character type identifier and sensor size (0 if none). */
  record Stream(int id, String type, int sizeX, int sizeY) {}

  private Aedat4Streams() {}

  /**
   * Parses the info node. External entities and DTDs are refused, as the text comes from the file.
   *
   * @param xml the {@code infoNode} string
   * @return the streams by id, in document order
   * @throws IllegalArgumentException naming what is wrong, if the XML does not parse or declares no
   *     stream
   */
  static Map<Integer, Stream> parse(String xml) {
    Document document;
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setExpandEntityReferences(false);
      factory.setXIncludeAware(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      // a handler that throws and prints nothing (the default one writes to stderr)
      builder.setErrorHandler(new DefaultHandler());
      document = builder.parse(new InputSource(new StringReader(xml)));
    } catch (Exception e) {
      throw new IllegalArgumentException("its info node is not XML (" + oneLine(e) + ")");
    }
    Map<Integer, Stream> streams = new LinkedHashMap<>();
    NodeList nodes = document.getElementsByTagName("node");
    for (int i = 0; i < nodes.getLength(); i++) {
      Element outInfo = (Element) nodes.item(i);
      if (!"outInfo".equals(outInfo.getAttribute("name"))) {
        continue;
      }
      for (Node child = outInfo.getFirstChild(); child != null; child = child.getNextSibling()) {
        if (!(child instanceof Element stream) || !"node".equals(stream.getTagName())) {
          continue;
        }
        int id;
        try {
          id = Integer.parseInt(stream.getAttribute("name").trim());
        } catch (NumberFormatException e) {
          continue;
        }
        String type = attr(stream, "typeIdentifier");
        if (type == null) {
          continue;
        }
        int sizeX = 0;
        int sizeY = 0;
        for (Node info = stream.getFirstChild(); info != null; info = info.getNextSibling()) {
          if (info instanceof Element e
              && "node".equals(e.getTagName())
              && "info".equals(e.getAttribute("name"))) {
            sizeX = positive(attr(e, "sizeX"));
            sizeY = positive(attr(e, "sizeY"));
          }
        }
        streams.put(id, new Stream(id, type.trim(), sizeX, sizeY));
      }
    }
    if (streams.isEmpty()) {
      throw new IllegalArgumentException("its info node declares no stream (no outInfo entries)");
    }
    return streams;
  }

  private static String attr(Element parent, String key) {
    for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (child instanceof Element e
          && "attr".equals(e.getTagName())
          && key.equals(e.getAttribute("key"))) {
        return e.getTextContent();
      }
    }
    return null;
  }

  private static int positive(String text) {
    if (text == null) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(text.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String oneLine(Exception e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
