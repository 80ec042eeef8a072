package dev.synedge.loadtest.jmh;

import dev.synedge.net.NativeException;
import dev.synedge.net.TcpInfo;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;
import io.netty.channel.unix.UnixChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@code TCP_INFO} read on a connected loopback socket: through native-sockets (FFM,
 * decoded into a {@link TcpInfo} record) versus Netty's JNI {@code EpollSocketChannel.tcpInfo}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class TcpInfoBenchmark {

    private EventLoopGroup group;
    private Channel server;
    private EpollSocketChannel client;
    private int fd;
    private final EpollTcpInfo reused = new EpollTcpInfo();

    @Setup(Level.Trial)
    public void connect() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter())
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        client = (EpollSocketChannel) new Bootstrap().group(group).channel(EpollSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(server.localAddress()).sync().channel();
        fd = ((UnixChannel) client).fd().intValue();
    }

    @TearDown(Level.Trial)
    public void close() {
        client.close().syncUninterruptibly();
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** FFM getsockopt into per-thread scratch memory, decoded into a size-aware record. */
    @Benchmark
    public TcpInfo ffm() throws NativeException {
        return TcpInfo.read(fd);
    }

    /** Netty JNI, a new EpollTcpInfo per call (what {@code tcpInfo()} does). */
    @Benchmark
    public EpollTcpInfo nettyNew() {
        return client.tcpInfo();
    }

    /** Netty JNI into a reused EpollTcpInfo: its cheapest form. */
    @Benchmark
    public long nettyReused() {
        return client.tcpInfo(reused).rtt();
    }
}
