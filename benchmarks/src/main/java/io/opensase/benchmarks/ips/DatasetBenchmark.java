package io.opensase.benchmarks.ips;

import io.opensase.benchmarks.support.BenchmarkJvm;
import io.opensase.ips.dataset.Dataset;
import io.opensase.ips.dataset.DatasetException;
import io.opensase.ips.dataset.Datasets;
import io.opensase.ips.rules.DatasetMatch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per {@code dataset} operation on one string set of 50,000 host names (about 20 bytes each) in
 * the shared off-heap Chronicle Map, as a worker runs it: {@code isset} of a value that is there and of one
 * that is not, {@code set} of a value already there (a seen value: no change), and {@code set} of a new value
 * followed by {@code unset} of it (two writes). Run with {@code -t 1} and {@code -t 2}: with two threads both
 * use the same set at once, as two workers do, and contend only on the map's segment locks.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {
    BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS, BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX,
    BenchmarkJvm.CHRONICLE_OPEN_LANG, BenchmarkJvm.CHRONICLE_OPEN_REFLECT, BenchmarkJvm.CHRONICLE_OPEN_IO,
    BenchmarkJvm.CHRONICLE_OPEN_NIO, BenchmarkJvm.CHRONICLE_OPEN_NIO_CH, BenchmarkJvm.CHRONICLE_OPEN_MISC,
    BenchmarkJvm.CHRONICLE_OPEN_UTIL, BenchmarkJvm.CHRONICLE_EXPORT_REF, BenchmarkJvm.CHRONICLE_EXPORT_NIO_CH,
    BenchmarkJvm.CHRONICLE_EXPORT_UTIL, BenchmarkJvm.CHRONICLE_EXPORT_SUN_MISC,
    BenchmarkJvm.CHRONICLE_EXPORT_JAVAC_FILE, BenchmarkJvm.CHRONICLE_OPEN_JAVAC})
public class DatasetBenchmark
{
    static final int VALUES = 50_000;
    /** Values each thread cycles through per operation kind (a power of two). */
    static final int KEYS = 4096;

    /** The set, shared by every benchmark thread. */
    @State(Scope.Benchmark)
    public static class SharedSet
    {
        Datasets datasets;
        Dataset set;

        @Setup(Level.Trial)
        public void setUp() throws DatasetException
        {
            datasets = new Datasets(null);
            set = datasets.open(new DatasetMatch(DatasetMatch.Command.SET, "bench", DatasetMatch.Type.STRING,
                null, null, 0, 65_536));
            final StringBuilder scratch = new StringBuilder();
            for (int v = 0; v < VALUES; v++)
            {
                final MemorySegment value = host("seen", v);
                set.add(value, 0, (int)value.byteSize(), scratch);
            }
            System.out.printf(Locale.ROOT, "%nset of %d values, %d bytes off-heap%n", set.size(), set.offHeapBytes());
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            System.out.printf(Locale.ROOT, "%nset holds %d values, %d adds refused%n", set.size(), set.refusedAdds());
            datasets.close();
        }
    }

    /** One worker's keys and scratch builder. */
    @State(Scope.Thread)
    public static class Worker
    {
        final StringBuilder scratch = new StringBuilder(64);
        final MemorySegment[] present = new MemorySegment[KEYS];
        final MemorySegment[] absent = new MemorySegment[KEYS];
        final MemorySegment[] fresh = new MemorySegment[KEYS];
        int next;

        @Setup(Level.Trial)
        public void setUp()
        {
            final int thread = (int)Thread.currentThread().threadId();
            for (int i = 0; i < KEYS; i++)
            {
                present[i] = host("seen", (i * 7919 + thread * 101) % VALUES);
                absent[i] = host("unseen", i);
                fresh[i] = host("new-" + thread, i);
            }
        }

        int next()
        {
            next = next + 1 & KEYS - 1;
            return next;
        }
    }

    static MemorySegment host(final String prefix, final int n)
    {
        return MemorySegment.ofArray(String.format(Locale.ROOT, "%s-%05d.example.com", prefix, n)
            .getBytes(StandardCharsets.US_ASCII));
    }

    @Benchmark
    public boolean issetHit(final SharedSet shared, final Worker worker)
    {
        final MemorySegment value = worker.present[worker.next()];
        return shared.set.contains(value, 0, (int)value.byteSize(), worker.scratch);
    }

    @Benchmark
    public boolean issetMiss(final SharedSet shared, final Worker worker)
    {
        final MemorySegment value = worker.absent[worker.next()];
        return shared.set.contains(value, 0, (int)value.byteSize(), worker.scratch);
    }

    @Benchmark
    public boolean setSeenValue(final SharedSet shared, final Worker worker)
    {
        final MemorySegment value = worker.present[worker.next()];
        return shared.set.add(value, 0, (int)value.byteSize(), worker.scratch);
    }

    @Benchmark
    public boolean setNewValueThenUnset(final SharedSet shared, final Worker worker)
    {
        final MemorySegment value = worker.fresh[worker.next()];
        final boolean added = shared.set.add(value, 0, (int)value.byteSize(), worker.scratch);
        return added & shared.set.remove(value, 0, (int)value.byteSize(), worker.scratch);
    }
}
