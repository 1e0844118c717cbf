package io.opensase.core.control.api;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads engine calls run on, so that a slow one never holds an event loop: one for {@code /health}
 * alone (it answers while a reload or a large read runs), two for reads, one for changes (a reload and a
 * configuration put never run at the same time). Each has a bounded queue; a full one refuses the request
 * (503). Daemon threads.
 */
record ApiExecutors(ExecutorService health, ExecutorService read, ExecutorService change) implements AutoCloseable
{
    static final int READ_THREADS = 2;
    static final int HEALTH_QUEUE = 16;
    static final int READ_QUEUE = 32;
    static final int CHANGE_QUEUE = 4;

    static ApiExecutors start()
    {
        return new ApiExecutors(
            pool("opensase-api-health", 1, HEALTH_QUEUE),
            pool("opensase-api-read", READ_THREADS, READ_QUEUE),
            pool("opensase-api-change", 1, CHANGE_QUEUE));
    }

    /** Stops taking requests; a call in progress finishes on its own (daemon threads never hold the JVM). */
    @Override
    public void close()
    {
        health.shutdown();
        read.shutdown();
        change.shutdown();
    }

    private static ExecutorService pool(final String name, final int threads, final int queue)
    {
        final AtomicInteger count = new AtomicInteger();
        final ThreadFactory factory = task ->
        {
            final Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
            factory, new ThreadPoolExecutor.AbortPolicy());
    }
}
