package io.opensase.benchmarks.acl;

import io.opensase.classifiers.acl.AclRule;
import io.opensase.classifiers.acl.AclTraceGenerator;
import io.opensase.classifiers.acl.AclTuples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes, for every benchmarked set, the trace {@link AclClassifyBenchmark} classifies, as a ClassBench trace
 * file for {@code dpdk-test-acl} ({@code DIR/NAME.trace}; whole bursts of 256 only), and prints {@code NAME RULES TRACE HEADERS} per set.
 * Usage: {@code java -cp benchmarks.jar io.opensase.benchmarks.acl.WriteAclTraces DIR}. Main thread.
 */
public final class WriteAclTraces
{
    private WriteAclTraces()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (1 != args.length)
        {
            System.err.println("usage: WriteAclTraces DIR");
            System.exit(2);
        }
        final Path dir = Files.createDirectories(Path.of(args[0]));
        for (final String name : AclSets.NAMES)
        {
            final List<AclRule> rules = AclSets.readRules(name);
            final AclTuples trace = AclSets.trace(name, rules);
            final Path file = dir.resolve(name + ".trace");
            // whole bursts only, exactly the headers the benchmark cycles through
            final int headers = trace.capacity() / AclClassifyBenchmark.BURST * AclClassifyBenchmark.BURST;
            AclTraceGenerator.writeClassBench(trace, headers, file);
            System.out.println(name + " " + AclSets.rules(name) + " " + file + " " + headers);
        }
    }
}
