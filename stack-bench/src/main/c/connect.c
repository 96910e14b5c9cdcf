/*
 * connect: TcpConnectBenchmark.kernel without the JVM, to show what the JDK adds to the kernel's
 * loopback connection rate. One thread, blocking sockets: socket, connect to 127.0.0.1, accept,
 * close the client (SO_LINGER {1, 0} with "rst"), close the server's socket; ops per second of
 * wall-clock time, 5 iterations of 1 s after one of warm-up.
 *
 *   gcc -O2 -o /tmp/connect stack-bench/src/main/c/connect.c
 *   /tmp/connect rst|fin        (best in its own namespace: unshare -n sh -c 'ip link set lo up; /tmp/connect fin')
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    int rst = argc > 1 && strcmp(argv[1], "rst") == 0;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    int one = 1, l = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(l, (struct sockaddr *)&a, sizeof a) || listen(l, 4096) || getsockname(l, (struct sockaddr *)&a, &alen)) {
        perror("listener");
        return 1;
    }
    struct linger abort_ = {1, 0};
    for (int it = -1; it < 5; it++) {
        long ops = 0;
        double t0 = now(), t;
        do {
            for (int k = 0; k < 100; k++) {
                int c = socket(AF_INET, SOCK_STREAM, 0);
                if (rst)
                    setsockopt(c, SOL_SOCKET, SO_LINGER, &abort_, sizeof abort_);
                if (connect(c, (struct sockaddr *)&a, sizeof a)) {
                    perror("connect");
                    return 1;
                }
                int s = accept(l, NULL, NULL);
                close(c);
                close(s);
                ops++;
            }
            t = now();
        } while (t - t0 < 1.0);
        printf("%s %d: %.0f ops/s\n", it < 0 ? "warmup" : "iteration", it < 0 ? 1 : it + 1, ops / (t - t0));
    }
    return 0;
}
