package dev.p2pchat.lab;

/**
 * What a finished command left behind.
 *
 * @param exitCode the process exit status
 * @param stdout everything it wrote to standard output, decoded as UTF-8
 * @param stderr everything it wrote to standard error, decoded as UTF-8
 */
public record ExecResult(int exitCode, String stdout, String stderr) {

  /** True when the command exited with status 0. */
  public boolean ok() {
    return exitCode == 0;
  }
}
