package io.opensase.benchmarks.acl;

import io.opensase.benchmarks.support.BenchmarkJvm;
import io.opensase.classifiers.acl.AclClassifier;
import io.opensase.classifiers.acl.AclRule;
import io.opensase.classifiers.acl.AclTuples;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per packet of {@link AclClassifier#classify(AclTuples, int, int[])} on pre-parsed ClassBench
 * headers, as {@code dpdk-test-acl} measures rte_acl: the set's trace (or the generated one, see
 * {@link AclSets}) is cut at setup into bursts of {@value #BURST}, and each invocation classifies the next
 * burst, cycling through the whole trace. Owned by the JMH thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {
    BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS, BenchmarkJvm.HEAP_MIN, BenchmarkJvm.HEAP_MAX})
public class AclClassifyBenchmark
{
    /** Headers per classify call; dpdk-test-acl's default trace step is 256 too. */
    public static final int BURST = 256;

    @Param({"acl1_1k", "acl2_1k", "acl3_1k", "fw1_1k", "fw2_1k", "fw3_1k", "ipc1_1k", "fw_1k", "ipc_1k",
        "acl1_10k", "acl2_10k", "acl3_10k", "fw1_10k", "fw2_10k", "fw3_10k", "ipc1_10k"})
    public String set;

    private AclClassifier classifier;
    private AclTuples[] bursts;
    private final int[] results = new int[BURST];
    private int next;

    @Setup
    public void setUp() throws Exception
    {
        final List<AclRule> rules = AclSets.readRules(set);
        classifier = AclClassifier.build(rules);
        final AclTuples trace = AclSets.trace(set, rules);
        final int count = trace.capacity() / BURST;
        bursts = new AclTuples[count];
        for (int b = 0; b < count; b++)
        {
            final AclTuples burst = new AclTuples(BURST);
            for (int i = 0; i < BURST; i++)
            {
                final int from = b * BURST + i;
                burst.set(i, trace.ipv6[from], trace.srcHi[from], trace.srcLo[from], trace.dstHi[from],
                    trace.dstLo[from], trace.srcPort[from], trace.dstPort[from], trace.protocol[from],
                    trace.tcpFlags[from], trace.icmpType[from], trace.icmpCode[from], trace.direction[from]);
            }
            bursts[b] = burst;
        }
        System.out.printf("%n%s: %d rules, %d headers, build %.1f ms, tables %.1f MB, %d groups%n", set,
            rules.size(), count * BURST, classifier.buildNanos() / 1e6, classifier.memoryBytes() / 1e6,
            classifier.groupCount());
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int classify()
    {
        final AclTuples burst = bursts[next];
        next = next + 1 == bursts.length ? 0 : next + 1;
        classifier.classify(burst, BURST, results);
        return results[BURST - 1];
    }
}
