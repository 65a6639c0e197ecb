package dev.p2pchat.chat;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * The stream under the log file, which cannot fill a disk: once the file reaches its size cap it
 * is moved to {@code NAME.1} (replacing the one before) and started afresh, so the log takes at
 * most twice the cap. A run of lines alike but for their numbers (time, addresses, counts), such
 * as a flood of refused connections makes, is written once, then {@code … repeated 5,000 times}.
 * slf4j-simple can neither rotate nor fold, and writes each entry as one line: it logs to
 * {@code System.err}, which the program points here. Thread-safe.
 */
final class CappedLog extends OutputStream {
  /** Each of the two files' cap. */
  static final long MAX_BYTES = 5 << 20;
  /** A run of lines alike is counted at least this often. */
  static final long NOTE_EVERY = 10_000;
  /** A longer line is cut there. */
  private static final int MAX_LINE = 64 << 10;

  private final Path path;
  private final long maxBytes;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private OutputStream file;
  private long written;
  private byte[] lastShape;
  private long repeats;

  /** Starts {@code path} empty. */
  CappedLog(Path path, long maxBytes) throws IOException {
    this.path = path;
    this.maxBytes = maxBytes;
    this.file = open(path);
  }

  private static OutputStream open(Path path) throws IOException {
    return new BufferedOutputStream(Files.newOutputStream(path));
  }

  @Override
  public synchronized void write(int b) throws IOException {
    if (b == '\n') {
      endLine();
    } else if (line.size() < MAX_LINE) {
      line.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    for (int i = off; i < off + len; i++) write(b[i]);
  }

  @Override
  public synchronized void flush() throws IOException {
    file.flush();
  }

  /** Writes the count of lines folded, if any, and closes the file. */
  @Override
  public synchronized void close() throws IOException {
    endRepeats();
    file.close();
  }

  private void endLine() throws IOException {
    byte[] text = line.toByteArray();
    line.reset();
    byte[] shape = shape(text);
    if (Arrays.equals(shape, lastShape)) {
      if (++repeats == NOTE_EVERY) endRepeats(); // a run that never ends is still counted
      return;
    }
    endRepeats();
    lastShape = shape;
    emit(text);
  }

  private void endRepeats() throws IOException {
    if (repeats == 0) return;
    String note = String.format(Locale.ROOT, "… repeated %,d times (numbers may differ)", repeats);
    repeats = 0;
    emit(note.getBytes(StandardCharsets.UTF_8));
  }

  private void emit(byte[] text) throws IOException {
    if (written > 0 && written + text.length + 1 > maxBytes) rotate();
    file.write(text);
    file.write('\n');
    written += text.length + 1;
  }

  private void rotate() throws IOException {
    file.close();
    Files.move(path, path.resolveSibling(path.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
    file = open(path);
    written = 0;
  }

  /** The line with every run of digits as one {@code #}: lines of one shape differ only in numbers. */
  private static byte[] shape(byte[] text) {
    ByteArrayOutputStream s = new ByteArrayOutputStream(text.length);
    for (int i = 0; i < text.length; i++) {
      boolean digit = text[i] >= '0' && text[i] <= '9';
      if (!digit) {
        s.write(text[i]);
      } else if (i == 0 || text[i - 1] < '0' || text[i - 1] > '9') {
        s.write('#');
      }
    }
    return s.toByteArray();
  }
}
