package io.opensase.core.engine;

import io.opensase.core.config.IdleMode;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs poll agents, one platform thread each, until every one is done or one fails. Once each has set itself
 * up (a DPDK poll thread pins itself to a CPU), the process's other threads are moved off the poll threads'
 * CPUs ({@link CpuPlacement}).
 */
final class AgentThreads
{
    /** How long the start waits for every poll thread to have pinned itself. */
    private static final long SET_UP_WAIT_SECONDS = 30;

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
     * Starts every agent on a thread of its own and waits for all of them. After {@code durationNs} (when
     * positive) the port set is asked to stop, and the agents drain and finish.
     *
     * @return the first failure of any agent (the others are then stopped), or null.
     */
    static Throwable runAll(final List<PollAgent> agents, final IdleMode idle, final PortSet ports,
        final long durationNs)
    {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Thread> threads = new ArrayList<>();
        final Set<Integer> pollThreads = ConcurrentHashMap.newKeySet();
        final CountDownLatch setUp = new CountDownLatch(agents.size());
        for (int i = 0; i < agents.size(); i++)
        {
            final PollAgent agent = agents.get(i);
            final IdleStrategy strategy = idleStrategy(idle);
            final int index = i;
            threads.add(new Thread(() -> loop(agent, index, strategy, ports, failure, pollThreads, setUp),
                agent.roleName()));
        }
        final Map<Integer, BitSet> placementBefore = CpuPlacement.snapshot();
        try
        {
            threads.forEach(Thread::start);
            keepOthersOffPollCpus(pollThreads, setUp);
            final long deadline = durationNs > 0 ? System.nanoTime() + durationNs : Long.MAX_VALUE;
            boolean stopRequested = false;
            for (final Thread thread : threads)
            {
                try
                {
                    while (!stopRequested && thread.isAlive())
                    {
                        final long leftNs = deadline - System.nanoTime();
                        if (leftNs <= 0)
                        {
                            ports.requestStop();
                            stopRequested = true;
                        }
                        else
                        {
                            thread.join(Math.max(1, Math.min(leftNs / 1_000_000, 100)));
                        }
                    }
                    thread.join();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    failure.compareAndSet(null, ex);
                }
            }
        }
        finally
        {
            // Also when placing the threads failed: a JVM that goes on (tests embed the engine) keeps its CPUs.
            CpuPlacement.restore(placementBefore);
        }
        return failure.get();
    }

    private static void keepOthersOffPollCpus(final Set<Integer> pollThreads, final CountDownLatch setUp)
    {
        try
        {
            if (!setUp.await(SET_UP_WAIT_SECONDS, TimeUnit.SECONDS))
            {
                return;
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return;
        }
        final BitSet others = CpuPlacement.keepOthersOff(pollThreads);
        if (null != others)
        {
            System.err.println("opensase: threads other than the poll threads run on CPUs " + others
                + ", not on the poll threads' CPUs");
        }
    }

    private static void loop(
        final PollAgent agent,
        final int index,
        final IdleStrategy idle,
        final PortSet ports,
        final AtomicReference<Throwable> failure,
        final Set<Integer> pollThreads,
        final CountDownLatch setUp)
    {
        try
        {
            try
            {
                ports.onThreadStart(index);
                pollThreads.add(CpuPlacement.currentThreadId());
            }
            finally
            {
                setUp.countDown();
            }
            try
            {
                while (!agent.isDone() && null == failure.get())
                {
                    idle.idle(agent.doWork());
                }
            }
            finally
            {
                ports.onThreadStop();
            }
        }
        catch (final Throwable ex)
        {
            failure.compareAndSet(null, ex);
        }
    }
}
