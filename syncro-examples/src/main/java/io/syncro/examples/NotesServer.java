package io.syncro.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.syncro.netty.SyncroServer;
import io.syncro.runtime.Syncro;
import io.syncro.runtime.store.FileStore;
import io.syncro.websocket.SyncroWebSocketServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The notes server: one Syncro node on a {@link FileStore}, reachable three ways on loopback:
 * TCP for Java clients ({@link NotesClient}, through {@link SyncroServer}), WebSocket (message
 * mode, through {@link SyncroWebSocketServer}) for browsers, and HTTP serving the browser client
 * itself ({@code index.html} and {@code syncro.js}). Every client authenticates with a token
 * from the server's {@link Tokens} file: the CLI with {@code --token}, a browser with the one in
 * its page's address ({@code http://host:port/#token=...}).
 *
 * <p>An original (Ruby) peer sends no token; {@link #serveOriginalPeer} gives it a port of its
 * own, bound to one uid, as the original's example server does.
 */
public final class NotesServer implements AutoCloseable {
  private final FileStore store;
  private final Syncro node;
  private final SyncroServer tcp;
  private final SyncroWebSocketServer webSocket;
  private final HttpServer http;
  private volatile SyncroServer originalPeer;
  private final PrintStream events;

  /** Starts serving, quietly; a port of 0 takes any free one. TCP clients show a token. */
  public NotesServer(int tcpPort, int webSocketPort, int httpPort, Path data, Tokens tokens)
      throws IOException {
    this(tcpPort, webSocketPort, httpPort, data, tokens, null);
  }

  /** Starts serving, and prints to {@code events} each client that connects, syncs and leaves. */
  public NotesServer(int tcpPort, int webSocketPort, int httpPort, Path data, Tokens tokens,
      PrintStream events) throws IOException {
    store = FileStore.open(data);
    node = Syncro.builder().nodeUid("server").store(store).model(Note.class)
        .authenticator(tokens::uidOf)
        .build();
    InetAddress loopback = InetAddress.getLoopbackAddress();
    this.events = events;
    ClientEvents printed = new ClientEvents(events);
    tcp = SyncroServer.builder(node).port(tcpPort).listener(printed).start();
    // Browsers authenticate with a token too (the page sends the one in its address).
    webSocket = SyncroWebSocketServer.builder(node).port(webSocketPort).listener(printed).start();
    http = HttpServer.create(new InetSocketAddress(loopback, httpPort), 0);
    http.createContext("/", this::serveStatic);
    http.start();
  }

  /**
   * Serves an original (Ruby) peer on a port of its own: whoever connects there is {@code uid},
   * with no token asked, as the original's example server binds its port to one client. The
   * port is on the loopback address only, since anyone who reaches it acts as {@code uid}.
   *
   * @return the port listened on (a free one when {@code port} is 0)
   * @throws IllegalStateException when one is already served
   */
  public synchronized int serveOriginalPeer(int port, String uid) {
    if (originalPeer != null) {
      throw new IllegalStateException("an original peer is already served on " + originalPeer.port());
    }
    originalPeer = SyncroServer.builder(node).port(port).clientUid(channel -> uid)
        .listener(new ClientEvents(events)).start();
    return originalPeer.port();
  }

  /**
   * {@code server --port P --ws-port W --http-port H --data DIR --tokens FILE
   * [--original-port P --original-uid UID]}.
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args, "port", "ws-port", "http-port", "data",
        "tokens", "original-port", "original-uid");
    if (options.containsKey("original-port") != options.containsKey("original-uid")) {
      throw new IllegalArgumentException("--original-port and --original-uid go together");
    }
    Path data = Path.of(options.getOrDefault("data", "notes-server"));
    Path tokensFile = Path.of(options.getOrDefault("tokens", data.resolve("tokens.txt").toString()));
    Tokens tokens;
    if (Files.exists(tokensFile)) {
      tokens = Tokens.read(tokensFile);
    } else {
      tokens = Tokens.createFor(tokensFile, List.of("ada", "bob"));
      System.out.println("wrote " + tokensFile + " with a token for ada and one for bob;"
          + " add a line 'UID TOKEN' for anyone else (a token: openssl rand -hex 16)");
    }
    NotesServer server = new NotesServer(Integer.parseInt(options.getOrDefault("port", "7000")),
        Integer.parseInt(options.getOrDefault("ws-port", "7001")),
        Integer.parseInt(options.getOrDefault("http-port", "7002")), data, tokens, System.out);
    System.out.println("notes server: TCP on " + server.tcpPort() + " for " + tokens.uids()
        + " (tokens in " + tokensFile + "), browsers at " + server.httpUrl() + "#token=TOKEN"
        + " (WebSocket on " + server.webSocketPort() + "); Ctrl-C stops it");
    if (options.containsKey("original-port")) {
      int port = server.serveOriginalPeer(Integer.parseInt(options.get("original-port")),
          options.get("original-uid"));
      System.out.println("an original (Ruby) peer connects on " + port + " as "
          + options.get("original-uid") + ", without a token (loopback only)");
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    Thread.currentThread().join();
  }

  /** Prints each client that connects, syncs and leaves, over either transport. */
  private static final class ClientEvents
      implements SyncroServer.Listener, SyncroWebSocketServer.Listener {
    private final PrintStream events;

    ClientEvents(PrintStream events) {
      this.events = events;
    }

    @Override
    public void connected(String uid, SocketAddress from) {
      print(uid + " connected from " + from + " (TCP)");
    }

    @Override
    public void connected(String uid, InetSocketAddress from) {
      print(uid + " connected from " + from + " (WebSocket)");
    }

    @Override
    public void synced(String uid) {
      print(uid + " is in sync");
    }

    @Override
    public void disconnected(String uid) {
      print(uid + " left");
    }

    private void print(String line) {
      if (events != null) {
        events.println(line);
      }
    }
  }

  public Syncro node() {
    return node;
  }

  public int tcpPort() {
    return tcp.port();
  }

  public int webSocketPort() {
    return webSocket.port();
  }

  public String httpUrl() {
    return "http://127.0.0.1:" + http.getAddress().getPort() + "/";
  }

  // ---- the browser client ----

  private static final Map<String, String> CONTENT_TYPES = Map.of(
      "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8");

  private void serveStatic(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    byte[] body;
    String type;
    if (path.equals("/config.js")) {
      body = ("export const webSocketPort = " + webSocketPort() + ";\n").getBytes(StandardCharsets.UTF_8);
      type = CONTENT_TYPES.get("js");
    } else {
      String name = path.equals("/") ? "index.html" : path.substring(1);
      InputStream resource = name.matches("[a-z.-]+")
          ? NotesServer.class.getResourceAsStream("/web/" + name)
          : null;
      if (resource == null) {
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
        return;
      }
      try (resource) {
        body = resource.readAllBytes();
      }
      type = CONTENT_TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
    }
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    if (originalPeer != null) {
      originalPeer.close();
    }
    tcp.close();
    webSocket.close();
    http.stop(0);
    node.close();
    store.close();
  }
}
