package dev.familiar.grandpa.store.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One grandpa per data directory, decided before anything is touched: the first start takes an
 * exclusive lock on {@code <data directory>.lock} (the operating system lets it go when the process
 * ends, killed or not) and writes its pid, and later its port, into it; a second start finds the lock
 * held and says whose it is, without going near the database.
 */
final class InstanceLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static InstanceLock acquire(Path dataDirectory) {
        Path file = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".lock");
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null; // this process holds it already
            }
            if (lock == null) {
                String holder = read(channel);
                channel.close();
                throw new DataDirectoryInUse("grandpa is already running here (" + (holder.isBlank() ? "its pid is not known yet"
                        : holder) + "), with its data in " + dataDirectory.getParent() + ": stop it first, or start this "
                        + "one with another data directory (grandpa.database.embedded.data-directory)");
            }
            var held = new InstanceLock(channel, lock);
            held.write("pid " + ProcessHandle.current().pid());
            return held;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    /** Adds the port the service answers on, for whoever finds the lock held. */
    void port(int port) {
        write("pid " + ProcessHandle.current().pid() + ", port " + port);
    }

    private synchronized void write(String holder) {
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
        } catch (IOException e) {
            // only the message a second start shows depends on it
        }
    }

    private static String read(FileChannel channel) throws IOException {
        var buffer = ByteBuffer.allocate(256);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the process ends soon; the system lets the lock go then
        }
    }
}
