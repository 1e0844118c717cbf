package io.opensase.core.cli;

import io.opensase.classifiers.acl.AclClassifier;
import io.opensase.classifiers.acl.AclFormatException;
import io.opensase.classifiers.acl.AclRule;
import io.opensase.classifiers.acl.AclTuples;
import io.opensase.classifiers.acl.ClassBenchFormat;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code opensase acl}: classifies a ClassBench / {@code dpdk-test-acl} trace against a rule file with the
 * production classifier and prints, one line per trace line, the 0-based index of the first matching rule or
 * -1. Build time and memory go to stderr. Runs on the main thread.
 */
final class AclCommand
{
    static final String USAGE = """
        opensase acl --rules FILE --trace FILE""";

    private static final Set<String> OPTIONS = Set.of("rules", "trace");

    private AclCommand()
    {
    }

    static int run(final List<String> args, final PrintStream out) throws UsageException, IOException
    {
        final Options options = new Options(args, OPTIONS);
        if (!options.has("rules") || !options.has("trace"))
        {
            throw new UsageException("acl needs --rules FILE and --trace FILE");
        }
        final Path rulesFile = Path.of(options.get("rules"));
        final Path traceFile = Path.of(options.get("trace"));
        for (final Path file : List.of(rulesFile, traceFile))
        {
            if (Files.exists(file) && !Files.isRegularFile(file))
            {
                System.err.println("opensase: " + file + ": not a file");
                return 2;
            }
        }
        final List<AclRule> rules;
        final AclTuples trace;
        try
        {
            rules = ClassBenchFormat.readRules(rulesFile);
            trace = ClassBenchFormat.readTrace(traceFile);
        }
        catch (final AclFormatException ex)
        {
            System.err.println("opensase: " + ex.getMessage());
            return 2;
        }
        final AclClassifier classifier = AclClassifier.build(rules);
        final int count = trace.capacity();
        final int[] results = new int[count];
        final long start = System.nanoTime();
        classifier.classify(trace, count, results);
        final long classifyNanos = System.nanoTime() - start;
        final StringBuilder text = new StringBuilder(count * 5);
        for (final int result : results)
        {
            text.append(result).append('\n');
        }
        out.print(text);
        out.flush();
        System.err.printf("opensase acl: %d rules, %d headers; build %.1f ms, tables %.1f MB in %d groups; "
                + "classify %.1f ms (first pass, JIT warming); peak resident %s%n",
            rules.size(), count, classifier.buildNanos() / 1e6, classifier.memoryBytes() / 1e6,
            classifier.groupCount(), classifyNanos / 1e6, peakResident());
        return 0;
    }

    /** The process's peak resident set ({@code VmHWM}), or "unknown" off Linux. */
    private static String peakResident()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("VmHWM:"))
                {
                    final long kb = Long.parseLong(line.substring(6).replace("kB", "").strip());
                    return String.format("%.1f MB", kb / 1024.0);
                }
            }
        }
        catch (final IOException | RuntimeException ignored)
        {
            // not Linux: say so below
        }
        return "unknown";
    }
}
