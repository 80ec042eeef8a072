package dev.synedge.loadtest.generator;

import dev.synedge.loadtest.http.MalformedResponseException;
import dev.synedge.loadtest.http.ReadBuffer;
import dev.synedge.loadtest.http.RequestTemplate;
import dev.synedge.loadtest.http.ResponseParser;
import dev.synedge.net.FastOpen;
import dev.synedge.net.LinuxSocket;
import dev.synedge.net.NativeException;
import dev.synedge.net.SocketOptions;
import dev.synedge.net.TcpInfo;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.Future;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * One client connection: a native-sockets socket registered edge-triggered on its worker's
 * event loop, carrying a FIFO of requests (more than one when pipelining). It writes each
 * request's pre-encoded bytes, reads into the worker's shared buffer and frames responses in
 * place; the worker decides what happens next. Only the loop thread touches it.
 *
 * <p>With Fast Open the socket gets {@code TCP_FASTOPEN_CONNECT} before connect: when the
 * kernel holds a cookie, connect returns at once and the first write leaves in the SYN.
 */
final class HttpConnection implements EpollIoHandle {

    private static final EpollIoOps INTEREST = EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLOUT)
            .with(EpollIoOps.EPOLLRDHUP).with(EpollIoOps.EPOLLET);
    private static final int IN = EpollIoOps.EPOLLIN.value();
    private static final int OUT = EpollIoOps.EPOLLOUT.value();
    private static final int ERR = EpollIoOps.EPOLLERR.value();
    private static final int RDHUP = EpollIoOps.EPOLLRDHUP.value();
    private static final int HUP = 0x10;
    /** Reads per readiness event before yielding the loop to other connections. */
    private static final int READS_PER_EVENT = 16;

    private final Worker worker;
    private final LinuxSocket socket;
    private final FileDescriptor nettyFd;
    private final boolean fastOpen;
    private final ResponseParser parser;
    private final long openedNanos;
    private IoRegistration registration;
    /** Position in the worker's connection list, maintained by the worker. */
    int slot = -1;

    private boolean connectPending;
    private boolean established;
    private boolean closed;
    private boolean draining;
    private boolean reusable = true;
    private boolean tcpInfoRead;
    private long drainingSince;
    private final Runnable continueReading = this::continueReading;

    // Requests in flight, oldest first: ring of [head, head + count).
    private final RequestTemplate[] templates;
    private final long[] starts;
    private final boolean[] measured;
    private final int mask;
    private int head;
    private int count;
    /** Of the requests in flight, how many are fully written (always the oldest ones). */
    private int written;
    /** Bytes of the next request to write that are already written. */
    private long writeOffset;
    private long firstByteNanos;

    private HttpConnection(Worker worker, LinuxSocket socket, boolean fastOpen, int capacity, boolean verifyChecksum) {
        this.worker = worker;
        this.socket = socket;
        this.nettyFd = new FileDescriptor(socket.fd());
        this.fastOpen = fastOpen;
        this.parser = new ResponseParser(verifyChecksum);
        this.openedNanos = System.nanoTime();
        int size = Integer.highestOneBit(Math.max(1, capacity) * 2 - 1);
        templates = new RequestTemplate[size];
        starts = new long[size];
        measured = new boolean[size];
        mask = size - 1;
    }

    /**
     * Opens a connection to {@code address} on {@code loop} (the caller's own loop) and starts
     * connecting. Throws when no socket can be made or the connect fails at once.
     */
    static HttpConnection open(Worker worker, IoEventLoop loop, InetSocketAddress address, boolean fastOpen,
            int capacity, boolean verifyChecksum) throws NativeException {
        LinuxSocket socket = LinuxSocket.openFor(address, LinuxSocket.Protocol.TCP);
        HttpConnection connection = new HttpConnection(worker, socket, fastOpen, capacity, verifyChecksum);
        try {
            SocketOptions.setNoDelay(socket.fd(), true);
            if (fastOpen) {
                FastOpen.enableConnect(socket.fd());
            }
            boolean connected = socket.connect(address);
            connection.connectPending = !connected;
            // A deferred Fast Open connect "succeeds" before any packet left: the handshake
            // is known complete only once the socket turns writable or answers.
            connection.established = connected && !fastOpen;
            Future<IoRegistration> registered = loop.register(connection);
            if (!registered.isSuccess()) {
                throw new IllegalStateException("epoll registration failed", registered.cause());
            }
            connection.registration = registered.getNow();
            connection.registration.submit(INTEREST);
        } catch (NativeException | RuntimeException e) {
            connection.closeSocket();
            throw e;
        }
        return connection;
    }

    long openedNanos() {
        return openedNanos;
    }

    boolean established() {
        return established;
    }

    boolean isClosed() {
        return closed;
    }

    /** Requests sent or queued on this connection and not yet answered. */
    int inFlight() {
        return count;
    }

    /** The connection can take another request: keep-alive so far and not closing. */
    boolean reusable() {
        return reusable && !closed && !draining;
    }

    /** Start time of the oldest request in flight (only when {@link #inFlight()} > 0). */
    long oldestStart() {
        return starts[head];
    }

    boolean draining() {
        return draining;
    }

    long drainingSince() {
        return drainingSince;
    }

    /** Queues a request and writes as much as the socket takes now. */
    void send(RequestTemplate template, long startNanos, boolean isMeasured) {
        if (count == templates.length) {
            throw new IllegalStateException("more requests in flight than the connection was sized for");
        }
        int at = (head + count) & mask;
        templates[at] = template;
        starts[at] = startNanos;
        measured[at] = isMeasured;
        if (count == 0) {
            parser.reset(template.head());
        }
        count++;
        if (established || (fastOpen && !connectPending)) {
            try {
                flush();
            } catch (NativeException e) {
                fail(ErrorKind.of(e, !established));
            }
        }
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        if (closed) {
            return;
        }
        int ops = ((EpollIoEvent) event).ops().value();
        try {
            if (connectPending && (ops & (OUT | ERR | HUP)) != 0) {
                socket.finishConnect();
                connectPending = false;
                markEstablished();
            }
            if ((ops & (IN | RDHUP | HUP)) != 0) {
                readAll((ops & (RDHUP | HUP)) != 0);
            }
            if (!closed && (ops & OUT) != 0) {
                markEstablished();
                flush();
            }
            if (!closed && (ops & ERR) != 0) {
                int error = SocketOptions.socketError(socket.fd());
                throw new NativeException(established ? "socket" : "connect", "fd " + socket.fd(),
                        error != 0 ? error : dev.synedge.net.Errno.ECONNRESET);
            }
        } catch (NativeException e) {
            fail(ErrorKind.of(e, !established));
        } catch (MalformedResponseException e) {
            fail(ErrorKind.MALFORMED);
        }
    }

    private void markEstablished() {
        if (!established) {
            established = true;
            worker.connectionEstablished(this, System.nanoTime());
        }
    }

    private void flush() throws NativeException {
        while (written < count) {
            MemorySegment bytes = templates[(head + written) & mask].bytes();
            long size = bytes.byteSize();
            int n = socket.write(bytes.address() + writeOffset, (int) Math.min(Integer.MAX_VALUE, size - writeOffset));
            if (n == LinuxSocket.WOULD_BLOCK) {
                return;
            }
            writeOffset += n;
            if (writeOffset == size) {
                written++;
                writeOffset = 0;
            }
        }
    }

    private void continueReading() {
        if (closed) {
            return;
        }
        try {
            readAll(true);
        } catch (NativeException e) {
            fail(ErrorKind.of(e, !established));
        } catch (MalformedResponseException e) {
            fail(ErrorKind.MALFORMED);
        }
    }

    /**
     * Reads until the socket would block, EOF, or the per-event budget. Without
     * {@code peerClosed} a short read ends it early: it took everything queued, and bytes that
     * arrive later raise a new edge, so the read that would only say EAGAIN is saved. When the
     * peer's FIN is already queued ({@code peerClosed}) no new edge would come for it, so
     * reading goes on to EOF.
     */
    private void readAll(boolean peerClosed) throws NativeException, MalformedResponseException {
        ReadBuffer buffer = worker.readBuffer();
        for (int reads = 0; reads < READS_PER_EVENT; reads++) {
            int n = socket.read(buffer.address(), buffer.capacity());
            if (n == LinuxSocket.WOULD_BLOCK) {
                return;
            }
            if (n == LinuxSocket.EOF) {
                endOfInput();
                return;
            }
            markEstablished();
            consume(buffer, n);
            if (closed || (n < buffer.capacity() && !peerClosed)) {
                return;
            }
        }
        // Edge-triggered: no new event comes for bytes already queued, so continue later.
        worker.loop().execute(continueReading);
    }

    private void consume(ReadBuffer buffer, int length) throws MalformedResponseException {
        int offset = 0;
        while (offset < length) {
            if (count == 0) {
                if (draining) {
                    return;
                }
                throw new MalformedResponseException("bytes without a request in flight");
            }
            if (firstByteNanos == 0) {
                firstByteNanos = System.nanoTime();
            }
            offset = parser.feed(buffer, offset, length);
            if (parser.complete()) {
                completeResponse();
                if (closed) {
                    return;
                }
            }
        }
    }

    private void completeResponse() {
        long end = System.nanoTime();
        RequestTemplate template = templates[head];
        long start = starts[head];
        boolean isMeasured = measured[head];
        long firstByte = firstByteNanos;
        templates[head] = null;
        head = (head + 1) & mask;
        count--;
        if (written > 0) {
            written--;
        } else {
            // Answered before it was fully sent (an early error response): the rest of the
            // request must not be written, and the connection cannot be trusted further.
            writeOffset = 0;
            reusable = false;
        }
        firstByteNanos = 0;
        ErrorKind error = check(template);
        long body = parser.bodyBytes();
        if (!parser.keepAlive()) {
            reusable = false;
        }
        if (fastOpen && !tcpInfoRead) {
            tcpInfoRead = true;
            readFastOpenOutcome(isMeasured);
        }
        if (count > 0) {
            parser.reset(templates[head].head());
        }
        if (!reusable) {
            draining = true;
            drainingSince = end;
        }
        worker.responseDone(this, template, start, firstByte, end, isMeasured, error, body);
    }

    private ErrorKind check(RequestTemplate template) {
        if (parser.status() != template.spec().expectStatus()) {
            return ErrorKind.BAD_STATUS;
        }
        long expectLength = template.spec().expectLength();
        if (expectLength >= 0 && parser.bodyBytes() != expectLength && !template.head()) {
            return ErrorKind.LENGTH_MISMATCH;
        }
        if (!parser.checksumMatches()) {
            return ErrorKind.CHECKSUM_MISMATCH;
        }
        return null;
    }

    private void readFastOpenOutcome(boolean isMeasured) {
        try {
            TcpInfo info = TcpInfo.read(socket.fd());
            worker.fastOpenOutcome(info.synData(), info.fastOpenClientFail(), isMeasured);
        } catch (NativeException e) {
            worker.fastOpenOutcome(false, TcpInfo.FastOpenClientFail.UNSPEC, isMeasured);
        }
    }

    private void endOfInput() {
        if (count > 0 && parser.endOfInput()) {
            completeResponse();
            if (closed) {
                return;
            }
        }
        if (count > 0) {
            fail(parser.started() ? ErrorKind.SHORT_BODY : ErrorKind.CLOSED);
            return;
        }
        closeSocket();
        worker.connectionClosed(this, null);
    }

    /** Fails every request in flight with {@code kind}, closes, and tells the worker. */
    void fail(ErrorKind kind) {
        if (closed) {
            return;
        }
        closeSocket();
        if (count == 0) {
            worker.idleConnectionFailed();
        }
        while (count > 0) {
            RequestTemplate template = templates[head];
            long start = starts[head];
            boolean isMeasured = measured[head];
            templates[head] = null;
            head = (head + 1) & mask;
            count--;
            worker.requestFailed(template, start, isMeasured, kind);
        }
        worker.connectionClosed(this, kind);
    }

    /** Closes without callbacks: the worker is done with it. */
    void closeQuietly() {
        closeSocket();
    }

    private void closeSocket() {
        if (closed) {
            return;
        }
        closed = true;
        if (registration != null) {
            // Before close(2): Netty keys registrations by fd number, which the kernel reuses.
            registration.cancel();
        }
        socket.close();
    }

    @Override
    public FileDescriptor fd() {
        return nettyFd;
    }

    @Override
    public void close() {
        closeSocket();
    }

    @Override
    public String toString() {
        return "connection fd " + nettyFd.intValue() + (fastOpen ? " (fastopen)" : "") + (closed ? " closed" : "");
    }
}
