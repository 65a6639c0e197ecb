package dev.p2pchat.lab;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NamespacesTest {
  @Test
  void aLabOfThisJvmIsNotStale() {
    assertFalse(Namespaces.ownerIsDead("p2pl-" + ProcessHandle.current().pid() + "-3-ha"));
  }

  @Test
  void aLabOfAnExitedProcessIsStale() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    assertTrue(Namespaces.ownerIsDead("p2pl-" + gone.pid() + "-0-rb"));
    assertTrue(Namespaces.ownerIsDead("p2pl-" + gone.pid() + "-12-8812345"));
  }

  @Test
  void namesThatAreNotLabsAreNeverStale() {
    assertFalse(Namespaces.ownerIsDead("p2pl-"));
    assertFalse(Namespaces.ownerIsDead("p2pl-abc-0-ha"));
    assertFalse(Namespaces.ownerIsDead("p2pl-999999999-ha"));
    assertFalse(Namespaces.ownerIsDead("blue-999999999-0-ha"));
    assertFalse(Namespaces.ownerIsDead("p2pl-99999999999999999999999-0-ha"));
  }
}
