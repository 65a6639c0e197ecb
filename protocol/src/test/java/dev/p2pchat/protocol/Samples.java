package dev.p2pchat.protocol;

import java.util.ArrayList;
import java.util.List;

/** Valid messages of every type, shared by the tests and the benchmark. */
public final class Samples {
  private Samples() {}

  /** A typical chat line as the benchmark sends it. */
  public static ChatMessage chat(int n) {
    return new ChatMessage("m-" + n, "alice", "Hello bob, did the port mapping work? 👍 #" + n,
        1_764_000_000_000L + n, null);
  }

  /** The node id the node-shaped samples use: 22 base64url characters, as {@link Ids#random}. */
  public static final String NODE_ID = "q8Zx3vT0bWk_R2mYc9LdHA";

  /**
   * A chat line as a node sends it: an all-ASCII text, its line number as its id, and the
   * timestamp of a node sending 3,000 lines a millisecond (which reads its clock once a
   * millisecond).
   */
  public static ChatMessage nodeChat(long seq) {
    return ChatMessage.numbered(seq + 1, "alice",
        "the quick brown fox jumps over the lazy dog, 0123456789", 1_764_000_000_000L + seq / 3000, null);
  }

  /** The id of the node's {@code seq}th line. */
  public static String nodeId(long seq) {
    return NODE_ID + ":" + Long.toString(seq, 36);
  }

  /** A batched ack as a node sends it, of lines {@code first} to {@code first + count - 1}. */
  public static Ack nodeAck(long first, int count) {
    List<String> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ids.add(nodeId(first + i));
    }
    return new Ack(ids);
  }

  /** One message of every type, with optional fields both set and unset. */
  public static List<Message> everyType() {
    return List.of(
        new Hello("1.0", "n0de-Id_42", "alice", "p2p-chat/0.1.0", "203.0.113.7:4000"),
        new Hello("1.3", "abc", "ボブ", "p2p-chat/0.1.0", null),
        new ChatMessage("m1", "alice", "hi", 1_700_000_000_000L, null),
        new ChatMessage("m2", "alice", "just for you", 1_700_000_000_001L, "bob"),
        new Ack("m1"),
        new Ack(List.of("m1", "node:2", "node:3")),
        new Ack(List.of(), List.of(new Ack.Run(1, 32))),
        new Ack(List.of("m1", "7"), List.of(new Ack.Run(8, 40), new Ack.Run(42, LineNumbers.MAX))),
        new Ping("t1", 1_700_000_000_002L),
        new Pong("t1", 1_700_000_000_002L),
        new Peers(List.of("203.0.113.7:4000", "[2001:db8::1]:4001", "peer.example.org:65535")),
        new Peers(List.of()),
        new Bye("user quit"),
        new Bye(""),
        new ErrorMessage(ErrorCode.FRAME_TOO_LARGE, "the frame is larger than 65536 bytes"),
        new ErrorMessage(ErrorCode.UNKNOWN, "something new"));
  }
}
