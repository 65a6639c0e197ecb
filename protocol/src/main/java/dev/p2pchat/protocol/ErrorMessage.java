package dev.p2pchat.protocol;

/**
 * Tells the peer what went wrong, wire type {@code "error"}. Codes this node does not know decode
 * to {@link ErrorCode#UNKNOWN}.
 *
 * @param reason a human sentence, at most {@value Limits#MAX_REASON_LENGTH} characters
 */
public record ErrorMessage(ErrorCode code, String reason) implements Message {
  public static final String TYPE = "error";

  public ErrorMessage {
    Check.present("code", code);
    Check.text("reason", reason, Limits.MAX_REASON_LENGTH, false);
  }

  @Override
  public String type() {
    return TYPE;
  }
}
