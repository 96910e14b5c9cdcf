package dev.stacksim.diag;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * A model of how many heap bytes a Java object takes, for the memory report
 * ({@link SocketMemory}): the HotSpot layout of a 64-bit JVM with compressed class pointers and
 * compressed oops, the default below a 32 GB heap.
 *
 * <pre>
 *  instance: | mark word 8 | class 4 | fields, packed largest first (long/double 8, int/float 4,
 *            |   reference 4, short/char 2, byte/boolean 1) | padding to a multiple of 8 |
 *  array:    | mark word 8 | class 4 | length 4 | elements | padding to a multiple of 8 |
 * </pre>
 *
 * An instance's size is its header plus the sizes of every instance field it declares or
 * inherits, rounded up to 8: since JDK 15 HotSpot fills the gaps between fields, including those
 * a superclass leaves, so the sum is what {@code jcmd GC.class_histogram} reports for our classes
 * (checked in {@code SocketMemoryTest}). Field types are read by reflection without opening
 * anything, so it sizes JDK classes as well as ours. It knows nothing of what a field refers to:
 * the caller lists the objects (see {@link dev.stacksim.tcp.TcpMemory#forEachHeapObject}).
 */
public final class HeapLayout {
    /** Object header: 8-byte mark word and 4-byte compressed class pointer. */
    public static final int HEADER = 12;
    /** Array header: the object header and the 4-byte length. */
    public static final int ARRAY_HEADER = 16;
    /** A compressed reference. */
    public static final int REFERENCE = 4;
    /** Object alignment ({@code -XX:ObjectAlignmentInBytes}). */
    public static final int ALIGNMENT = 8;

    private static final ClassValue<Long> SHALLOW = new ClassValue<>() {
        @Override
        protected Long computeValue(Class<?> type) {
            long bytes = HEADER;
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers())) {
                        bytes += fieldSize(f.getType());
                    }
                }
            }
            return align(bytes);
        }
    };

    private HeapLayout() {
    }

    /** The bytes of one instance of {@code type} (not an array class), shallow: what its fields refer to is not counted. */
    public static long instanceSize(Class<?> type) {
        if (type.isArray()) {
            throw new IllegalArgumentException("instanceSize: type=" + type.getName() + " is an array class");
        }
        return SHALLOW.get(type);
    }

    /** The bytes of an array of {@code arrayType} ({@code Object[].class}, {@code int[].class} ...) with {@code length} elements. */
    public static long arraySize(Class<?> arrayType, int length) {
        if (!arrayType.isArray() || length < 0) {
            throw new IllegalArgumentException("arraySize: type=" + arrayType.getName() + " length=" + length);
        }
        return align(ARRAY_HEADER + (long) fieldSize(arrayType.getComponentType()) * length);
    }

    /** {@link #arraySize} when {@code arrayLength >= 0}, else {@link #instanceSize}. */
    public static long size(Class<?> type, int arrayLength) {
        return arrayLength >= 0 ? arraySize(type, arrayLength) : instanceSize(type);
    }

    /** The bytes a field or array element of {@code type} takes. */
    static int fieldSize(Class<?> type) {
        if (!type.isPrimitive()) {
            return REFERENCE;
        }
        if (type == long.class || type == double.class) {
            return 8;
        }
        if (type == int.class || type == float.class) {
            return 4;
        }
        if (type == short.class || type == char.class) {
            return 2;
        }
        return 1;
    }

    private static long align(long bytes) {
        return (bytes + ALIGNMENT - 1) & -ALIGNMENT;
    }
}
