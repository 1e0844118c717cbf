package io.opensase.core.engine;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the engine's other threads (the control thread compiling a reload, the JIT compilers, the garbage
 * collector, the event writer) off the CPUs the poll threads are pinned to. A poll thread spins: whatever else
 * the kernel runs on its CPU takes its time slice from it, and a reload's compile on the poll thread's CPU was
 * found to halve it (on 2 CPUs, the worker waited on the run queue about 27 ms of every 52 ms while a reload
 * compiled ET Open, and its input ring overflowed at half its capacity). Threads started later inherit the mask
 * of the thread that starts them. Linux only (libc's {@code sched_setaffinity}, {@code gettid}); elsewhere
 * every call does nothing.
 * <p>
 * Their priority is left alone: a reload thread at nice 10 was tried and made things worse, since a Java
 * thread waiting for its CPU delays every safepoint, and with it the poll threads (pauses of 300 ms).
 * Control threads only.
 */
public final class CpuPlacement
{
    /**
     * HotSpot's thread that runs safepoint operations: it runs only while every Java thread, poll threads too,
     * is stopped, so the poll threads' CPUs are idle then; kept off them it would wait for a CPU the traffic's
     * other processes hold, and lengthen every pause.
     */
    private static final String SAFEPOINT_THREAD = "VM Thread";
    /** {@code cpu_set_t}: 1024 CPUs. */
    private static final int MASK_BYTES = 128;

    private static final MethodHandle GETTID;
    private static final MethodHandle GET_AFFINITY;
    private static final MethodHandle SET_AFFINITY;

    static
    {
        final Linker linker = Linker.nativeLinker();
        final SymbolLookup libc = linker.defaultLookup();
        final FunctionDescriptor affinity = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG, ValueLayout.ADDRESS);
        GETTID = handle(linker, libc, "gettid", FunctionDescriptor.of(ValueLayout.JAVA_INT));
        GET_AFFINITY = handle(linker, libc, "sched_getaffinity", affinity);
        SET_AFFINITY = handle(linker, libc, "sched_setaffinity", affinity);
    }

    private CpuPlacement()
    {
    }

    private static MethodHandle handle(final Linker linker, final SymbolLookup libc, final String name,
        final FunctionDescriptor descriptor)
    {
        final Optional<MemorySegment> symbol = libc.find(name);
        return symbol.map(address -> linker.downcallHandle(address, descriptor)).orElse(null);
    }

    /** The calling thread's kernel id, or -1 where it cannot be had. */
    public static int currentThreadId()
    {
        if (null == GETTID)
        {
            return -1;
        }
        try
        {
            return (int)GETTID.invokeExact();
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException("gettid", ex);
        }
    }

    /** The CPUs thread {@code tid} may run on, or null when that cannot be read (the thread ended). */
    static BitSet affinity(final int tid)
    {
        if (null == GET_AFFINITY)
        {
            return null;
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment mask = arena.allocate(MASK_BYTES, 8);
            final int result = (int)GET_AFFINITY.invokeExact(tid, (long)MASK_BYTES, mask);
            return 0 == result ? BitSet.valueOf(mask.toArray(ValueLayout.JAVA_LONG)) : null;
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException("sched_getaffinity", ex);
        }
    }

    /** Restricts thread {@code tid} to {@code cpus}; false when the kernel refused (the thread ended). */
    static boolean setAffinity(final int tid, final BitSet cpus)
    {
        if (null == SET_AFFINITY)
        {
            return false;
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment mask = arena.allocate(MASK_BYTES, 8);
            final long[] words = cpus.toLongArray();
            MemorySegment.copy(words, 0, mask, ValueLayout.JAVA_LONG, 0, Math.min(words.length, MASK_BYTES / 8));
            return 0 == (int)SET_AFFINITY.invokeExact(tid, (long)MASK_BYTES, mask);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException("sched_setaffinity", ex);
        }
    }

    /**
     * Moves every thread of this process but {@code pollThreads} (and the JVM's safepoint thread) off the CPUs
     * those are pinned to (a poll thread allowed on every CPU the process has is not pinned, and reserves
     * none). Nothing moves when the poll threads hold every CPU.
     *
     * @return the CPUs the other threads keep, or null when nothing was moved.
     */
    public static BitSet keepOthersOff(final Collection<Integer> pollThreads)
    {
        final int self = currentThreadId();
        final BitSet process = null == GET_AFFINITY || self < 0 ? null : processCpus();
        if (null == process)
        {
            return null;
        }
        final BitSet reserved = new BitSet();
        for (final int tid : pollThreads)
        {
            final BitSet cpus = affinity(tid);
            if (null != cpus && !cpus.equals(process))
            {
                reserved.or(cpus);
            }
        }
        final BitSet others = (BitSet)process.clone();
        others.andNot(reserved);
        if (reserved.isEmpty() || others.isEmpty())
        {
            return null;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task")))
        {
            for (final Path task : tasks)
            {
                final int tid = Integer.parseInt(task.getFileName().toString());
                final BitSet cpus = pollThreads.contains(tid) || SAFEPOINT_THREAD.equals(name(task)) ? null
                    : affinity(tid);
                if (null != cpus && cpus.intersects(reserved))
                {
                    final BitSet kept = (BitSet)cpus.clone();
                    kept.andNot(reserved);
                    setAffinity(tid, kept.isEmpty() ? others : kept);
                }
            }
        }
        catch (final IOException ex)
        {
            return null;
        }
        return others;
    }

    /** A thread's name as the kernel has it, or "" when it has ended. */
    private static String name(final Path task)
    {
        try
        {
            return Files.readString(task.resolve("comm")).strip();
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    /** Every CPU a thread of this process may use: the union of its threads' masks. */
    /** Every thread's CPUs now, by thread id, to be put back with {@link #restore} (empty off Linux). */
    public static Map<Integer, BitSet> snapshot()
    {
        final Map<Integer, BitSet> masks = new HashMap<>();
        if (null == GET_AFFINITY)
        {
            return masks;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task")))
        {
            for (final Path task : tasks)
            {
                final int tid = Integer.parseInt(task.getFileName().toString());
                final BitSet cpus = affinity(tid);
                if (null != cpus)
                {
                    masks.put(tid, cpus);
                }
            }
        }
        catch (final IOException ex)
        {
            return masks;
        }
        return masks;
    }

    /**
     * Puts back the CPUs of a {@link #snapshot}: each thread still alive gets its own, a thread started since
     * gets every CPU the snapshot's threads had. For a JVM that goes on after a run (tests embed the engine).
     */
    public static void restore(final Map<Integer, BitSet> snapshot)
    {
        if (snapshot.isEmpty())
        {
            return;
        }
        final BitSet all = new BitSet();
        snapshot.values().forEach(all::or);
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task")))
        {
            for (final Path task : tasks)
            {
                final int tid = Integer.parseInt(task.getFileName().toString());
                setAffinity(tid, snapshot.getOrDefault(tid, all));
            }
        }
        catch (final IOException ex)
        {
            // /proc unreadable: nothing can be put back, and nothing was moved through it either.
        }
    }

    private static BitSet processCpus()
    {
        final BitSet all = new BitSet();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task")))
        {
            for (final Path task : tasks)
            {
                final BitSet cpus = affinity(Integer.parseInt(task.getFileName().toString()));
                if (null != cpus)
                {
                    all.or(cpus);
                }
            }
        }
        catch (final IOException ex)
        {
            return null;
        }
        return all;
    }
}
