package dev.p2pchat.upnp.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.lab.Host;
import dev.p2pchat.lab.Lab;
import dev.p2pchat.lab.LabExtension;
import dev.p2pchat.lab.RunningProcess;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The library's PortMapping lifecycle inside home A, against router A's real miniupnpd. */
@ExtendWith(LabExtension.class)
class PortMappingIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void mappingComesBackAfterARouterRestartAndCloseDeletesIt(Lab lab) throws Exception {
    Host hostA = lab.homeA().host();
    int port = 40200;
    String mapped = "TCP +" + port + "->192\\.168\\.1\\.10:" + port + " +'"
        + HoldMapping.DESCRIPTION + "'";
    try (RunningProcess holder = hold(hostA, port)) {
      assertEquals("mapped " + lab.homeA().router().wanAddress() + ":" + port,
          holder.awaitLine(line -> line.startsWith("mapped "), TIMEOUT));
      assertTrue(listed(lab, mapped), UpnpToolIT.upnpcList(lab));

      long restarted = System.nanoTime();
      lab.homeA().router().restart();
      assertEquals("restored " + port,
          holder.awaitLine(line -> line.startsWith("restored "), Duration.ofSeconds(10)));
      long restoredMs = (System.nanoTime() - restarted) / 1_000_000;
      assertTrue(listed(lab, mapped), UpnpToolIT.upnpcList(lab));
      assertTrue(restoredMs < 5_000, "restored after " + restoredMs + " ms");

      holder.writeLine("close");
      holder.awaitLine(line -> line.equals("closed"), TIMEOUT);
      assertEquals(0, exitStatus(holder));
      String listed = UpnpToolIT.upnpcList(lab);
      assertFalse(listed.contains(HoldMapping.DESCRIPTION), listed + "\nholder: "
          + holder.seen());
    }
  }

  @Test
  void terminatedHolderDeletesItsMappingOnTheWayOut(Lab lab) throws Exception {
    int port = 40201;
    try (RunningProcess holder = hold(lab.homeA().host(), port)) {
      holder.awaitLine(line -> line.startsWith("mapped "), TIMEOUT);
      assertTrue(UpnpToolIT.upnpcList(lab).contains("'" + HoldMapping.DESCRIPTION + "'"));

      // SIGTERM alone: Process.destroy() would also close the holder's stdin, making its main
      // thread close the mapping while the shutdown hook does
      holder.process().toHandle().destroy();
      int status = exitStatus(holder);
      String listed = UpnpToolIT.upnpcList(lab);
      assertFalse(listed.contains(HoldMapping.DESCRIPTION), listed + "\nholder exited with "
          + status + ": " + holder.seen());
    }
  }

  private static RunningProcess hold(Host host, int port) throws Exception {
    return RunningProcess.start(host.java(HoldMapping.class.getName(), "" + port));
  }

  private static int exitStatus(RunningProcess p) throws InterruptedException {
    assertTrue(p.process().waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
        "still running: " + p.seen());
    return p.process().exitValue();
  }

  private static boolean listed(Lab lab, String regex) throws Exception {
    return UpnpToolIT.upnpcList(lab).matches("(?s).*" + regex + ".*");
  }
}
