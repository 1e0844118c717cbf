package io.opensase.benchmarks.acl;

import io.opensase.benchmarks.support.SharedData;
import io.opensase.classifiers.acl.AclFormatException;
import io.opensase.classifiers.acl.AclRule;
import io.opensase.classifiers.acl.AclTraceGenerator;
import io.opensase.classifiers.acl.AclTuples;
import io.opensase.classifiers.acl.ClassBenchFormat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The shared ClassBench sets the ACL benchmarks run, and the trace each one is classified with: the set's own
 * trace where the shared data has one, else {@value #GENERATED_HEADERS} headers drawn inside random rules by
 * {@link AclTraceGenerator} with seed {@value #SEED} (deterministic, so {@link WriteAclTraces} writes exactly
 * the headers the benchmark classifies, for {@code dpdk-test-acl}). Stateless; any thread.
 */
public final class AclSets
{
    public static final int GENERATED_HEADERS = 100_000;
    public static final long SEED = 20_261_204L;
    /** Every set, by name: the 14 of {@code acl/classbench} and the two of {@code acl/classbench-traces}. */
    public static final List<String> NAMES = List.of("acl1_1k", "acl2_1k", "acl3_1k", "fw1_1k", "fw2_1k", "fw3_1k",
        "ipc1_1k", "fw_1k", "ipc_1k", "acl1_10k", "acl2_10k", "acl3_10k", "fw1_10k", "fw2_10k", "fw3_10k",
        "ipc1_10k");

    private AclSets()
    {
    }

    /** The rule file of a set. */
    public static Path rules(final String name)
    {
        final Path root = SharedData.root().resolve("acl");
        final Path own = root.resolve("classbench").resolve(name);
        return Files.isRegularFile(own) ? own : root.resolve("classbench-traces").resolve(name);
    }

    /** The set's shared trace, or null when it has none. */
    public static Path sharedTrace(final String name)
    {
        final Path trace = SharedData.root().resolve("acl/classbench-traces").resolve(name + "_trace");
        return Files.isRegularFile(trace) ? trace : null;
    }

    public static List<AclRule> readRules(final String name) throws IOException, AclFormatException
    {
        return ClassBenchFormat.readRules(rules(name));
    }

    /** The headers the set is benchmarked with. */
    public static AclTuples trace(final String name, final List<AclRule> rules) throws IOException, AclFormatException
    {
        final Path shared = sharedTrace(name);
        return null != shared ? ClassBenchFormat.readTrace(shared)
            : AclTraceGenerator.generate(rules, GENERATED_HEADERS, SEED, AclTraceGenerator.Mode.INSIDE);
    }
}
