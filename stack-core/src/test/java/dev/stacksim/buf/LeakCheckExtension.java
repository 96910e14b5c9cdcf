package dev.stacksim.buf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Fails any test that leaks: registered for every test of every module through JUnit's extension
 * auto-detection ({@code junit-platform.properties} and {@code META-INF/services} in stack-core's
 * test-jar).
 *
 * <ul>
 *   <li>After each test: every skb allocated during the test must have been released. The count is
 *       exact ({@link SkBuffPool#globalOutstanding()}); the failure lists each leaked skb with where it
 *       was allocated and last touched.</li>
 *   <li>After each test class: netty's own leak detector, at {@code PARANOID} (set by the build), must
 *       not have reported any {@code ByteBuf} as garbage-collected without a release. The detector
 *       only notices after a GC, so this check runs a few collections first.</li>
 * </ul>
 */
public final class LeakCheckExtension implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    private static final List<String> NETTY_LEAKS = new CopyOnWriteArrayList<>();

    static {
        // Must run before netty creates ByteBuf's detector (AbstractByteBuf's static initialiser):
        // JUnit instantiates extensions before any test touches a buffer.
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakCheckExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("outstanding", SkBuffPool.globalOutstanding());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        long before = context.getStore(NS).get("outstanding", Long.class);
        long leaked = SkBuffPool.globalOutstanding() - before;
        if (leaked > 0) {
            StringBuilder sb = new StringBuilder()
                    .append(context.getDisplayName()).append(" leaked ").append(leaked).append(" skb(s):");
            for (String live : SkBuffPool.liveSkbs()) {
                sb.append("\n  ").append(live);
            }
            throw new AssertionError(sb.toString());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            return;
        }
        for (int i = 0; i < 3 && NETTY_LEAKS.isEmpty(); i++) {
            System.gc();
            // Each tracked allocation polls the detector's reference queue and reports what it finds.
            for (int j = 0; j < 4; j++) {
                ByteBuf heap = PooledByteBufAllocator.DEFAULT.heapBuffer(1);
                heap.release();
                ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.heapBuffer(1);
                unpooled.release();
            }
        }
        if (!NETTY_LEAKS.isEmpty()) {
            String report = String.join("\n", NETTY_LEAKS);
            NETTY_LEAKS.clear();
            throw new AssertionError(context.getDisplayName() + ": netty reported leaked buffers:\n" + report);
        }
    }

    /** Creates detectors that record their reports instead of only logging them. */
    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            // The first lines of each access record are the stack's own frames; JUnit's follow.
            StringBuilder sb = new StringBuilder("LEAK: ").append(resourceType);
            String[] lines = records.split("\n");
            for (int i = 0; i < Math.min(lines.length, 40); i++) {
                if (!lines[i].contains("org.junit.") && !lines[i].contains("java.base/")) {
                    sb.append('\n').append(lines[i]);
                }
            }
            NETTY_LEAKS.add(sb.toString());
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            NETTY_LEAKS.add("LEAK: " + resourceType + " (untraced)");
        }
    }
}
