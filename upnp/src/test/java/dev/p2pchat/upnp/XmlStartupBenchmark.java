package dev.p2pchat.upnp;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdom2.input.SAXBuilder;
import org.jdom2.input.sax.XMLReaders;
import org.xml.sax.SAXException;

/**
 * What the XML parser costs a fresh JVM: CPU and wall time of a process that parses one IGD
 * description with {@link Xml#parse} (jdom2 over the JDK's StAX parser), next to the hardened
 * jdom2 SAXBuilder over JAXP that Xml used before, and an empty main as the JVM floor. Runs are
 * interleaved; CPU is user + system from bash's {@code times}. Nothing touches the network.
 *
 * <pre>
 * mvn -B -q -o -pl upnp -am test-compile &amp;&amp; java -cp "upnp/target/classes:upnp/target/test-classes:\
 * $HOME/.m2/repository/org/jdom/jdom2/2.0.6.1/jdom2-2.0.6.1.jar:\
 * $HOME/.m2/repository/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar" \
 * dev.p2pchat.upnp.XmlStartupBenchmark [RUNS=20]
 * </pre>
 */
public final class XmlStartupBenchmark {
  private static final Pattern CHILD_TIMES =
      Pattern.compile("\\n(\\d+)m([0-9.]+)s (\\d+)m([0-9.]+)s\\s*$");
  private static final byte[] DESCRIPTION = ("<?xml version=\"1.0\"?>\n"
      + "<root xmlns=\"urn:schemas-upnp-org:device-1-0\"><specVersion><major>1</major>"
      + "<minor>1</minor></specVersion><device>"
      + "<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:2</deviceType>"
      + "<friendlyName>Router</friendlyName><deviceList><device>"
      + "<deviceType>urn:schemas-upnp-org:device:WANDevice:2</deviceType><deviceList><device>"
      + "<deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:2</deviceType>"
      + "<serviceList><service>"
      + "<serviceType>urn:schemas-upnp-org:service:WANIPConnection:2</serviceType>"
      + "<serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>"
      + "<controlURL>/ctl/IPConn</controlURL><eventSubURL>/evt/IPConn</eventSubURL>"
      + "<SCPDURL>/WANIPCn.xml</SCPDURL></service></serviceList>"
      + "</device></deviceList></device></deviceList></device></root>")
      .getBytes(StandardCharsets.UTF_8);

  private XmlStartupBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("parse")) {
      parseOnce(args[1]);
      return;
    }
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Map<String, List<double[]>> results = new LinkedHashMap<>();
    for (String mode : List.of("empty", "sax", "stax")) results.put(mode, new ArrayList<>());
    for (int i = 0; i < runs; i++) {
      for (Map.Entry<String, List<double[]>> e : results.entrySet()) e.getValue().add(run(e.getKey()));
    }
    System.out.printf("XML parser start-up: a fresh JVM parsing one IGD description, %d runs each,"
        + " interleaved; median ms%n", runs);
    double saxCpu = median(results.get("sax"), 1);
    for (Map.Entry<String, List<double[]>> e : results.entrySet()) {
      double cpu = median(e.getValue(), 1);
      System.out.printf("  %-45s wall %6.1f   CPU %6.1f   %.2fx sax CPU%n", label(e.getKey()),
          median(e.getValue(), 0), cpu, cpu / saxCpu);
    }
  }

  private static String label(String mode) {
    return switch (mode) {
      case "empty" -> "floor: empty main";
      case "sax" -> "jdom2 SAXBuilder over JAXP (before)";
      default -> "Xml.parse: jdom2 over the JDK's StAX (now)";
    };
  }

  private static void parseOnce(String mode) throws Exception {
    int children = switch (mode) {
      case "empty" -> 0;
      case "sax" -> hardenedSaxBuilder().build(new ByteArrayInputStream(DESCRIPTION))
          .getRootElement().getChildren().size();
      default -> Xml.parse(DESCRIPTION).getChildren().size();
    };
    if (!mode.equals("empty") && children != 2) throw new AssertionError(mode + ": " + children);
  }

  /** Xml's parser before it moved to StAX, feature for feature. */
  private static SAXBuilder hardenedSaxBuilder() {
    SAXBuilder builder = new SAXBuilder(XMLReaders.NONVALIDATING);
    builder.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    builder.setFeature("http://xml.org/sax/features/external-general-entities", false);
    builder.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    builder.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    builder.setExpandEntities(false);
    builder.setEntityResolver((publicId, systemId) -> {
      throw new SAXException("refusing to load external entity " + systemId);
    });
    return builder;
  }

  /** One process; wall ms and CPU ms. */
  private static double[] run(String mode) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder("bash", "-c", "\"$@\"; s=$?; times >&2; exit $s", "bash",
        java, "-cp", System.getProperty("java.class.path"), XmlStartupBenchmark.class.getName(),
        "parse", mode).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    long start = System.nanoTime();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(mode + " failed: " + err);
    }
    double wall = (System.nanoTime() - start) / 1e6;
    Matcher t = CHILD_TIMES.matcher(err);
    if (!t.find()) throw new IllegalStateException("no times from bash: " + err);
    double cpu = 60_000 * (Double.parseDouble(t.group(1)) + Double.parseDouble(t.group(3)))
        + 1000 * (Double.parseDouble(t.group(2)) + Double.parseDouble(t.group(4)));
    return new double[] {wall, cpu};
  }

  private static double median(List<double[]> rows, int column) {
    double[] values = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }
}
