package dev.p2pchat.upnp.cli;

import dev.p2pchat.upnp.GatewayFinder;
import dev.p2pchat.upnp.SoapFaultException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code upnp-tool}: talks to the home router over UPnP IGD, like miniupnpc's {@code upnpc}.
 * Results go to stdout; progress, {@code -v} output and errors to stderr.
 *
 * <pre>
 * upnp/target/upnp-tool status
 * upnp/target/upnp-tool add 8080 --lease 600
 * </pre>
 *
 * <p>The {@code upnp-tool} launcher runs {@code upnp-tool.jar} with start-up flags and a
 * class-data archive (see docs/upnp.md); {@code java -jar upnp-tool.jar} works too, slower.
 */
public final class UpnpTool {
  /** Exit status: done. */
  static final int OK = 0;
  /** Exit status: the router refused, failed or could not be reached. */
  static final int FAILED = 1;
  /** Exit status: the search found no usable UPnP router. */
  static final int NO_GATEWAY = 2;
  /** Exit status: the command line is wrong (sysexits.h EX_USAGE). */
  static final int USAGE = 64;

  static final String USAGE_TEXT = String.join("\n",
      "usage: upnp-tool [options] COMMAND",
      "",
      "Talks to your router over UPnP IGD (like miniupnpc's upnpc), NAT-PMP or PCP.",
      "",
      "commands:",
      "  status                     the router, its connection, external address and NAT kind;",
      "                             with --via auto first which of PCP, NAT-PMP and UPnP",
      "                             answered, and how fast",
      "  list                       all port mappings on the router",
      "  add INTERNAL [EXTERNAL]    forward EXTERNAL (default: INTERNAL) on the router's external",
      "                             address to port INTERNAL on this machine; stays after exit",
      "      --udp                  UDP instead of TCP",
      "      --lease T              lease in seconds, 0 for permanent (default 3600)",
      "      --description TEXT     shown by list and upnpc -l (default upnp-tool)",
      "  delete EXTERNAL [--udp]    remove the mapping of port EXTERNAL (--via natpmp: of",
      "                             the mapping to this machine's port EXTERNAL)",
      "",
      "options:",
      "  --gateway URL              use the router whose description is at URL, no search",
      "                             (like upnpc -u), e.g. http://192.168.1.1:5000/rootDesc.xml",
      "  --timeout T                give up after T seconds, or T milliseconds written as 500ms",
      "                             (default 3)",
      "  --search-address IP:PORT   search by unicast to IP:PORT instead of multicast",
      "  --via auto|upnp|natpmp|pcp which protocol to use (default upnp); auto asks all three",
      "                             at once and adds with PCP, else NAT-PMP, else UPnP; list",
      "                             and delete use UPnP. With --gateway or --search-address",
      "                             (and no --pcp-address) auto is UPnP only",
      "  --pcp-address IP:PORT      send NAT-PMP and PCP to IP:PORT instead of the default",
      "                             gateway's port 5351",
      "  --no-cache                 don't try the router found last time (remembered in",
      "                             $XDG_CACHE_HOME or ~/.cache, p2p-chat/gateway) beside the search",
      "  -v, --verbose              show the exchange with the router on stderr",
      "  -h, --help                 this help",
      "  --version                  the tool's version",
      "",
      "Results go to stdout; progress, -v output and errors to stderr.",
      "Exit status: 0 done, 1 the router refused or failed, 2 no usable router found,",
      "64 bad command line.",
      "",
      "Start it with the upnp-tool script next to upnp-tool.jar (mvn package builds both):",
      "its JVM flags and class-data archive take about a third off the time of",
      "java -jar upnp-tool.jar.",
      "");

  private UpnpTool() {}

  public static void main(String[] args) {
    try {
      Options options = Options.parse(args);
      Logging.configure(options.verbose());
    } catch (Options.UsageException e) {
      // run() reports it
    }
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true,
        StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
        StandardCharsets.UTF_8);
    int status = run(args, out, err, System.console() != null, GatewayFinder.userCacheFile());
    out.flush();
    err.flush();
    System.exit(status);
  }

  /**
   * Runs one command line and returns the exit status; never throws and never exits.
   *
   * @param progress whether to tell people on {@code err} what is going on (a terminal is there)
   * @param cacheFile where the router found is remembered between runs, or null for nowhere
   */
  static int run(String[] args, PrintStream out, PrintStream err, boolean progress,
      Path cacheFile) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (Options.UsageException e) {
      err.println("error: " + e.getMessage() + " (see --help)");
      return USAGE;
    }
    switch (options.command()) {
      case "help" -> {
        out.print(USAGE_TEXT);
        return OK;
      }
      case "version" -> {
        out.println("upnp-tool " + version());
        return OK;
      }
      default -> { }
    }
    try {
      return new Commands(options, out, err, progress || options.verbose(),
          options.noCache() ? null : cacheFile).execute();
    } catch (SoapFaultException e) {
      err.println("error: " + Commands.explain(e, options));
      return FAILED;
    } catch (IOException e) {
      err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return FAILED;
    } catch (RuntimeException e) {
      err.println("error: unexpected " + e); // a bug of ours: say what, without a stack trace
      return FAILED;
    }
  }

  private static String version() {
    String version = UpnpTool.class.getPackage().getImplementationVersion();
    return version == null ? "(development build)" : version;
  }
}
