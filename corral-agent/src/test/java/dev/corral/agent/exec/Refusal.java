package dev.corral.agent.exec;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP answer to a WebSocket upgrade request, sent by hand: the JDK's client neither sends the
 * {@code Upgrade} header on plain requests nor shows the body of a refused handshake.
 */
public record Refusal(int status, String body) {
  public static Refusal of(int port, String pathAndQuery) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Accept: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String head = readHead(in);
      int status = Integer.parseInt(head.split(" ")[1]);
      int length = 0;
      boolean chunked = false;
      for (String line : head.split("\r\n")) {
        String lower = line.toLowerCase();
        if (lower.startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
        chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
      }
      if (!chunked) {
        return new Refusal(status, new String(in.readNBytes(length), StandardCharsets.UTF_8));
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      int size;
      while ((size = Integer.parseInt(readLine(in).trim(), 16)) > 0) {
        body.writeBytes(in.readNBytes(size));
        readLine(in);
      }
      return new Refusal(status, body.toString(StandardCharsets.UTF_8));
    }
  }

  private static String readLine(InputStream in) throws Exception {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      line.append((char) b);
    }
    return line.toString();
  }

  private static String readHead(InputStream in) throws Exception {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      String text = head.toString(StandardCharsets.US_ASCII);
      if (text.endsWith("\r\n\r\n")) {
        return text;
      }
    }
    return head.toString(StandardCharsets.US_ASCII);
  }
}
