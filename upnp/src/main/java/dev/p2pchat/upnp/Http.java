package dev.p2pchat.upnp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A small HTTP/1.1 client for talking to routers (like miniupnpc's miniwget): one connection per
 * request ({@code Connection: close}), Content-Length, chunked and read-to-close bodies, a size
 * cap, and a deadline covering connect, request and the whole response.
 */
final class Http {
  /** Largest body accepted from a router; descriptions are a few KiB. */
  static final int MAX_BODY = 256 * 1024;
  private static final int MAX_LINE = 8 * 1024;
  private static final int MAX_HEADERS = 100;
  private static final String USER_AGENT = System.getProperty("os.name", "Java").replace(' ', '_')
      + "/" + System.getProperty("os.version", "0") + " UPnP/1.1 p2p-chat/0.1";

  private Http() {}

  /** A response: lowercase header names, the whole body, and our end's address of the connection. */
  record Response(int status, String reason, Map<String, String> headers, byte[] body,
      InetAddress localAddress) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  static Response get(URI uri, Duration timeout) throws IOException {
    return exchange(uri, requestHead("GET", uri) + "\r\n", new byte[0], timeout);
  }

  static Response postSoap(URI uri, String soapAction, byte[] body, Duration timeout)
      throws IOException {
    String head = requestHead("POST", uri)
        + "Content-Type: text/xml; charset=\"utf-8\"\r\n"
        + "SOAPAction: \"" + soapAction + "\"\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n";
    return exchange(uri, head, body, timeout);
  }

  /** How a router is named in messages: {@code host:port}. */
  static String hostAndPort(URI uri) {
    return uri.getHost() + ":" + port(uri);
  }

  private static int port(URI uri) {
    return uri.getPort() == -1 ? 80 : uri.getPort();
  }

  private static String requestHead(String method, URI uri) throws UpnpException {
    if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new UpnpException("not an http:// URL: " + uri);
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) path += "?" + uri.getRawQuery();
    return method + " " + path + " HTTP/1.1\r\n"
        + "Host: " + hostAndPort(uri) + "\r\n"
        + "User-Agent: " + USER_AGENT + "\r\n"
        + "Connection: close\r\n";
  }

  private static Response exchange(URI uri, String head, byte[] body, Duration timeout)
      throws IOException {
    String router = hostAndPort(uri);
    long deadline = System.nanoTime() + timeout.toNanos();
    String host = uri.getHost();
    if (host.startsWith("[")) host = host.substring(1, host.length() - 1);
    // the router is on our LAN: straight to it, no SOCKS proxy and no proxy selector consulted
    try (Socket socket = new Socket(Proxy.NO_PROXY)) {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port(uri)), remainingMillis(deadline));
      OutputStream out = socket.getOutputStream();
      byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
      byte[] request = new byte[headBytes.length + body.length];
      System.arraycopy(headBytes, 0, request, 0, headBytes.length);
      System.arraycopy(body, 0, request, headBytes.length, body.length);
      out.write(request);
      out.flush();
      InputStream in = new BufferedInputStream(new DeadlineInputStream(socket, deadline), 8192);
      return readResponse(in, socket.getLocalAddress(), router);
    } catch (SocketTimeoutException e) {
      throw new UpnpException("router at " + router + " did not answer within "
          + timeout.toMillis() + " ms", e);
    } catch (UpnpException e) {
      throw e;
    } catch (ConnectException | NoRouteToHostException e) {
      throw new UpnpException("cannot connect to router at " + router + " (" + e.getMessage() + ")", e);
    } catch (UnknownHostException e) {
      throw new UpnpException("unknown router host " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UpnpException("connection to router at " + router + " failed: " + e, e);
    }
  }

  private static Response readResponse(InputStream in, InetAddress local, String router)
      throws IOException {
    while (true) {
      String statusLine = readLine(in, router);
      if (statusLine == null) {
        throw new UpnpException("router at " + router + " closed the connection without answering");
      }
      // HTTP/1.1 200 OK: version, status and reason, split at the first two runs of blanks
      String line = statusLine.trim();
      int versionEnd = blank(line, 0);
      int statusStart = nonBlank(line, versionEnd);
      int statusEnd = blank(line, statusStart);
      if (statusStart == line.length()
          || !line.substring(0, versionEnd).toUpperCase(Locale.ROOT).startsWith("HTTP/")) {
        throw new UpnpException("router at " + router + " sent a bad HTTP status line: "
            + abbreviate(statusLine));
      }
      int status;
      try {
        status = Integer.parseInt(line.substring(statusStart, statusEnd));
      } catch (NumberFormatException e) {
        throw new UpnpException("router at " + router + " sent a bad HTTP status: "
            + abbreviate(statusLine));
      }
      Map<String, String> headers = readHeaders(in, router);
      if (status >= 100 && status < 200) continue; // e.g. 100 Continue precedes the real answer
      byte[] body = readBody(in, headers, router);
      return new Response(status, line.substring(nonBlank(line, statusEnd)), headers, body,
          local);
    }
  }

  private static Map<String, String> readHeaders(InputStream in, String router) throws IOException {
    Map<String, String> headers = new HashMap<>();
    for (int count = 0; ; count++) {
      String line = readLine(in, router);
      if (line == null || line.isEmpty()) return headers;
      if (count == MAX_HEADERS) {
        throw new UpnpException("router at " + router + " sent more than " + MAX_HEADERS
            + " HTTP headers");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) continue;
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
  }

  private static byte[] readBody(InputStream in, Map<String, String> headers, String router)
      throws IOException {
    String transferEncoding = headers.get("transfer-encoding");
    if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
      return readChunked(in, router);
    }
    String contentLength = headers.get("content-length");
    if (contentLength != null) {
      long length;
      try {
        length = Long.parseLong(contentLength.trim());
      } catch (NumberFormatException e) {
        throw new UpnpException("router at " + router + " sent a bad Content-Length: "
            + abbreviate(contentLength));
      }
      if (length < 0) throw new UpnpException("router at " + router + " sent Content-Length " + length);
      checkSize(length, router);
      byte[] body = in.readNBytes((int) length);
      if (body.length < length) {
        throw new UpnpException("router at " + router + " cut its answer short: got "
            + body.length + " of " + length + " bytes");
      }
      return body;
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    copy(in, body, Long.MAX_VALUE, router);
    return body.toByteArray();
  }

  private static byte[] readChunked(InputStream in, String router) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in, router);
      if (sizeLine == null) {
        throw new UpnpException("router at " + router + " cut its chunked answer short");
      }
      int semicolon = sizeLine.indexOf(';');
      String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim();
      long size;
      try {
        size = Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        throw new UpnpException("router at " + router + " sent a bad chunk size: "
            + abbreviate(sizeLine));
      }
      if (size < 0) throw new UpnpException("router at " + router + " sent a bad chunk size");
      if (size == 0) {
        readHeaders(in, router); // trailers, usually none
        return body.toByteArray();
      }
      checkSize(body.size() + size, router);
      long copied = copy(in, body, size, router);
      if (copied < size) {
        throw new UpnpException("router at " + router + " cut its chunked answer short");
      }
      readLine(in, router); // the CRLF after the chunk
    }
  }

  private static long copy(InputStream in, ByteArrayOutputStream out, long limit, String router)
      throws IOException {
    byte[] buffer = new byte[8192];
    long copied = 0;
    while (copied < limit) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - copied));
      if (n < 0) break;
      out.write(buffer, 0, n);
      copied += n;
      checkSize(out.size(), router);
    }
    return copied;
  }

  private static void checkSize(long size, String router) throws UpnpException {
    if (size > MAX_BODY) {
      throw new UpnpException("router at " + router + " sent an answer larger than "
          + MAX_BODY / 1024 + " KiB; refusing it");
    }
  }

  /** Reads a line ending in LF (CR optional), or null at end of stream before any byte. */
  private static String readLine(InputStream in, String router) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) return line.length() == 0 ? null : line.toString();
      if (b == '\n') break;
      if (line.length() == MAX_LINE) {
        throw new UpnpException("router at " + router + " sent an HTTP line longer than "
            + MAX_LINE + " bytes");
      }
      line.append((char) b);
    }
    int end = line.length();
    if (end > 0 && line.charAt(end - 1) == '\r') line.setLength(end - 1);
    return line.toString();
  }

  /** The index of the first blank at or after {@code from} in {@code s}, or its length. */
  private static int blank(String s, int from) {
    int i = from;
    while (i < s.length() && !Character.isWhitespace(s.charAt(i))) i++;
    return i;
  }

  /** The index of the first non-blank at or after {@code from} in {@code s}, or its length. */
  private static int nonBlank(String s, int from) {
    int i = from;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    return i;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }

  private static int remainingMillis(long deadline) throws SocketTimeoutException {
    long remaining = (deadline - System.nanoTime()) / 1_000_000;
    if (remaining <= 0) throw new SocketTimeoutException("deadline passed");
    return (int) Math.min(Integer.MAX_VALUE, remaining);
  }

  /** Makes every read wait only until the exchange's deadline, so a trickling router can't stall us. */
  private static final class DeadlineInputStream extends FilterInputStream {
    private final Socket socket;
    private final long deadline;

    DeadlineInputStream(Socket socket, long deadline) throws IOException {
      super(socket.getInputStream());
      this.socket = socket;
      this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      socket.setSoTimeout(remainingMillis(deadline));
      return super.read(b, off, len);
    }
  }
}
