package dev.p2pchat.upnp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Status lines as servers really write them, from a one-shot server on 127.0.0.1. */
class HttpTest {
  private static Http.Response get(String answer) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread serving = new Thread(() -> {
        try (Socket socket = server.accept()) {
          BufferedReader in = new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
          for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) { }
          socket.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
        } catch (Exception e) {
          // the test fails on what the client saw
        }
      });
      serving.start();
      try {
        return Http.get(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/"),
            Duration.ofSeconds(5));
      } finally {
        serving.join();
      }
    }
  }

  private static String refusal(String answer) {
    return assertThrows(UpnpException.class, () -> get(answer)).getMessage()
        .replaceFirst("router at 127.0.0.1:\\d+ ", "");
  }

  @Test
  void statusAndReasonAreSplitAtRunsOfBlanks() throws Exception {
    Http.Response ok = get("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
    assertEquals(200, ok.status());
    assertEquals("OK", ok.reason());
    assertEquals("hi", new String(ok.body(), StandardCharsets.ISO_8859_1));

    Http.Response spaced = get("HTTP/1.0   404 \t Not  Found \r\n\r\n");
    assertEquals(404, spaced.status());
    assertEquals("Not  Found", spaced.reason());

    Http.Response bare = get("http/1.1 500\r\nContent-Length: 0\r\n\r\n");
    assertEquals(500, bare.status());
    assertEquals("", bare.reason());
  }

  @Test
  void aContinueIsSkipped() throws Exception {
    Http.Response r = get("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n"
        + "Content-Length: 0\r\n\r\n");
    assertEquals(204, r.status());
    assertEquals("No Content", r.reason());
  }

  @Test
  void aBadStatusLineIsAClearError() {
    assertEquals("sent a bad HTTP status line: ICY 200 OK", refusal("ICY 200 OK\r\n\r\n"));
    assertEquals("sent a bad HTTP status line: HTTP/1.1  ", refusal("HTTP/1.1  \r\n\r\n"));
    assertEquals("sent a bad HTTP status: HTTP/1.1 two hundred",
        refusal("HTTP/1.1 two hundred\r\n\r\n"));
    assertEquals("closed the connection without answering", refusal(""));
  }
}
