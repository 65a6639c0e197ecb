package dev.p2pchat.protocol;

import java.util.List;

/** Valid messages of every type, shared by the tests. */
public final class Samples {
  /** A fingerprint in its written form (a device id from Syncthing's tests). */
  public static final String FINGERPRINT =
      "P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2";

  private Samples() {}

  /** One message of every type, with optional fields both set and unset. */
  public static List<Message> everyType() {
    return List.of(
        new Hello("2.0", "alice", "p2p-chat/0.1.0", "203.0.113.7:4000"),
        new Hello("2.3", "ボブ", "p2p-chat/0.1.0", null),
        new ChatMessage("m1", "alice", "hi", 1_700_000_000_000L, null),
        new ChatMessage("m2", "alice", "just for you", 1_700_000_000_001L, "bob"),
        new Ack("m1"),
        new Ack("node:2"),
        new Ping("t1", 1_700_000_000_002L),
        new Pong("t1", 1_700_000_000_002L),
        new Peers(List.of("203.0.113.7:4000#" + FINGERPRINT, "[2001:db8::1]:4001#" + FINGERPRINT,
            "peer.example.org:65535#" + FINGERPRINT)),
        new Peers(List.of()),
        new Bye("user quit"),
        new Bye(""),
        new ErrorMessage(ErrorCode.FRAME_TOO_LARGE, "the frame is larger than 65536 bytes"),
        new ErrorMessage(ErrorCode.UNKNOWN, "something new"));
  }
}
