/**
 * The Linux socket features synedge exists for, through Java's Foreign Function and Memory
 * API: non-blocking TCP and MPTCP sockets over an {@code int} fd ({@link dev.synedge.net.LinuxSocket}),
 * TCP Fast Open ({@link dev.synedge.net.FastOpen}, {@link dev.synedge.net.FastOpenKey}),
 * {@code TCP_INFO} ({@link dev.synedge.net.TcpInfo}), MPTCP introspection
 * ({@link dev.synedge.net.Mptcp}), zero-copy receive ({@link dev.synedge.net.ZeroCopyReceiver})
 * and the kernel's settings and counters ({@link dev.synedge.net.KernelState},
 * {@link dev.synedge.net.FastOpenMode}, {@link dev.synedge.net.TcpExtCounters}); beside them,
 * what the proxy needs of the process: signals ({@link dev.synedge.net.Signals}), its
 * descriptor limit ({@link dev.synedge.net.DescriptorLimit}) and a Unix socket that passes
 * descriptors to the next process ({@link dev.synedge.net.UnixSocket}); and the one way
 * addresses are written in messages ({@link dev.synedge.net.AddressText}).
 *
 * <p>Depends on nothing but the JDK, so it serves Netty code (pass a channel's fd) and plain
 * Java alike. Failing calls throw {@link dev.synedge.net.NativeException} naming the call, the
 * option and errno's symbolic name. The JVM needs {@code --enable-native-access=ALL-UNNAMED}.
 */
package dev.synedge.net;
