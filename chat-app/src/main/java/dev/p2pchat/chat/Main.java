package dev.p2pchat.chat;

/** Entry point of the chat node. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("p2p-chat: this node will open a listening port, map it on your router with UPnP,");
    System.out.println("print an address to share, and chat with the peers you connect to.");
  }
}
