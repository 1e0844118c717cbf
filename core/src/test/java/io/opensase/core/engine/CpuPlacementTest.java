package io.opensase.core.engine;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The engine's other threads are moved off the CPUs poll threads are pinned to. Checked against what the kernel
 * reports in /proc (Cpus_allowed_list).
 * Every thread's mask is put back afterwards, as the test JVM runs other tests.
 */
class CpuPlacementTest
{
    @Test
    void otherThreadsLeaveThePinnedThreadsCpu() throws Exception
    {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs two CPUs");
        final Map<Integer, BitSet> before = masks();
        final int pinnedCpu = Runtime.getRuntime().availableProcessors() - 1;
        final AtomicInteger pinnedTid = new AtomicInteger();
        final AtomicInteger otherTid = new AtomicInteger();
        final CountDownLatch started = new CountDownLatch(2);
        final CountDownLatch done = new CountDownLatch(1);
        final Thread pinned = new Thread(() ->
        {
            pinnedTid.set(CpuPlacement.currentThreadId());
            final BitSet one = new BitSet();
            one.set(pinnedCpu);
            CpuPlacement.setAffinity(pinnedTid.get(), one);
            started.countDown();
            await(done);
        });
        final Thread other = new Thread(() ->
        {
            otherTid.set(CpuPlacement.currentThreadId());
            started.countDown();
            await(done);
        });
        pinned.start();
        other.start();
        try
        {
            started.await();
            final BitSet kept = CpuPlacement.keepOthersOff(List.of(pinnedTid.get()));
            assertNotNull(kept);
            assertFalse(kept.get(pinnedCpu));
            assertEquals(String.valueOf(pinnedCpu), allowed(pinnedTid.get()), "the pinned thread stays");
            final String otherCpus = allowed(otherTid.get());
            assertFalse(cpus(otherCpus).get(pinnedCpu), "the other thread left CPU " + pinnedCpu + ": " + otherCpus);
            assertFalse(cpus(allowed(CpuPlacement.currentThreadId())).get(pinnedCpu), "so did this one");
        }
        finally
        {
            done.countDown();
            pinned.join();
            other.join();
            before.forEach(CpuPlacement::setAffinity);
        }
    }

    @Test
    void restorePutsEveryThreadsCpusBack() throws Exception
    {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs two CPUs");
        final int pinnedCpu = Runtime.getRuntime().availableProcessors() - 1;
        final Map<Integer, BitSet> before = CpuPlacement.snapshot();
        final int self = CpuPlacement.currentThreadId();
        final AtomicInteger pinnedTid = new AtomicInteger();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(1);
        final Thread pinned = new Thread(() ->
        {
            pinnedTid.set(CpuPlacement.currentThreadId());
            final BitSet one = new BitSet();
            one.set(pinnedCpu);
            CpuPlacement.setAffinity(pinnedTid.get(), one);
            started.countDown();
            await(done);
        });
        pinned.start();
        try
        {
            started.await();
            assertNotNull(CpuPlacement.keepOthersOff(List.of(pinnedTid.get())));
            assertFalse(cpus(allowed(self)).get(pinnedCpu), "moved off CPU " + pinnedCpu + " first");
            CpuPlacement.restore(before);
            assertEquals(before.get(self), cpus(allowed(self)), "this thread's CPUs as before");
        }
        finally
        {
            done.countDown();
            pinned.join();
            before.forEach(CpuPlacement::setAffinity);
        }
    }

    @Test
    void nothingMovesWhenNoThreadIsPinned()
    {
        final int self = CpuPlacement.currentThreadId();
        assertNull(CpuPlacement.keepOthersOff(List.of(self)), "this thread may run on every CPU the process has");
    }

    private static Map<Integer, BitSet> masks() throws Exception
    {
        final Map<Integer, BitSet> masks = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task")))
        {
            for (final Path task : tasks.toList())
            {
                final int tid = Integer.parseInt(task.getFileName().toString());
                final BitSet mask = CpuPlacement.affinity(tid);
                if (null != mask)
                {
                    masks.put(tid, mask);
                }
            }
        }
        return masks;
    }

    /** The kernel's Cpus_allowed_list of a thread, such as "0-1" or "3". */
    private static String allowed(final int tid)
    {
        return read(Path.of("/proc/self/task/" + tid + "/status")).lines()
            .filter(line -> line.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow()
            .substring("Cpus_allowed_list:".length()).strip();
    }

    private static BitSet cpus(final String list)
    {
        final BitSet set = new BitSet();
        for (final String part : list.split(","))
        {
            final String[] range = part.split("-");
            set.set(Integer.parseInt(range[0]), Integer.parseInt(range[range.length - 1]) + 1);
        }
        return set;
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
