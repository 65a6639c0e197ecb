package dev.p2pchat.chat;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;

/**
 * The default log file of one running node: {@code p2p-chat.log}, or {@code p2p-chat-2.log},
 * {@code -3} … while other nodes of the same user hold the first ones. slf4j-simple truncates the
 * file it is given, so two nodes sharing one would overwrite each other's lines; each node
 * therefore holds a lock ({@code NAME.lock}) on its log for as long as it runs. The previous log
 * of the same name is kept as {@code NAME.1}, so a restart does not erase what went wrong.
 */
final class LogFile implements Closeable {
  /** Nodes of one user that get a log of their own; more than that is not a real use. */
  static final int MAX_RUNNING = 16;

  private final Path path;
  private final FileChannel lockChannel;

  private LogFile(Path path, FileChannel lockChannel) {
    this.path = path;
    this.lockChannel = lockChannel;
  }

  /**
   * Claims the first log in {@code directory} that no running node holds, and moves its previous
   * contents aside. Throws if all {@link #MAX_RUNNING} are held or the directory is not writable.
   */
  static LogFile claim(Path directory) throws IOException {
    for (int n = 1; n <= MAX_RUNNING; n++) {
      Path log = directory.resolve(n == 1 ? "p2p-chat.log" : "p2p-chat-" + n + ".log");
      FileChannel channel = FileChannel.open(log.resolveSibling(log.getFileName() + ".lock"),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      if (tryLock(channel)) {
        if (Files.exists(log)) {
          Files.move(log, log.resolveSibling(log.getFileName() + ".1"),
              StandardCopyOption.REPLACE_EXISTING);
        }
        return new LogFile(log, channel);
      }
      channel.close();
    }
    throw new IOException(MAX_RUNNING + " nodes are running already, each with its own log in "
        + directory);
  }

  /**
   * Empty if {@code file} (a log file the user named) can be written, else why not, in a few
   * words: {@code cannot write /var/log/x.log: permission denied}. Creates the file if needed.
   */
  static Optional<String> problem(Path file) {
    try {
      Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND).close();
      return Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.of("cannot write " + file + ": no such directory " + file.toAbsolutePath().getParent());
    } catch (AccessDeniedException e) {
      return Optional.of("cannot write " + file + ": permission denied");
    } catch (FileSystemException e) {
      String reason = e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
      return Optional.of("cannot write " + file + ": " + reason.toLowerCase(Locale.ROOT));
    } catch (IOException e) {
      return Optional.of("cannot write " + file + ": " + e.getMessage());
    }
  }

  private static boolean tryLock(FileChannel channel) throws IOException {
    try {
      FileLock lock = channel.tryLock();
      return lock != null;
    } catch (OverlappingFileLockException e) {
      return false; // held by this very process
    }
  }

  Path path() {
    return path;
  }

  /** Lets another node take this log; the process ending does the same. */
  @Override
  public void close() throws IOException {
    lockChannel.close();
  }
}
