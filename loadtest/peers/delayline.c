/*
 * delayline: holds every packet of one NFQUEUE for a fixed time, then lets it go, in the order
 * the packets came. loadtest/peers/rtt runs it to add round-trip time to loopback TCP, because
 * the kernels the benchmarks run on are built without netem, the usual way to delay packets.
 *
 *   delayline QUEUE DELAY_US
 *
 * Prints "ready" once it holds the queue. On SIGTERM or SIGINT it lets go of every packet it
 * holds and exits.
 *
 * Build: cc -O2 -o delayline delayline.c -lnetfilter_queue   (Debian: libnetfilter-queue-dev)
 */
#define _GNU_SOURCE /* ppoll */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

/*
 * The kernel queues at most MAX_HELD packets for us (nfq_set_queue_maxlen), so the ring of
 * held packets never overflows. The delay is the same for every packet, so the oldest is
 * always the next one due.
 */
#define MAX_HELD 65536

static struct held {
    uint32_t id;
    uint64_t due_ns;
} ring[MAX_HELD];
static unsigned head, count;
static uint64_t delay_ns;
static volatile sig_atomic_t stopping;

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int on_packet(struct nfq_q_handle *queue, struct nfgenmsg *msg, struct nfq_data *packet, void *unused) {
    (void)msg;
    (void)unused;
    struct nfqnl_msg_packet_hdr *hdr = nfq_get_msg_packet_hdr(packet);
    if (hdr == NULL) {
        return 0;
    }
    uint32_t id = ntohl(hdr->packet_id);
    if (count == MAX_HELD) {
        return nfq_set_verdict(queue, id, NF_ACCEPT, 0, NULL);
    }
    ring[(head + count) % MAX_HELD] = (struct held){id, now_ns() + delay_ns};
    count++;
    return 0;
}

/*
 * Lets go of the packets due by `until`. Packet ids grow in arrival order, so one batch
 * verdict for the last of them accepts them all.
 */
static void release(struct nfq_q_handle *queue, uint64_t until) {
    uint32_t last = 0;
    int any = 0;
    while (count > 0 && ring[head].due_ns <= until) {
        last = ring[head].id;
        any = 1;
        head = (head + 1) % MAX_HELD;
        count--;
    }
    if (any) {
        nfq_set_verdict_batch(queue, last, NF_ACCEPT);
    }
}

static void on_signal(int sig) {
    (void)sig;
    stopping = 1;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: delayline QUEUE DELAY_US\n");
        return 2;
    }
    uint16_t queue_num = (uint16_t)strtoul(argv[1], NULL, 10);
    delay_ns = strtoull(argv[2], NULL, 10) * 1000u;

    struct nfq_handle *nfq = nfq_open();
    if (nfq == NULL) {
        perror("delayline: nfq_open");
        return 1;
    }
    struct nfq_q_handle *queue = nfq_create_queue(nfq, queue_num, on_packet, NULL);
    if (queue == NULL) {
        fprintf(stderr, "delayline: cannot bind queue %u (is another delay line using it?)\n", queue_num);
        return 1;
    }
    /* The verdict needs only the packet's id: ask for no payload. */
    if (nfq_set_mode(queue, NFQNL_COPY_META, 0) < 0 || nfq_set_queue_maxlen(queue, MAX_HELD) < 0) {
        perror("delayline: configuring the queue");
        return 1;
    }
    int fd = nfq_fd(nfq);
    /* Bursts must not overflow the socket: a lost message is a packet held until the kernel drops it. */
    int rcvbuf = 16 << 20, one = 1;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);
    setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof one);

    /* Signals arrive only inside ppoll, so a stop is never missed between a check and a wait. */
    sigset_t blocked, during_wait;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGTERM);
    sigaddset(&blocked, SIGINT);
    sigprocmask(SIG_BLOCK, &blocked, &during_wait);
    struct sigaction action = {.sa_handler = on_signal};
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);

    printf("ready: queue %u, %llu us\n", queue_num, (unsigned long long)(delay_ns / 1000));
    fflush(stdout);

    static char buf[1 << 16];
    while (!stopping) {
        struct timespec wait, *timeout = NULL;
        if (count > 0) {
            uint64_t now = now_ns(), due = ring[head].due_ns;
            uint64_t left = due > now ? due - now : 0;
            wait = (struct timespec){(time_t)(left / 1000000000u), (long)(left % 1000000000u)};
            timeout = &wait;
        }
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int ready = ppoll(&p, 1, timeout, &during_wait);
        if (ready < 0 && errno != EINTR) {
            perror("delayline: ppoll");
            break;
        }
        if (ready > 0) {
            ssize_t n;
            while ((n = recv(fd, buf, sizeof buf, MSG_DONTWAIT)) > 0) {
                nfq_handle_packet(nfq, buf, (int)n);
            }
        }
        release(queue, now_ns());
    }
    release(queue, UINT64_MAX);
    nfq_destroy_queue(queue);
    nfq_close(nfq);
    return 0;
}
