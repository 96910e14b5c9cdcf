package dev.stacksim.net;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;

import java.util.ArrayList;
import java.util.List;

/** A test medium: records a copy of each frame transmitted into it and releases the skb; can refuse. */
final class RecordingMedium implements Medium {
    final List<byte[]> frames = new ArrayList<>();
    /** When true, every frame is dropped (as a full queue would). */
    boolean refuse;

    @Override
    public boolean transmit(SkBuff frame) {
        if (refuse) {
            frame.free(DropReason.QDISC_DROP);
            return false;
        }
        frames.add(frame.toByteArray());
        frame.consume();
        return true;
    }

    @Override
    public boolean isBusy() {
        return false;
    }
}
