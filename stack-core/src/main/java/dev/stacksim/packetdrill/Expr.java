package dev.stacksim.packetdrill;

import java.util.List;

/**
 * A system call argument or result as a script writes it (packetdrill's {@code struct expression}):
 * {@code ...}, {@code 3}, {@code 0x802}, {@code SOCK_STREAM}, {@code "text"},
 * {@code O_RDWR|O_NONBLOCK}, {@code [1]}, {@code htons(8080)}, and braces:
 * {@code {onoff=1, linger=0}}, {@code {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("192.0.2.1")}},
 * {@code {fd=4, events=POLLIN, revents=POLLIN}}, {@code {..., 1000}}.
 *
 * <p>Braces parse into one generic {@link Struct} of named or positional fields; the interpreter
 * reads them as the structure the call expects.
 */
public sealed interface Expr {
    /** {@code ...}: "whatever the runner supplies" (an address, a buffer, a length). */
    record Ellipsis() implements Expr {
        @Override
        public String toString() {
            return "...";
        }
    }

    /** An integer literal, decimal or hex ({@code hex} keeps how it was written). */
    record Int(long value, boolean hex) implements Expr {
        @Override
        public String toString() {
            return hex ? "0x" + Long.toHexString(value) : Long.toString(value);
        }
    }

    /** A symbol ({@code SOCK_STREAM}, {@code EINPROGRESS}) or a bare word. */
    record Word(String name) implements Expr {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A string literal; {@code ellipsis} for {@code "abc"...} (a prefix). */
    record Str(String value, boolean ellipsis) implements Expr {
        @Override
        public String toString() {
            return "\"" + value + "\"" + (ellipsis ? "..." : "");
        }
    }

    /** {@code a|b}: a bitwise OR of flags. */
    record Or(Expr left, Expr right) implements Expr {
        @Override
        public String toString() {
            return left + "|" + right;
        }
    }

    /** {@code [a, b]}: an array (an int passed by pointer is {@code [1]}). */
    record ListExpr(List<Expr> items) implements Expr {
        @Override
        public String toString() {
            return items.toString();
        }
    }

    /** {@code fn(args)} inside an expression: {@code htons(8080)}, {@code inet_addr("192.0.2.1")}. */
    record Call(String function, List<Expr> args) implements Expr {
        @Override
        public String toString() {
            String a = args.toString();
            return function + "(" + a.substring(1, a.length() - 1) + ")";
        }
    }

    /** {@code {name=value, value}}: a C struct or an initializer list. */
    record Struct(List<Field> fields) implements Expr {
        /** The value of the field called {@code name}, or null. */
        public Expr get(String name) {
            for (Field f : fields) {
                if (name.equals(f.name())) {
                    return f.value();
                }
            }
            return null;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < fields.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(fields.get(i));
            }
            return sb.append('}').toString();
        }
    }

    /**
     * One field of a {@link Struct}: {@code name=value}, {@code name(arg)=value} (msghdr's
     * {@code msg_iov(1)=[...]}) or a positional {@code value} (name null).
     */
    record Field(String name, Expr arg, Expr value) {
        @Override
        public String toString() {
            return name == null ? String.valueOf(value) : name + (arg == null ? "" : "(" + arg + ")") + "=" + value;
        }
    }
}
