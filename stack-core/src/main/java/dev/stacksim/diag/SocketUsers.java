package dev.stacksim.diag;

import dev.stacksim.socket.Process;
import dev.stacksim.socket.SocketLayer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which processes hold which sockets, found as {@code ss -p} and {@code netstat -p} find it: by
 * reading every process's descriptor links ({@code /proc/<pid>/fd/<fd> -> socket:[inode]}, here
 * {@link Process#fds()}), pids in ascending order, descriptors in ascending order. A socket shared
 * after {@code fork()} or {@code dup()} has one entry per descriptor.
 */
final class SocketUsers {
    /** {@code TASK_COMM_LEN - 1}: the kernel keeps 15 characters of a command name. */
    private static final int COMM_LEN = 15;
    /** netstat's {@code PROGNAME_WIDTH - 1}: "pid/name" is cut to 19 characters. */
    private static final int PROGNAME_LEN = 19;
    private static final String SOCKET_LINK = "socket:[";

    /** One descriptor: the process's name (its cmdline, for netstat), pid and fd. */
    private record Entry(String name, int pid, int fd) {
        /** The command name as {@code /proc/<pid>/stat} shows it (ss). */
        String comm() {
            return name.length() > COMM_LEN ? name.substring(0, COMM_LEN) : name;
        }
    }

    private final Map<Long, List<Entry>> byInode = new HashMap<>();

    private SocketUsers() {
    }

    /** Scans the processes of {@code layer} ({@code user_ent_hash_build}, {@code prg_cache_load}). */
    static SocketUsers scan(SocketLayer layer) {
        SocketUsers u = new SocketUsers();
        for (Process p : layer.processes()) {
            for (String link : p.fds()) {
                int arrow = link.indexOf(" -> ");
                String target = link.substring(arrow + 4);
                if (!target.startsWith(SOCKET_LINK)) {
                    continue;
                }
                long inode = Long.parseLong(target.substring(SOCKET_LINK.length(), target.length() - 1));
                int fd = Integer.parseInt(link.substring(0, arrow));
                u.byInode.computeIfAbsent(inode, k -> new ArrayList<>()).add(new Entry(p.name(), p.pid(), fd));
            }
        }
        return u;
    }

    /**
     * {@code ss -p}'s {@code users:(("httpd",pid=12,fd=3),("httpd",pid=11,fd=3))}, or empty when
     * no descriptor refers to {@code inode}. ss prepends each entry it finds to a hash chain, so
     * the last found comes first: highest pid first, and within a process highest fd first.
     */
    String ss(long inode) {
        List<Entry> es = inode == 0 ? null : byInode.get(inode);
        if (es == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" users:(");
        for (int i = es.size() - 1; i >= 0; i--) {
            Entry e = es.get(i);
            sb.append("(\"").append(e.comm()).append("\",pid=").append(e.pid).append(",fd=").append(e.fd).append(')');
            if (i > 0) {
                sb.append(',');
            }
        }
        return sb.append(')').toString();
    }

    /**
     * {@code netstat -p}'s {@code 1234/httpd}: the first process found (lowest pid), or {@code -}.
     * netstat keeps one holder per inode.
     */
    String netstat(long inode) {
        List<Entry> es = inode == 0 ? null : byInode.get(inode);
        if (es == null) {
            return "-";
        }
        String s = es.get(0).pid + "/" + es.get(0).name;
        return s.length() > PROGNAME_LEN ? s.substring(0, PROGNAME_LEN) : s;
    }
}
