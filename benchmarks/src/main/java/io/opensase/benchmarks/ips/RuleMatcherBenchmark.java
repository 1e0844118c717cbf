package io.opensase.benchmarks.ips;

import io.opensase.benchmarks.support.BenchmarkJvm;
import io.opensase.ips.match.MatchInput;
import io.opensase.ips.match.RuleMatcher;
import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.RuleSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds for the whole matcher (prefilter, candidates, verification) on one 1,500-byte payload, all
 * enforced ET Open rules loaded, the payload given as {@code pkt_data} of an established to-server stream
 * (no application buffers: the parsers that fill them are not built). Same payloads as
 * {@link PrefilterBenchmark}. Owned by the JMH thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {
    BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS, BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX})
public class RuleMatcherBenchmark
{
    private static final int PAYLOADS = 1024;

    /** {@code hyperscan}, {@code java-dfa} (the Java default) or {@code java-qgram}. */
    @Param({"hyperscan", "java-dfa", "java-qgram"})
    public String engine;

    private Arena arena;
    private RuleMatcher matcher;
    private RuleMatcher.Worker worker;
    private MemorySegment[] payloads;
    private final MatchInput input = new MatchInput();
    private int next;

    @Setup
    public void setUp()
    {
        final RuleSet rules = IpsData.etOpen();
        matcher = RuleMatcher.compile(rules.rules(), PrefilterBenchmark.engine(engine),
            RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT);
        worker = matcher.newWorker();
        arena = Arena.ofShared();
        payloads = IpsData.payloads(IpsData.payloadBytes(), PrefilterBenchmark.PAYLOAD, PAYLOADS, arena);
        long matches = 0;
        for (final MemorySegment payload : payloads)
        {
            matches += match(payload);
        }
        System.out.printf(Locale.ROOT, "%n%s%n%d rules matched in one pass over %d payloads; %d candidates checked%n",
            matcher.startLine(), matches, PAYLOADS, worker.candidatesChecked());
    }

    private int match(final MemorySegment payload)
    {
        input.clear().set(Buffer.PAYLOAD, payload).flow(MatchInput.Direction.TO_SERVER, true, true);
        return worker.match(input);
    }

    @Benchmark
    @OperationsPerInvocation(PrefilterBenchmark.BATCH)
    public int match()
    {
        int found = 0;
        for (int i = 0; i < PrefilterBenchmark.BATCH; i++)
        {
            found += match(payloads[next]);
            next = next + 1 == PAYLOADS ? 0 : next + 1;
        }
        return found;
    }

    @TearDown
    public void tearDown()
    {
        worker.close();
        matcher.close();
        arena.close();
    }
}
