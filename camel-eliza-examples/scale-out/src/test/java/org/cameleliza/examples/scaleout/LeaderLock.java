package org.cameleliza.examples.scaleout;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Holds the leader lock of the room's namespace from outside the instances, as a leader that is slow to be replaced
 * would: while it is held, no instance leads, so what is posted meanwhile can only reach them through the new
 * leader's recovery from the room's history. (A lock of this JVM: closing it, or any channel of this JVM on the same
 * file, releases it.)
 */
final class LeaderLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private LeaderLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock, which must be free (its last holder is dead or stopped) and must not be taken by a follower
     * first: a follower takes it only once the dead leader's heartbeat is older than 5 s (application.properties).
     */
    static LeaderLock take(Path lockFile, Duration timeout) throws IOException, InterruptedException {
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return new LeaderLock(channel, lock);
            }
            if (System.nanoTime() > deadline) {
                channel.close();
                throw new AssertionError("The leader lock " + lockFile + " was not free within " + timeout
                                         + ": a follower took over before the test could hold it");
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
