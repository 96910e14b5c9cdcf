package dev.stacksim.socket;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A process's descriptor table ({@code struct fdtable}): descriptor → open file, plus the
 * per-descriptor FD_CLOEXEC flag. New descriptors take the lowest free number below the
 * RLIMIT_NOFILE limit ({@code alloc_fd}); past it, EMFILE.
 */
final class FdTable {
    private OpenFile[] files;
    private boolean[] cloexec;
    private int limit;
    /**
     * Every descriptor below it is taken ({@code files->next_fd}): the search for the lowest free
     * one starts here, so a process opening a million sockets does not rescan its table each time.
     */
    private int nextFd;

    FdTable(int limit) {
        this.limit = limit;
        this.files = new OpenFile[Math.min(limit, 64)];
        this.cloexec = new boolean[files.length];
    }

    /** A copy for a forked child: same files (one more reference each), same flags. */
    FdTable copy() {
        FdTable t = new FdTable(limit);
        t.files = files.clone();
        t.cloexec = cloexec.clone();
        t.nextFd = nextFd;
        for (OpenFile f : t.files) {
            if (f != null) {
                f.refs++;
            }
        }
        return t;
    }

    int limit() {
        return limit;
    }

    void setLimit(int limit) {
        this.limit = limit;
    }

    /** The file at {@code fd}, or null when not open. */
    OpenFile get(int fd) {
        return fd >= 0 && fd < files.length ? files[fd] : null;
    }

    boolean cloexec(int fd) {
        return cloexec[fd];
    }

    void setCloexec(int fd, boolean on) {
        cloexec[fd] = on;
    }

    /** The lowest free descriptor, or -1 when all below the limit are taken. */
    int lowestFree() {
        for (int fd = nextFd; fd < limit; fd++) {
            if (fd >= files.length || files[fd] == null) {
                nextFd = fd;
                return fd;
            }
        }
        return -1;
    }

    /** Puts {@code file} at {@code fd} (which must be below the limit) without touching its count. */
    void install(int fd, OpenFile file, boolean closeOnExec) {
        if (fd >= files.length) {
            int n = Math.min(Math.max(files.length * 2, fd + 1), Math.max(limit, fd + 1));
            files = Arrays.copyOf(files, n);
            cloexec = Arrays.copyOf(cloexec, n);
        }
        files[fd] = file;
        cloexec[fd] = closeOnExec;
        if (fd == nextFd) {
            nextFd++;
        }
    }

    /** Removes and returns the file at {@code fd} (its count untouched), or null. */
    OpenFile remove(int fd) {
        OpenFile f = get(fd);
        if (f != null) {
            files[fd] = null;
            cloexec[fd] = false;
            if (fd < nextFd) {
                nextFd = fd;
            }
        }
        return f;
    }

    /** The open descriptors in order. */
    List<Integer> open() {
        List<Integer> out = new ArrayList<>();
        for (int fd = 0; fd < files.length; fd++) {
            if (files[fd] != null) {
                out.add(fd);
            }
        }
        return out;
    }
}
