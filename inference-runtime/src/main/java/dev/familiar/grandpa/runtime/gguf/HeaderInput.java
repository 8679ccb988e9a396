package dev.familiar.grandpa.runtime.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A file read front to back through a small buffer, little-endian, where no length read from it is
 * trusted: a count, a string or a skip that would run past the end fails with the file's name and the byte
 * where it went wrong. Positions are absolute file offsets.
 */
class HeaderInput {
    private final Path path;
    private final FileChannel channel;
    final long size;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private long bufferStart;

    HeaderInput(Path path, FileChannel channel) throws IOException {
        this.path = path;
        this.channel = channel;
        this.size = channel.size();
        buffer.limit(0);
    }

    Path path() {
        return path;
    }

    /** A count of things of at least {@code minBytesEach} bytes each, checked against what is left of the file. */
    long count(long at, long value, int minBytesEach, String what) {
        if (value < 0 || value > remaining() / minBytesEach) {
            throw fail(at, what + " " + Long.toUnsignedString(value) + " cannot fit in the "
                    + remaining() + " bytes left of the file: truncated or corrupt");
        }
        return value;
    }

    String string() throws IOException {
        long at = position();
        long n = u64();
        if (n < 0 || n > remaining() || n > Integer.MAX_VALUE - 16) {
            throw fail(at, "string of " + Long.toUnsignedString(n) + " bytes runs past the end of the file");
        }
        byte[] bytes = new byte[(int) n];
        int done = 0;
        while (done < n) {
            ensure(1);
            int chunk = Math.min(buffer.remaining(), (int) n - done);
            buffer.get(bytes, done, chunk);
            done += chunk;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw fail(at, "string is not UTF-8");
        }
    }

    boolean bool() throws IOException {
        long at = position();
        int b = u8();
        if (b > 1) {
            throw fail(at, "boolean value " + b);
        }
        return b == 1;
    }

    int u8() throws IOException {
        ensure(1);
        return buffer.get() & 0xff;
    }

    int u16() throws IOException {
        ensure(2);
        return buffer.getShort() & 0xffff;
    }

    long u32() throws IOException {
        ensure(4);
        return buffer.getInt() & 0xffffffffL;
    }

    long u64() throws IOException {
        ensure(8);
        return buffer.getLong();
    }

    void skip(long n) throws IOException {
        long target = position() + n;
        if (target <= bufferStart + buffer.limit()) {
            buffer.position((int) (target - bufferStart));
        } else {
            bufferStart = target;
            buffer.clear().limit(0);
        }
    }

    long position() {
        return bufferStart + buffer.position();
    }

    long remaining() {
        return size - position();
    }

    private void ensure(int n) throws IOException {
        if (buffer.remaining() >= n) {
            return;
        }
        long pos = position();
        if (pos + n > size) {
            throw fail(pos, "truncated: the header needs " + n + " more byte(s) but the file ends at byte " + size);
        }
        buffer.compact(); // the unread bytes move to the front: index 0 is now file position pos
        bufferStart = pos;
        while (buffer.hasRemaining() && channel.read(buffer, pos + buffer.position()) > 0) {
            // read until the buffer is full or the file ends
        }
        buffer.flip();
        if (buffer.remaining() < n) {
            throw fail(pos, "truncated: the file ended while it was being read");
        }
    }

    GgufFormatException fail(long at, String problem) {
        return new GgufFormatException(path, at, problem);
    }
}
