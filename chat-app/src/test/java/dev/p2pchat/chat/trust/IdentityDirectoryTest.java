package dev.p2pchat.chat.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityDirectoryTest {
  @TempDir Path data;

  @Test
  void createsAnOwnerOnlyIdentityOnceAndLoadsItLater() throws Exception {
    Fingerprint created;
    try (IdentityDirectory first = IdentityDirectory.claimDefault(data)) {
      created = first.identity().fingerprint();
      assertEquals(data.resolve("identity"), first.path());
      assertEquals(List.of("created a new identity in " + first.path() + ", fingerprint "
          + created), first.notices());
      assertEquals("rwx------", permissions(first.path()));
      assertEquals("rw-------", permissions(first.path().resolve("node.pem")));
      assertEquals("rw-------", permissions(first.path().resolve("lock")));
      assertEquals(first.path().resolve("known-peers.json"), first.knownPeersFile());
    }
    try (IdentityDirectory again = IdentityDirectory.claimDefault(data)) {
      assertEquals(created, again.identity().fingerprint());
      assertEquals(List.of(), again.notices());
    }
  }

  @Test
  void aSecondNodeInThisProcessGetsASecondIdentityAndIsTold() throws Exception {
    try (IdentityDirectory first = IdentityDirectory.claimDefault(data);
        IdentityDirectory second = IdentityDirectory.claimDefault(data)) {
      assertEquals(data.resolve("identity-2"), second.path());
      assertNotEquals(first.identity().fingerprint(), second.identity().fingerprint());
      assertEquals(data.resolve("identity") + " is in use by another running node ("
          + first.identity().fingerprint().shortForm() + "), so this node uses "
          + data.resolve("identity-2") + ": peers see it as another node",
          second.notices().get(0));
    }
  }

  @Test
  void anExplicitIdentityInUseStopsTheSecondNode() throws Exception {
    Path chosen = data.resolve("mine");
    try (IdentityDirectory first = IdentityDirectory.claim(chosen)) {
      IdentityInUseException e = assertThrows(IdentityInUseException.class,
          () -> IdentityDirectory.claim(chosen));
      assertEquals("the identity in " + chosen + " ("
          + first.identity().fingerprint().shortForm() + ") is in use by another running node;"
          + " stop that node, or give this one another --identity DIR", e.getMessage());
    }
    try (IdentityDirectory afterwards = IdentityDirectory.claim(chosen)) {
      assertEquals(chosen, afterwards.path());
    }
  }

  @Test
  void anotherProcessHoldingTheIdentityIsRespected() throws Exception {
    Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"),
        IdentityHolder.class.getName(), data.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      String held = new BufferedReader(new InputStreamReader(other.getInputStream(),
          StandardCharsets.US_ASCII)).readLine();
      Fingerprint othersFingerprint = Fingerprint.parse(held);

      try (IdentityDirectory mine = IdentityDirectory.claimDefault(data)) {
        assertEquals(data.resolve("identity-2"), mine.path());
        assertNotEquals(othersFingerprint, mine.identity().fingerprint());
        assertTrue(mine.notices().get(0).contains(othersFingerprint.shortForm()),
            mine.notices().toString());
      }
      assertThrows(IdentityInUseException.class,
          () -> IdentityDirectory.claim(data.resolve("identity")));

      other.getOutputStream().close();
      assertTrue(other.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, other.exitValue());
      try (IdentityDirectory released = IdentityDirectory.claimDefault(data)) {
        assertEquals(othersFingerprint, released.identity().fingerprint());
      }
    } finally {
      other.destroyForcibly();
    }
  }

  @Test
  void takesAwayOtherUsersAccess() throws Exception {
    try (IdentityDirectory first = IdentityDirectory.claimDefault(data)) {
      // made before this node ran, by a careless copy
    }
    Path identity = data.resolve("identity");
    Files.setPosixFilePermissions(identity, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(identity.resolve("node.pem"),
        PosixFilePermissions.fromString("rw-r--r--"));

    try (IdentityDirectory again = IdentityDirectory.claimDefault(data)) {
      assertEquals(List.of(
          identity + " could be read or changed by other users; now only you can",
          identity.resolve("node.pem") + " could be read or changed by other users; now only you"
              + " can"), again.notices());
      assertEquals("rwx------", permissions(identity));
      assertEquals("rw-------", permissions(identity.resolve("node.pem")));
    }
  }

  @Test
  void neverOverwritesAnUnreadableIdentity() throws Exception {
    Path file = data.resolve("identity").resolve("node.pem");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "not a key");

    IOException e = assertThrows(IOException.class, () -> IdentityDirectory.claimDefault(data));

    assertEquals(file + " is not a usable identity (it needs a CERTIFICATE and a PRIVATE KEY"
        + " block). Move it away to start with a new identity; peers who know the old one will"
        + " then refuse the new key until they /trust it", e.getMessage());
    assertEquals("not a key", Files.readString(file));
    Files.move(file, file.resolveSibling("node.pem.old"));
    try (IdentityDirectory afterwards = IdentityDirectory.claimDefault(data)) {
      assertEquals(data.resolve("identity"), afterwards.path()); // the failed claim let go
      assertTrue(afterwards.notices().get(0).startsWith("created a new identity"));
    }
  }

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
