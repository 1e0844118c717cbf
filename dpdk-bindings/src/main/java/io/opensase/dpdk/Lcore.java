package io.opensase.dpdk;

import io.opensase.dpdk.internal.opensase_dpdk_h;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * DPDK lcores from Java: launching Java work on EAL's worker threads, registering a Java thread as an lcore, and
 * telling which lcore and CPU a thread runs on. Static and thread-safe; {@link #launch} and {@link #await} for
 * one lcore come from one control thread.
 * <p>
 * Poll loops belong on lcores: a plain Java thread has no lcore id, so mempool caches are bypassed and DPDK
 * measured about a third slower. Two ways in:
 * <ul>
 * <li>{@link #launch}: {@code rte_eal_remote_launch} runs an {@link LcoreTask} on a worker lcore's thread through
 * an FFM upcall; {@link #await} ({@code rte_eal_wait_lcore}) returns its result or rethrows what it threw.</li>
 * <li>{@link #attachCurrentThread}: pins the calling Java thread to a CPU and {@code rte_thread_register}s it,
 * which gives it a free lcore id (beyond EAL's own).</li>
 * </ul>
 */
public final class Lcore
{
    /** {@code LCORE_ID_ANY}: the lcore id of a thread EAL does not know. */
    public static final int ANY = opensase_dpdk_h.LCORE_ID_ANY;

    private static final int TASK_FAILED = Integer.MIN_VALUE;
    private static final AtomicReferenceArray<LcoreTask> TASKS =
        new AtomicReferenceArray<>(opensase_dpdk_h.RTE_MAX_LCORE);
    private static final AtomicReferenceArray<Throwable> FAILURES =
        new AtomicReferenceArray<>(opensase_dpdk_h.RTE_MAX_LCORE);

    private Lcore()
    {
    }

    /** The calling thread's lcore id ({@code rte_lcore_id}), or {@link #ANY}. */
    public static int id()
    {
        return opensase_dpdk_h.opensase_lcore_id();
    }

    /** The CPU the calling thread runs on at this moment ({@code sched_getcpu}). */
    public static int currentCpu()
    {
        return opensase_dpdk_h.opensase_current_cpu();
    }

    /**
     * {@code rte_eal_remote_launch}: runs {@code task} on worker lcore {@code lcoreId} and returns at once. Every
     * Throwable the task throws is caught on the lcore (one escaping an upcall would end the JVM) and rethrown by
     * {@link #await}. Call {@link #await} before launching on the same lcore again.
     *
     * @throws IllegalArgumentException when {@code lcoreId} is not a worker lcore of this EAL (the main lcore has
     *                                  no thread to run it: DPDK would block or fail with EPIPE).
     * @throws DpdkException            when the lcore is busy.
     */
    public static void launch(final int lcoreId, final LcoreTask task)
    {
        final Eal eal = Eal.current();
        if (lcoreId < 0 || lcoreId >= opensase_dpdk_h.RTE_MAX_LCORE || lcoreId == eal.mainLcore() ||
            1 != opensase_dpdk_h.rte_lcore_is_enabled(lcoreId))
        {
            throw new IllegalArgumentException("lcore " + lcoreId + " is not a worker lcore: EAL was started with " +
                eal.args() + ", main lcore " + eal.mainLcore() + ", workers " +
                Arrays.toString(eal.workerLcores()) + "; give EAL more cores (-l 0-N) to have workers");
        }
        if (!TASKS.compareAndSet(lcoreId, null, task))
        {
            throw new IllegalStateException("a task was launched on lcore " + lcoreId + " and not awaited: call " +
                "Lcore.await(" + lcoreId + ") first");
        }
        final long logPosition = Dpdk.logPosition();
        final int result = opensase_dpdk_h.rte_eal_remote_launch(Upcall.ENTRY, MemorySegment.ofAddress(lcoreId),
            lcoreId);
        if (result < 0)
        {
            TASKS.set(lcoreId, null);
            throw Dpdk.failure("rte_eal_remote_launch(lcore " + lcoreId + ")", -result, logPosition,
                "the lcore is still running something launched outside Lcore.launch: wait for it first");
        }
    }

    /**
     * {@code rte_eal_wait_lcore}: blocks until the task launched on {@code lcoreId} returns.
     *
     * @return the task's result.
     * @throws CompletionException with the task's exception as the cause, when it threw.
     */
    public static int await(final int lcoreId)
    {
        if (lcoreId < 0 || lcoreId >= opensase_dpdk_h.RTE_MAX_LCORE || null == TASKS.get(lcoreId))
        {
            throw new IllegalStateException("nothing was launched on lcore " + lcoreId + " through Lcore.launch");
        }
        final int result = opensase_dpdk_h.rte_eal_wait_lcore(lcoreId);
        TASKS.set(lcoreId, null);
        final Throwable failure = FAILURES.getAndSet(lcoreId, null);
        if (null != failure)
        {
            throw new CompletionException("the task on lcore " + lcoreId + " threw " + failure, failure);
        }
        return result;
    }

    /**
     * Makes the calling (platform) thread a DPDK thread: pins it to {@code cpu} ({@code rte_thread_set_affinity})
     * and registers it ({@code rte_thread_register}), which gives it a free lcore id so that mempool caches work.
     * Undo with {@link #detachCurrentThread()}; the pinning stays.
     *
     * @return the lcore id the thread got.
     * @throws DpdkException when the CPU cannot be used or no lcore id is free.
     */
    public static int attachCurrentThread(final int cpu)
    {
        Eal.current();
        final long logPosition = Dpdk.logPosition();
        final int pinned = opensase_dpdk_h.opensase_thread_pin(cpu);
        if (pinned < 0)
        {
            throw Dpdk.failure("rte_thread_set_affinity(cpu " + cpu + ")", -pinned, logPosition,
                "the CPU must exist and be allowed to this process (taskset, cgroup cpuset)");
        }
        if (opensase_dpdk_h.rte_thread_register() < 0)
        {
            final int errno = opensase_dpdk_h.opensase_errno();
            throw Dpdk.failure("rte_thread_register()", errno, logPosition, Errno.ENOMEM == errno ?
                "every lcore id (RTE_MAX_LCORE = " + opensase_dpdk_h.RTE_MAX_LCORE + ") is taken: detach threads " +
                    "that no longer poll" : "EAL refuses non-EAL threads while multi-process is in use: run as " +
                    "a primary with --in-memory or --no-shconf");
        }
        return id();
    }

    /** {@code rte_thread_unregister}: gives the calling thread's lcore id back. */
    public static void detachCurrentThread()
    {
        opensase_dpdk_h.rte_thread_unregister();
    }

    /** The entry point EAL's worker threads call: {@code int f(void *arg)}, with the lcore id as {@code arg}. */
    private static int onLaunch(final MemorySegment arg)
    {
        final int lcoreId = (int)arg.address();
        try
        {
            return TASKS.get(lcoreId).run(lcoreId);
        }
        catch (final Throwable t)
        {
            FAILURES.set(lcoreId, t);
            return TASK_FAILED;
        }
    }

    private static final class Upcall
    {
        static final MemorySegment ENTRY = entry();

        private static MemorySegment entry()
        {
            try
            {
                return Linker.nativeLinker().upcallStub(MethodHandles.lookup().findStatic(Lcore.class, "onLaunch",
                    MethodType.methodType(int.class, MemorySegment.class)), opensase_dpdk_h.lcore_function_t$descriptor,
                    Arena.global());
            }
            catch (final ReflectiveOperationException ex)
            {
                throw new IllegalStateException("cannot link Lcore.onLaunch", ex);
            }
        }
    }
}
