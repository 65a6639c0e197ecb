package dev.p2pchat.lab;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A machine of the lab: a network namespace with one address. Everything it runs is killed when
 * the lab closes.
 */
public final class Host {
  private final String namespace;
  private final String address;

  Host(String namespace, String address) {
    this.namespace = namespace;
    this.address = address;
  }

  /** The network namespace's name, for {@code ip netns exec}. */
  public String namespace() {
    return namespace;
  }

  /** This host's IPv4 address: a LAN address in a home, the public one on the internet. */
  public String address() {
    return address;
  }

  /** A process builder running {@code argv} inside this host ({@code ip netns exec NS argv}). */
  public ProcessBuilder command(String... argv) {
    List<String> command = new ArrayList<>(List.of(Tools.path("ip"), "netns", "exec", namespace));
    command.addAll(List.of(argv));
    return new ProcessBuilder(command);
  }

  /**
   * Runs {@code argv} inside this host and waits for it to finish.
   *
   * @throws java.io.InterruptedIOException if it runs longer than {@code timeout} (it is then
   *     killed, with everything it started) or the calling thread is interrupted
   */
  public ExecResult run(Duration timeout, String... argv) throws IOException {
    return CommandRunner.run(command(argv), null, timeout);
  }

  /**
   * A process builder running {@code mainClass} in a new JVM inside this host, with this JVM's
   * {@code java} and class path: test classes and their dependencies are all there.
   */
  public ProcessBuilder java(String mainClass, String... args) {
    return java(List.of(), mainClass, args);
  }

  /**
   * Runs {@code mainClass} in a new JVM inside this host, as {@link #java(String, String...)}
   * does, and waits for it as {@link #run(Duration, String...)} does.
   */
  public ExecResult runJava(Duration timeout, String mainClass, String... args)
      throws IOException {
    return CommandRunner.run(java(mainClass, args), null, timeout);
  }

  /** Like {@link #java(String, String...)}, with JVM options such as {@code -Dkey=value}. */
  public ProcessBuilder java(List<String> jvmOptions, String mainClass, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(jvmOptions);
    argv.add("-cp");
    argv.add(System.getProperty("java.class.path"));
    argv.add(mainClass);
    argv.addAll(List.of(args));
    return command(argv.toArray(String[]::new));
  }

  @Override
  public String toString() {
    return address + " in " + namespace;
  }
}
