package org.cameleliza.component.eliza.connection;

import java.lang.reflect.Field;

import io.socket.thread.EventThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Socket.IO's event thread alive while a connection of the component is open. io.socket 2.x ends that thread
 * whenever its queue runs dry and starts a new one with the next task: with one message in flight that is a thread
 * start for every message (measured: 7,431 thread starts in 9 s of the producer benchmark), a cost on the path of every
 * send and every received event. The thread lives as long as io.socket counts a task as pending, so each open
 * connection counts as one: the count is io.socket's private {@code EventThread.counter}, changed under the lock
 * io.socket itself takes for it.
 * <p>
 * Where that field cannot be reached (another io.socket version, a security manager), nothing is kept and everything
 * works as before, at the old cost; a debug line says so once. The thread is a daemon when the thread that started it
 * was (io.socket copies that), as before; what ends it is the close of the last connection, which stopping the
 * CamelContext does.
 */
final class ElizaEventThreadKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(ElizaEventThreadKeeper.class);
    private static final Field COUNTER = counterField();
    // the connections holding the thread; guarded by EventThread.class, as io.socket's counter is
    private static int holders;

    private ElizaEventThreadKeeper() {
    }

    private static Field counterField() {
        try {
            Field counter = EventThread.class.getDeclaredField("counter");
            if (counter.getType() != int.class) {
                throw new NoSuchFieldException("counter is not an int");
            }
            counter.setAccessible(true);
            return counter;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("Socket.IO's event thread cannot be kept alive between tasks ({}): it is started again whenever"
                      + " its queue ran dry", e.toString());
            return null;
        }
    }

    /** Whether the thread is kept alive while connections are open. */
    static boolean isAvailable() {
        return COUNTER != null;
    }

    /** A connection opened: the thread stays alive until it is released. */
    static void hold() {
        if (COUNTER == null) {
            return;
        }
        synchronized (EventThread.class) {
            if (holders++ == 0) {
                add(1);
            }
        }
    }

    /** A connection closed: when it was the last, the thread ends once its queue runs dry, as io.socket ends it. */
    static void release() {
        if (COUNTER == null) {
            return;
        }
        synchronized (EventThread.class) {
            if (holders == 0 || --holders > 0) {
                return;
            }
            add(-1);
        }
        // io.socket shuts its executor down only at the end of a task that leaves the count at zero: run one
        EventThread.nextTick(() -> {
        });
    }

    private static void add(int delta) {
        try {
            COUNTER.setInt(null, COUNTER.getInt(null) + delta);
        } catch (IllegalAccessException e) {
            // cannot happen once setAccessible succeeded
            throw new IllegalStateException(e);
        }
    }
}
