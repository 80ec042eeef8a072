package dev.synedge.origin;

import io.netty.buffer.ByteBuf;

/**
 * A response body the writer can cut into slices without copying. Owns what it refers to
 * until {@link #release()}.
 */
sealed interface Content permits Content.Pattern, Content.Bytes {

    long length();

    /**
     * A retained slice of up to {@code maxLength} bytes starting at body offset {@code offset};
     * possibly shorter. The caller owns (and releases, or writes) the slice.
     */
    ByteBuf slice(long offset, int maxLength);

    void release();

    /** A sized body: slices of the shared pattern block, which this content does not own. */
    record Pattern(ByteBuf block, long length) implements Content {
        @Override
        public ByteBuf slice(long offset, int maxLength) {
            int index = (int) (offset % BodyPattern.BLOCK_LENGTH);
            int n = (int) Math.min(Math.min(maxLength, length - offset), BodyPattern.BLOCK_LENGTH - index);
            return block.retainedSlice(index, n);
        }

        @Override
        public void release() {
            // The block belongs to the origin, and every slice handed out is retained on its own.
        }
    }

    /** A body held in one buffer, which this content owns. */
    record Bytes(ByteBuf buf) implements Content {
        @Override
        public long length() {
            return buf.readableBytes();
        }

        @Override
        public ByteBuf slice(long offset, int maxLength) {
            int n = (int) Math.min(maxLength, length() - offset);
            return buf.retainedSlice(buf.readerIndex() + (int) offset, n);
        }

        @Override
        public void release() {
            buf.release();
        }
    }
}
