package dev.p2pchat.upnp.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.lab.Host;
import dev.p2pchat.lab.Lab;
import dev.p2pchat.lab.LabExtension;
import java.time.Duration;
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
    try (Child holder = Child.start(hostA.java(HoldMapping.class.getName(), "" + port))) {
      assertEquals("mapped " + lab.homeA().router().wanAddress() + ":" + port,
          holder.awaitLine("mapped ", TIMEOUT));
      assertTrue(listed(lab, mapped), UpnpToolIT.upnpcList(lab));

      long restarted = System.nanoTime();
      lab.homeA().router().restart();
      assertEquals("restored " + port, holder.awaitLine("restored ", Duration.ofSeconds(10)));
      long restoredMs = (System.nanoTime() - restarted) / 1_000_000;
      assertTrue(listed(lab, mapped), UpnpToolIT.upnpcList(lab));
      assertTrue(restoredMs < 5_000, "restored after " + restoredMs + " ms");

      holder.send("close");
      holder.awaitLine("closed", TIMEOUT);
      assertEquals(0, holder.awaitExit(TIMEOUT));
      String listed = UpnpToolIT.upnpcList(lab);
      assertFalse(listed.contains(HoldMapping.DESCRIPTION), listed + "\nholder:\n"
          + holder.output());
    }
  }

  @Test
  void terminatedHolderDeletesItsMappingOnTheWayOut(Lab lab) throws Exception {
    int port = 40201;
    try (Child holder = Child.start(lab.homeA().host().java(HoldMapping.class.getName(),
        "" + port))) {
      holder.awaitLine("mapped ", TIMEOUT);
      assertTrue(UpnpToolIT.upnpcList(lab).contains("'" + HoldMapping.DESCRIPTION + "'"));

      // SIGTERM alone: Process.destroy() would also close the holder's stdin, making its main
      // thread close the mapping while the shutdown hook does
      holder.process().toHandle().destroy();
      int status = holder.awaitExit(TIMEOUT);
      String listed = UpnpToolIT.upnpcList(lab);
      assertFalse(listed.contains(HoldMapping.DESCRIPTION), listed + "\nholder exited with "
          + status + ":\n" + holder.output());
    }
  }

  private static boolean listed(Lab lab, String regex) throws Exception {
    return UpnpToolIT.upnpcList(lab).matches("(?s).*" + regex + ".*");
  }
}
