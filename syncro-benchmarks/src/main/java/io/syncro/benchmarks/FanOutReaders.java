package io.syncro.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.syncro.runtime.internal.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The clients of the fan-out benchmark, in a JVM of their own so that the figure measures the
 * server, not clients sharing its JVM: SESSIONS light connections that speak just enough of the
 * protocol to be pushed to (say a uid, sync from nothing, answer every request) and note when
 * each probe arrives. A probe's title holds the time the server saved it, in microseconds of the
 * wall clock both JVMs read.
 *
 * <p>Usage: {@code FanOutReaders PORT SESSIONS}. Prints {@code ready} once every connection is
 * live, {@code arrived ID} once every connection has the probe ID, and, after a line on its
 * standard input, the latencies as {@code result} lines.
 */
public final class FanOutReaders {
  /** What a probe's title starts with; the microseconds it was saved at follow. */
  static final String SENT_AT = "sent-at ";

  private final int sessions;
  private final CountDownLatch live;
  private final Map<String, AtomicInteger> arrivals = new ConcurrentHashMap<>();
  private final List<Long> latenciesMicros = new ArrayList<>();

  private FanOutReaders(int sessions) {
    this.sessions = sessions;
    this.live = new CountDownLatch(sessions);
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int sessions = Integer.parseInt(args[1]);
    new FanOutReaders(sessions).run(port);
    System.exit(0);
  }

  static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }

  private void run(int port) throws Exception {
    EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    try {
      Bootstrap bootstrap = new Bootstrap()
          .group(loops)
          .channel(NioSocketChannel.class)
          .option(ChannelOption.TCP_NODELAY, true)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
              channel.pipeline()
                  .addLast(new LengthFieldBasedFrameDecoder(65_535, 0, 2, 0, 2))
                  .addLast(new Reader());
            }
          });
      for (int n = 0; n < sessions; n++) {
        Channel channel = bootstrap
            .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).sync().channel();
        channel.write(Unpooled.copiedBuffer("reader-" + n + "\n", StandardCharsets.UTF_8));
        send(channel, "{\"type\":\"sync\",\"from\":null,\"id\":1}");
      }
      if (!live.await(2, TimeUnit.MINUTES)) {
        throw new IllegalStateException((sessions - live.getCount()) + " of " + sessions
            + " connections had their sync answered");
      }
      System.out.println("ready");
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      long[] sorted;
      synchronized (latenciesMicros) {
        sorted = latenciesMicros.stream().mapToLong(Long::longValue).sorted().toArray();
      }
      LoadDriver.result("fanout.p50_ms", millis(sorted[sorted.length / 2]));
      LoadDriver.result("fanout.p99_ms", millis(sorted[(int) (sorted.length * 0.99)]));
      LoadDriver.result("fanout.max_ms", millis(sorted[sorted.length - 1]));
      System.out.flush();
    } finally {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private static String millis(long micros) {
    return String.format(java.util.Locale.ROOT, "%.2f", micros / 1e3);
  }

  private static void send(Channel channel, String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ByteBuf frame = Unpooled.buffer(bytes.length + 2);
    frame.writeShort(bytes.length);
    frame.writeBytes(bytes);
    channel.writeAndFlush(frame);
  }

  /** One connection: answers the server's requests and notes the probes it is pushed. */
  private final class Reader extends SimpleChannelInboundHandler<ByteBuf> {
    @Override
    protected void channelRead0(ChannelHandlerContext context, ByteBuf frame) throws Exception {
      long arrived = nowMicros();
      JsonNode message = Json.readTree(frame.toString(StandardCharsets.UTF_8));
      String type = message.path("type").asText();
      long id = message.path("id").asLong();
      switch (type) {
        case "response":
          if (id == 1) {
            live.countDown();
          }
          break;
        case "sync":
          send(context.channel(), "{\"type\":\"response\",\"id\":" + id + ",\"result\":[]}");
          break;
        case "add_scribe":
          send(context.channel(), "{\"type\":\"response\",\"id\":" + id + ",\"result\":true}");
          noteProbe(message.path("scribe").path("data"), arrived);
          break;
        default:
          send(context.channel(), "{\"type\":\"response\",\"id\":" + id + ",\"result\":true}");
      }
    }

    private void noteProbe(JsonNode item, long arrived) {
      String title = item.path("title").asText("");
      if (!title.startsWith(SENT_AT)) {
        return;
      }
      long sent = Long.parseLong(title.substring(SENT_AT.length()));
      synchronized (latenciesMicros) {
        latenciesMicros.add(arrived - sent);
      }
      String probe = item.path("id").asText();
      if (arrivals.computeIfAbsent(probe, key -> new AtomicInteger()).incrementAndGet() == sessions) {
        arrivals.remove(probe);
        synchronized (System.out) {
          System.out.println("arrived " + probe);
          System.out.flush();
        }
      }
    }
  }
}
