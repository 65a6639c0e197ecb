package dev.p2pchat.chat.trust;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The directory that holds one node identity ({@value #IDENTITY_FILE}: certificate and private
 * key as PEM) and what the node remembers with it, readable by its owner only. A running node
 * holds a lock on it ({@value #LOCK_FILE}) so that a second node never shares or overwrites its
 * identity: by default the second node takes {@code identity-2} (like the log's
 * {@code p2p-chat-2.log}) and says so; given an explicit directory it stops with a message.
 */
public final class IdentityDirectory implements Closeable {
  public static final String IDENTITY_FILE = "node.pem";
  public static final String KNOWN_PEERS_FILE = "known-peers.json";
  static final String LOCK_FILE = "lock";
  /** Nodes of one user that get an identity of their own by default, as they get logs. */
  static final int MAX_RUNNING = 16;

  private final Path path;
  private final FileChannel lock;
  private final Identity identity;
  private final List<String> notices;

  private IdentityDirectory(Path path, FileChannel lock, Identity identity, List<String> notices) {
    this.path = path;
    this.lock = lock;
    this.identity = identity;
    this.notices = List.copyOf(notices);
  }

  /**
   * Claims {@code dataDirectory/identity}, or while other nodes of this user hold it,
   * {@code identity-2}, {@code -3} …, creating the identity on first use.
   */
  public static IdentityDirectory claimDefault(Path dataDirectory) throws IOException {
    List<String> notices = new ArrayList<>();
    for (int n = 1; n <= MAX_RUNNING; n++) {
      Path directory = dataDirectory.resolve(n == 1 ? "identity" : "identity-" + n);
      FileChannel lock = tryLock(directory, notices);
      if (lock != null) {
        if (n > 1) {
          notices.add(0, dataDirectory.resolve("identity") + " is in use by another running node"
              + inUseBy(dataDirectory.resolve("identity")) + ", so this node uses " + directory
              + ": peers see it as another node");
        }
        return open(directory, lock, notices);
      }
    }
    throw new IdentityInUseException(MAX_RUNNING + " nodes are running already, each with its"
        + " own identity in " + dataDirectory);
  }

  /** Claims exactly {@code directory} (as {@code --identity DIR} asks), creating it if new. */
  public static IdentityDirectory claim(Path directory) throws IOException {
    List<String> notices = new ArrayList<>();
    FileChannel lock = tryLock(directory, notices);
    if (lock == null) {
      throw new IdentityInUseException("the identity in " + directory + inUseBy(directory)
          + " is in use by another running node; stop that node, or give this one another"
          + " --identity DIR");
    }
    return open(directory, lock, notices);
  }

  private static IdentityDirectory open(Path directory, FileChannel lock, List<String> notices)
      throws IOException {
    try {
      Path file = directory.resolve(IDENTITY_FILE);
      Identity identity;
      if (Files.exists(file)) {
        OwnerOnlyFiles.restrict(file).ifPresent(notices::add);
        identity = read(file);
      } else {
        identity = Identity.generate();
        OwnerOnlyFiles.writeAtomically(file, identity::writePem);
        notices.add("created a new identity in " + directory + ", fingerprint "
            + identity.fingerprint());
      }
      return new IdentityDirectory(directory, lock, identity, notices);
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /** The lock on {@code directory}, created owner-only if new, or null while another holds it. */
  private static FileChannel tryLock(Path directory, List<String> notices) throws IOException {
    OwnerOnlyFiles.directory(directory).ifPresent(notices::add);
    FileChannel channel = OwnerOnlyFiles.openForLock(directory.resolve(LOCK_FILE));
    try {
      FileLock held = channel.tryLock();
      if (held != null) return channel;
    } catch (OverlappingFileLockException e) {
      // held by this very process
    }
    channel.close();
    return null;
  }

  private static String inUseBy(Path directory) {
    try {
      return " (" + read(directory.resolve(IDENTITY_FILE)).fingerprint().shortForm() + ")";
    } catch (IOException e) {
      return ""; // still being created, or unreadable: the holder will say
    }
  }

  private static Identity read(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return Identity.readPem(in);
    } catch (IOException e) {
      throw new IOException(file + " is not a usable identity (" + e.getMessage() + "). Move it"
          + " away to start with a new identity; peers who know the old one will then refuse"
          + " the new key until they /trust it", e);
    }
  }

  public Identity identity() {
    return identity;
  }

  public Path path() {
    return path;
  }

  /** Where this identity's {@link KnownPeers} live: trust belongs to the identity that gave it. */
  public Path knownPeersFile() {
    return path.resolve(KNOWN_PEERS_FILE);
  }

  /** What the user should be told: a new identity, a second directory, permissions fixed. */
  public List<String> notices() {
    return notices;
  }

  /** Lets another node take this identity; the process ending does the same. */
  @Override
  public void close() throws IOException {
    lock.close();
  }
}
