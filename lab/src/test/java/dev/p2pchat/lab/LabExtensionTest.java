package dev.p2pchat.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Runs small test classes through JUnit itself to see what the extension makes of them. */
class LabExtensionTest {
  private static final String REASON = "the lab needs root (apt-get install miniupnpc)";

  @Test
  void unavailableLabSkipsTheClassNamingWhatIsMissing() {
    Events classes = run(OffCi.class).containerEvents();
    assertEquals(1, classes.skipped().count());
    String why = classes.skipped().list().get(0).getPayload(String.class).orElse("");
    assertTrue(why.contains(REASON), why);
    assertEquals(0, OffCi.testsRun);
  }

  @Test
  void unavailableLabFailsTheClassOnCi() {
    Events classes = run(OnCi.class).containerEvents();
    assertEquals(0, classes.skipped().count());
    assertEquals(1, classes.failed().count());
    Throwable failure = classes.failed().list().get(0)
        .getPayload(TestExecutionResult.class).orElseThrow()
        .getThrowable().orElseThrow();
    assertTrue(failure.getMessage().contains("CI=true") && failure.getMessage().contains(REASON),
        failure.getMessage());
    assertEquals(0, OnCi.testsRun);
  }

  @Test
  void ciSpelledOtherwiseIsNotCi() {
    assertEquals(1, run(CiFalse.class).containerEvents().skipped().count());
  }

  private static EngineExecutionResults run(Class<?> fixture) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
  }

  private static LabExtension unavailable(Map<String, String> environment) {
    return new LabExtension(() -> Optional.of(REASON), environment::get);
  }

  static class OffCi {
    static int testsRun;
    @RegisterExtension static LabExtension lab = unavailable(Map.of());

    @Test
    void needsLab(Lab lab) {
      testsRun++;
    }
  }

  static class OnCi {
    static int testsRun;
    @RegisterExtension static LabExtension lab = unavailable(Map.of("CI", "true"));

    @Test
    void needsLab(Lab lab) {
      testsRun++;
    }
  }

  static class CiFalse {
    @RegisterExtension static LabExtension lab = unavailable(Map.of("CI", "false"));

    @Test
    void needsLab(Lab lab) {}
  }
}
