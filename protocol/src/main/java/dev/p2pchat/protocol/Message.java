package dev.p2pchat.protocol;

/**
 * One protocol message, sent as one JSON object per line. The constructors of the implementations
 * validate their fields and throw {@link IllegalArgumentException} naming the bad field, so every
 * instance can be encoded into a frame any peer accepts.
 */
public sealed interface Message
    permits Hello, ChatMessage, Ack, Ping, Pong, Peers, Bye, ErrorMessage {
  /** The wire {@code type}, such as {@code "hello"} or {@code "msg"}. */
  String type();
}
