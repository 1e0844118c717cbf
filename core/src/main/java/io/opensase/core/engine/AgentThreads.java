package io.opensase.core.engine;

import io.opensase.core.config.IdleMode;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs poll agents, one platform thread each, until every one is done or one fails.
 */
final class AgentThreads
{
    private AgentThreads()
    {
    }

    static IdleStrategy idleStrategy(final IdleMode mode)
    {
        return switch (mode)
        {
            case BUSY_SPIN -> new BusySpinIdleStrategy();
            case BACKOFF -> new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1),
                TimeUnit.MILLISECONDS.toNanos(1));
            case SLEEP -> new SleepingIdleStrategy(TimeUnit.MILLISECONDS.toNanos(1));
        };
    }

    /**
     * Starts every agent and waits for all of them.
     *
     * @return the first failure of any agent (the others are then stopped), or null.
     */
    static Throwable runAll(final List<PollAgent> agents, final IdleMode idle)
    {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Thread> threads = new ArrayList<>();
        for (final PollAgent agent : agents)
        {
            final IdleStrategy strategy = idleStrategy(idle);
            final Thread thread = new Thread(() -> loop(agent, strategy, failure), agent.roleName());
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        for (final Thread thread : threads)
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                failure.compareAndSet(null, ex);
            }
        }
        return failure.get();
    }

    private static void loop(final PollAgent agent, final IdleStrategy idle, final AtomicReference<Throwable> failure)
    {
        try
        {
            while (!agent.isDone() && null == failure.get())
            {
                idle.idle(agent.doWork());
            }
        }
        catch (final Throwable ex)
        {
            failure.compareAndSet(null, ex);
        }
    }
}
