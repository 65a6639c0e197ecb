package dev.p2pchat.chat.trust;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Files only their owner may read or write (0600, directories 0700), as a private key and the
 * list of known peers need. Where the file system has no POSIX permissions, only its defaults.
 */
final class OwnerOnlyFiles {
  private static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  /** Writes the file's content. */
  interface Content {
    void writeTo(Writer out) throws IOException;
  }

  private OwnerOnlyFiles() {}

  /**
   * Creates {@code directory} (and missing parents) owner-only, or takes away other users'
   * access to an existing one; returns a notice for the user if it had to take some away.
   */
  static Optional<String> directory(Path directory) throws IOException {
    if (Files.isDirectory(directory)) return restrict(directory);
    Files.createDirectories(directory, attributes(directory, DIRECTORY));
    return Optional.empty();
  }

  /** Takes away other users' access to {@code path}; a notice for the user if there was any. */
  static Optional<String> restrict(Path path) throws IOException {
    if (!isPosix(path)) return Optional.empty();
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
    if (!permissions.removeAll(OTHERS)) return Optional.empty();
    Files.setPosixFilePermissions(path, permissions);
    return Optional.of(path + " could be read or changed by other users; now only you can");
  }

  /** Opens (creating owner-only if new) a file to lock. */
  static FileChannel openForLock(Path file) throws IOException {
    return FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
        attributes(file, FILE));
  }

  /**
   * Replaces {@code file} as a whole: writes an owner-only temporary file beside it, forces it to
   * disk and moves it in place, so that a crash leaves the old file or the new one, never half.
   */
  static void writeAtomically(Path file, Content content) throws IOException {
    Path temporary = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp",
        attributes(file, FILE));
    try {
      try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
        content.writeTo(out);
      }
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static FileAttribute<?>[] attributes(Path path, Set<PosixFilePermission> permissions) {
    return isPosix(path.getParent() == null ? path : path.getParent())
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
        : new FileAttribute<?>[0];
  }

  private static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
