package io.opensase.benchmarks.ips;

import io.opensase.benchmarks.support.BenchmarkJvm;
import io.opensase.ips.match.Literal;
import io.opensase.ips.match.MatchSink;
import io.opensase.ips.match.Prefilter;
import io.opensase.ips.match.PrefilterEngine;
import io.opensase.ips.match.PrefilterScanner;
import io.opensase.ips.match.Prefilters;
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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds to scan one 1,500-byte payload for the ET Open fast patterns, with Hyperscan through FFM and
 * with each pure-Java algorithm, on the same literals and the same payloads in one run. The payloads are
 * the TCP and UDP payload bytes of every shared capture, cut into 1,500-byte pieces in native memory; each
 * invocation scans the next {@value #BATCH}. MB/s is 1,500 / (ns per payload) x 1,000. Owned by the JMH
 * thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {
    BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS, BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX})
public class PrefilterBenchmark
{
    public static final int PAYLOAD = 1500;
    public static final int BATCH = 64;
    private static final int PAYLOADS = 1024;

    /** {@code hyperscan}, {@code java-dfa} (the Java default) or {@code java-qgram}. */
    @Param({"hyperscan", "java-dfa", "java-qgram"})
    public String engine;

    /** {@code all} (every distinct fast pattern, one group) or {@code pkt_data} (the payload's group). */
    @Param({"all", "pkt_data"})
    public String patterns;

    /** {@code first}: each literal once per scan, as the matcher scans; {@code every}: every match. */
    @Param({"first", "every"})
    public String report;

    private Arena arena;
    private Prefilter prefilter;
    private PrefilterScanner scanner;
    private MemorySegment[] payloads;
    private final Counter sink = new Counter();
    private int next;

    /** Counts matches, so that the reports are not dead code. */
    static final class Counter implements MatchSink
    {
        long matches;
        long sum;

        @Override
        public void onMatch(final int literalId, final int end)
        {
            matches++;
            sum += literalId + end;
        }
    }

    @Setup
    public void setUp()
    {
        final RuleSet rules = IpsData.etOpen();
        final List<Literal> literals = IpsData.literals(rules.rules(), patterns);
        final PrefilterEngine kind = engine(engine);
        final long start = System.nanoTime();
        prefilter = Prefilters.compile(List.of(literals), kind, "first".equals(report));
        final long compileNs = System.nanoTime() - start;
        scanner = prefilter.newScanner();
        arena = Arena.ofShared();
        final byte[] bytes = IpsData.payloadBytes();
        payloads = IpsData.payloads(bytes, PAYLOAD, PAYLOADS, arena);
        long matches = 0;
        for (final MemorySegment payload : payloads)
        {
            matches += scanner.scan(0, payload, sink);
        }
        System.out.printf(Locale.ROOT, "%n%s; compiled in %.0f ms; %d payload bytes from the shared captures, "
                + "%d payloads of %d bytes; %d matches in one pass (%.1f per payload)%n", prefilter.description(),
            compileNs / 1e6, bytes.length, PAYLOADS, PAYLOAD, matches, (double)matches / PAYLOADS);
    }

    /**
     * {@code hyperscan}, or {@code java-dfa} / {@code java-qgram}: the Java engine with that algorithm (set
     * through its system property, in this forked JVM).
     */
    static PrefilterEngine engine(final String name)
    {
        return switch (name)
        {
            case "hyperscan" -> PrefilterEngine.HYPERSCAN;
            case "java-dfa", "java-qgram" ->
            {
                System.setProperty("opensase.ips.java-prefilter", name.substring("java-".length()));
                yield PrefilterEngine.JAVA;
            }
            default -> throw new IllegalArgumentException("engine '" + name + "': hyperscan, java-dfa, java-qgram");
        };
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long scan()
    {
        int found = 0;
        for (int i = 0; i < BATCH; i++)
        {
            found += scanner.scan(0, payloads[next], sink);
            next = next + 1 == PAYLOADS ? 0 : next + 1;
        }
        return found + sink.sum;
    }

    @TearDown
    public void tearDown()
    {
        scanner.close();
        prefilter.close();
        arena.close();
    }
}
