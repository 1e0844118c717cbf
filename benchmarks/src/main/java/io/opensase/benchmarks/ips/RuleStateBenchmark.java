package io.opensase.benchmarks.ips;

import io.opensase.benchmarks.support.BenchmarkJvm;
import io.opensase.ips.match.MatchInput;
import io.opensase.ips.match.PrefilterEngine;
import io.opensase.ips.match.RuleMatcher;
import io.opensase.ips.rules.RuleSet;
import io.opensase.ips.rules.RuleSetLoader;
import io.opensase.ips.rules.Variables;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What the second phase of a match costs per packet with each kind of rule state: two rules that hold on
 * every packet (a {@code ttl} test, so no prefilter work), one updating and one testing the state, against
 * the same two rules without state. {@code flowbits} live in each worker's own pool; {@code xbits} and
 * {@code threshold} counters in the host table all workers share, updated by compare-and-set. Run on one
 * thread and on two (each with its own worker, as the engine's cores), with packets spread over
 * {@code hosts} source addresses (and as many flows): one host is the worst case, both threads updating the
 * same entries; 1,024 spreads them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {BenchmarkJvm.NATIVE_ACCESS, BenchmarkJvm.NO_CHRONICLE_ANALYTICS})
public class RuleStateBenchmark
{
    private static final int INPUTS = 1024;

    /** The matcher, shared by the threads. */
    @State(Scope.Benchmark)
    public static class Rules
    {
        /** {@code none}, {@code flowbits} (per worker), {@code xbits} or {@code threshold} (shared). */
        @Param({"none", "flowbits", "xbits", "threshold"})
        public String state;

        /** Distinct source hosts (and flows) the packets come from. */
        @Param({"1", "1024"})
        public int hosts;

        RuleMatcher matcher;

        @Setup
        public void setUp()
        {
            final String[] options = switch (state)
            {
                case "none" -> new String[] {"", ""};
                case "flowbits" -> new String[] {"flowbits:set,a;", "flowbits:isset,a;"};
                case "xbits" -> new String[] {"xbits:set,a,track ip_src;", "xbits:isset,a,track ip_src;"};
                case "threshold" -> new String[] {"threshold:type limit,track by_src,count 100,seconds 3600;",
                    "threshold:type both,track by_src,count 100,seconds 3600;"};
                default -> throw new IllegalArgumentException(state);
            };
            final RuleSet set = new RuleSetLoader(Variables.anyDefaults(), null).loadText(
                "alert ip any any -> any any (ttl:64; " + options[0] + " sid:1;)\n"
                    + "alert ip any any -> any any (ttl:64; " + options[1] + " sid:2;)");
            matcher = RuleMatcher.compile(set.rules(), PrefilterEngine.JAVA, RuleMatcher.DEFAULT_PCRE_SUBJECT_LIMIT);
            if (2 != matcher.enforced().size())
            {
                throw new IllegalStateException("not enforced: " + matcher.notEnforced());
            }
        }

        @TearDown
        public void tearDown()
        {
            matcher.close();
        }
    }

    /** One thread's worker and packets. */
    @State(Scope.Thread)
    public static class Worker
    {
        RuleMatcher.Worker worker;
        final MatchInput[] inputs = new MatchInput[INPUTS];
        int next;

        @Setup
        public void setUp(final Rules rules)
        {
            worker = rules.matcher.newWorker(INPUTS);
            for (int i = 0; i < INPUTS; i++)
            {
                final int host = i % rules.hosts;
                inputs[i] = new MatchInput().ipv4(1, 64, 6).ipv4Addresses(0x0A00_0000 + host, 0xC0A8_0001)
                    .flow(MatchInput.Direction.TO_SERVER, true, false).flowHandle(host)
                    .time(1_700_000_000_000_000_000L + i * 1_000_000L);
            }
        }

        @TearDown
        public void tearDown()
        {
            worker.close();
        }

        int match()
        {
            return worker.match(inputs[next++ & (INPUTS - 1)]);
        }
    }

    @Benchmark
    @Threads(1)
    public int oneThread(final Worker worker)
    {
        return worker.match();
    }

    @Benchmark
    @Threads(2)
    public int twoThreads(final Worker worker)
    {
        return worker.match();
    }
}
