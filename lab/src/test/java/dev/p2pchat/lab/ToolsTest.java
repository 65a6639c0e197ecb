package dev.p2pchat.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ToolsTest {
  private static final Map<String, String> ROOT =
      Map.of("Uid", "0\t0\t0\t0", "CapEff", "000001ffffffffff");
  private static final Function<String, Optional<Path>> ALL_THERE =
      program -> Optional.of(Path.of("/usr/sbin", program));

  @Test
  void rootWithEveryToolCanRunALab() {
    assertEquals(Optional.empty(), Tools.unavailableReason("Linux", ROOT, ALL_THERE));
  }

  @Test
  void anotherSystemCannot() {
    assertTrue(Tools.unavailableReason("Mac OS X", ROOT, ALL_THERE).orElseThrow()
        .contains("Linux network namespaces"));
  }

  @Test
  void aUserThatIsNotRootIsToldToBeRootAndWhatToInstall() {
    String why = Tools.unavailableReason("Linux",
        Map.of("Uid", "1000\t1000\t1000\t1000", "CapEff", "0"), ALL_THERE).orElseThrow();
    assertTrue(why.contains("needs root") && why.contains(Tools.INSTALL_HINT), why);
    // A set-uid-like state where only the real uid is 0 is not root either.
    assertTrue(Tools.unavailableReason("Linux",
        Map.of("Uid", "0\t1000\t0\t0", "CapEff", "000001ffffffffff"), ALL_THERE).isPresent());
  }

  @Test
  void rootWithoutNamespaceCapabilitiesCannot() {
    String why = Tools.unavailableReason("Linux",
        Map.of("Uid", "0\t0\t0\t0", "CapEff", "00000000a80425fb"), ALL_THERE).orElseThrow();
    assertTrue(why.contains("CAP_SYS_ADMIN"), why);
  }

  @Test
  void missingToolsAreNamedWithTheirPackages() {
    Set<String> absent = Set.of("miniupnpd", "upnpc");
    String why = Tools.unavailableReason("Linux", ROOT,
        program -> absent.contains(program) ? Optional.empty() : ALL_THERE.apply(program))
        .orElseThrow();
    assertTrue(why.contains("miniupnpd, upnpc")
        && why.contains("apt-get install miniupnpd-nftables miniupnpc"), why);
  }
}
