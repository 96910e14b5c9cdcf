package dev.stacksim.packetdrill;

import dev.stacksim.socket.Errno;
import dev.stacksim.socket.SocketConstants;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * The C names a script may use ({@code symbols_linux.c}): every constant of {@link SocketConstants}
 * ({@code AF_INET}, {@code SOCK_STREAM}, {@code SO_REUSEADDR}, {@code O_NONBLOCK}, {@code MSG_PEEK},
 * {@code POLLIN}, {@code SHUT_WR}, {@code TCP_NODELAY} ...), the few aliases packetdrill knows by
 * other names ({@code SIOCINQ}, {@code SIOCOUTQ}, {@code NULL}), and every {@link Errno}.
 */
final class Symbols {
    private static final Map<String, Long> TABLE = new HashMap<>();

    static {
        for (Field f : SocketConstants.class.getFields()) {
            int m = f.getModifiers();
            if (Modifier.isStatic(m) && Modifier.isFinal(m) && f.getType() == int.class) {
                try {
                    TABLE.put(f.getName(), (long) f.getInt(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        TABLE.put("SIOCINQ", (long) SocketConstants.FIONREAD);
        TABLE.put("SIOCOUTQ", (long) SocketConstants.SIOCOUTQ);
        TABLE.put("SIOCOUTQ", 0x5411L);
        TABLE.put("TIOCOUTQ", 0x5411L);
        TABLE.put("NULL", 0L);
        TABLE.put("O_RDONLY", 0L);
        TABLE.put("O_WRONLY", 1L);
        for (Errno e : Errno.values()) {
            TABLE.put(e.name(), (long) e.number());
        }
    }

    private Symbols() {
    }

    /** The value of {@code name}, or null when the runner does not know it. */
    static Long lookup(String name) {
        return TABLE.get(name);
    }
}
