/*
 * synflood: the kernel's rate for SynFloodBenchmark's work, measured the same way (SYNs per
 * second of wall-clock time on one core, every SYN answered by a cookie SYN-ACK).
 *
 *   gcc -O2 -o /tmp/synflood stack-bench/src/main/c/synflood.c
 *   sudo /tmp/synflood [iterations=5] [seconds=1] [cpu=1] [otherhost]
 *
 * It needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN): it makes a private network namespace
 * (unshare(CLONE_NEWNET)) and builds there, with ip(8), what the benchmark's host has:
 *
 *   v0 ──veth── v1 10.0.0.2/24, a listener on :80, net.ipv4.tcp_syncookies=2
 *   v2 10.0.1.2/24 ──veth── v3 (down): default route via 10.0.1.1, a permanent neighbour,
 *                                      so each SYN-ACK leaves and is dropped by the veth
 *
 * SYNs go in through an AF_PACKET socket on v0 (PACKET_QDISC_BYPASS, sendmmsg of 64 frames, as
 * a NAPI budget), so each enters v1 as a received Ethernet frame (veth_xmit, netif_rx) and is
 * processed in this thread's softirq: Ethernet and IPv4 input with a route lookup, TCP checksum
 * and demux, tcp_conn_request with cookie_v4_init_sequence, the SYN-ACK built and routed out of v2.
 * The frames are those of SynFloodBenchmark.synFrames: 74 bytes, from 4096 sources in
 * 198.18.0.0/15, options mss 1460,sackOK,TS,nop,wscale 7. The process is pinned to one CPU.
 *
 * With "otherhost" the frames carry another destination MAC: v1 drops each in ip_rcv
 * (PACKET_OTHERHOST), which measures the injection path alone (the packet socket, veth, netif_rx,
 * eth_type_trans), to be subtracted when comparing the receive and SYN-ACK work only.
 *
 * Counted: TcpExt SyncookiesSent of the namespace (every SYN must have one) and v2's drops.
 * The kernel's figure includes the packet socket's send path (skb allocation and copy), as the
 * benchmark's includes the skb allocation and the copy of each frame.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SOURCES 4096
#define BATCH 64
#define FRAME_LEN 74

static uint8_t frames[SOURCES][FRAME_LEN];

static void die(const char *what) {
    perror(what);
    exit(1);
}

static void run(const char *cmd) {
    if (system(cmd) != 0) {
        fprintf(stderr, "failed: %s\n", cmd);
        exit(1);
    }
}

/* RFC 1071 over a buffer, starting from sum. */
static uint32_t sum16(const uint8_t *p, int len, uint32_t sum) {
    for (int i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)p[i] << 8 | p[i + 1];
    if (len & 1)
        sum += (uint32_t)p[len - 1] << 8;
    return sum;
}

static uint16_t fold(uint32_t sum) {
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    return (uint16_t)~sum;
}

static uint64_t rng = 2544;
static uint32_t next32(void) {
    /* splitmix64: any fixed-seed sequence will do, the values only have to differ per SYN */
    uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}

static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }
static void put32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }

static void build_frames(int otherhost) {
    const uint8_t dst_mac[6] = {2, 0, 0, 0, 0, otherhost ? 0x99 : 2}, src_mac[6] = {2, 0, 0, 0, 0, 1};
    uint32_t daddr = 0x0A000002; /* 10.0.0.2 */
    for (int i = 0; i < SOURCES; i++) {
        uint8_t *f = frames[i], *ip = f + 14, *th = ip + 20;
        uint32_t saddr = 0xC6120000u + i + 1; /* 198.18.0.0/15 */
        memset(f, 0, FRAME_LEN);
        memcpy(f, dst_mac, 6);
        memcpy(f + 6, src_mac, 6);
        put16(f + 12, 0x0800);
        ip[0] = 0x45;
        put16(ip + 2, 60);
        put16(ip + 6, 0x4000); /* DF */
        ip[8] = 64;
        ip[9] = IPPROTO_TCP;
        put32(ip + 12, saddr);
        put32(ip + 16, daddr);
        put16(ip + 10, fold(sum16(ip, 20, 0)));
        put16(th, 1024 + next32() % 64512);
        put16(th + 2, 80);
        put32(th + 4, next32());
        th[12] = 10 << 4; /* 40-byte header */
        th[13] = 0x02;    /* SYN */
        put16(th + 14, 64240);
        uint8_t *o = th + 20; /* mss 1460, sackOK, TS val x ecr 0, nop, wscale 7 */
        o[0] = 2; o[1] = 4; put16(o + 2, 1460);
        o[4] = 4; o[5] = 2; o[6] = 8; o[7] = 10; put32(o + 8, next32()); put32(o + 12, 0);
        o[16] = 1; o[17] = 3; o[18] = 3; o[19] = 7;
        uint32_t ps = (saddr >> 16) + (saddr & 0xFFFF) + (daddr >> 16) + (daddr & 0xFFFF) + IPPROTO_TCP + 40;
        put16(th + 16, fold(sum16(th, 40, ps)));
    }
}

/* A counter of /proc/net/netstat (the TcpExt: lines). */
static long long netstat(const char *name) {
    FILE *f = fopen("/proc/net/netstat", "r");
    char names[8192], values[8192];
    long long result = -1;
    if (!f)
        die("/proc/net/netstat");
    while (fgets(names, sizeof names, f) && fgets(values, sizeof values, f)) {
        if (strncmp(names, "TcpExt:", 7) != 0)
            continue;
        char *sn, *sv, *n = strtok_r(names, " \n", &sn), *v = strtok_r(values, " \n", &sv);
        while (n && v) {
            if (strcmp(n, name) == 0)
                result = atoll(v);
            n = strtok_r(NULL, " \n", &sn);
            v = strtok_r(NULL, " \n", &sv);
        }
    }
    fclose(f);
    return result;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv) {
    int iterations = argc > 1 ? atoi(argv[1]) : 5;
    double seconds = argc > 2 ? atof(argv[2]) : 1.0;
    int cpu_id = argc > 3 ? atoi(argv[3]) : 1;
    int otherhost = argc > 4 && strcmp(argv[4], "otherhost") == 0;

    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu_id, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0)
        die("sched_setaffinity");
    if (unshare(CLONE_NEWNET) != 0)
        die("unshare(CLONE_NEWNET) (run as root)");
    run("ip link set lo up");
    run("ip link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02");
    run("ip link add v2 type veth peer name v3");
    run("ip addr add 10.0.0.2/24 dev v1");
    run("ip addr add 10.0.1.2/24 dev v2");
    run("ip link set v0 up && ip link set v1 up && ip link set v2 up");
    run("ip route add default via 10.0.1.1 dev v2");
    run("ip neigh add 10.0.1.1 lladdr 02:00:00:00:01:01 dev v2 nud permanent");
    run("sysctl -q -w net.ipv4.tcp_syncookies=2");

    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(80)};
    inet_pton(AF_INET, "10.0.0.2", &sin.sin_addr);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&sin, sizeof sin) != 0 || listen(lfd, 4096) != 0)
        die("listener");

    int pfd = socket(AF_PACKET, SOCK_RAW, 0);
    if (pfd < 0)
        die("socket(AF_PACKET)");
    int one = 1;
    setsockopt(pfd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);
    struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_ifindex = (int)if_nametoindex("v0"), .sll_halen = 6};
    if (bind(pfd, (struct sockaddr *)&sll, sizeof sll) != 0)
        die("bind(AF_PACKET)");

    build_frames(otherhost);
    struct iovec iov[SOURCES];
    struct mmsghdr msgs[SOURCES];
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < SOURCES; i++) {
        iov[i].iov_base = frames[i];
        iov[i].iov_len = FRAME_LEN;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }

    /* one warm-up second, then the measured iterations */
    for (int it = -1; it < iterations; it++) {
        long long cookies0 = netstat("SyncookiesSent");
        long long sent = 0;
        int next = 0;
        double t0 = now(), c0 = cpu(), t;
        do {
            for (int k = 0; k < 16; k++) {
                int n = sendmmsg(pfd, msgs + next, BATCH, 0);
                if (n < 0)
                    die("sendmmsg");
                sent += n;
                next = (next + n) & (SOURCES - 1);
            }
            t = now();
        } while (t - t0 < seconds);
        double c = cpu() - c0;
        long long cookies = netstat("SyncookiesSent") - cookies0;
        if (otherhost)
            printf("%s %d: %.0f frames/s (wall), %.0f frames/s per CPU second, dropped at v1 (injection only)\n",
                   it < 0 ? "warmup" : "iteration", it < 0 ? 1 : it + 1, sent / (t - t0), sent / c);
        else
            printf("%s %d: %.0f SYNs/s (wall), %.0f SYNs/s per CPU second, sent=%lld SyncookiesSent=%lld%s\n",
                   it < 0 ? "warmup" : "iteration", it < 0 ? 1 : it + 1, cookies / (t - t0), cookies / c, sent,
                   cookies, cookies == sent ? "" : "  (MISSING COOKIES)");
        fflush(stdout);
    }
    run("ip -s link show v2 | sed -n '1p;/TX:/,+1p'");
    return 0;
}
