package dev.p2pchat.upnp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records a mapping's listener calls as text, in order. */
final class MappingEvents implements MappingListener {
  final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

  @Override
  public void renewed(PortMapping m) {
    queue.add("renewed");
  }

  @Override
  public void restored(PortMapping m) {
    queue.add("restored");
  }

  @Override
  public void taken(PortMapping m, PortMappingEntry holder) {
    queue.add("taken by " + holder.internalClient() + ":" + holder.internalPort());
  }

  @Override
  public void externalAddressChanged(PortMapping m, InetSocketAddress before, InetSocketAddress now) {
    queue.add("changed " + before.getAddress().getHostAddress() + ":" + before.getPort()
        + " -> " + now.getAddress().getHostAddress() + ":" + now.getPort());
  }

  @Override
  public void failed(PortMapping m, IOException why) {
    queue.add("failed " + why.getMessage());
  }

  String next() throws InterruptedException {
    String event = queue.poll(10, TimeUnit.SECONDS);
    if (event == null) throw new AssertionError("no listener call within 10 s");
    return event;
  }
}
