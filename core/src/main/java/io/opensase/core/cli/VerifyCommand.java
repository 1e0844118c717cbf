package io.opensase.core.cli;

import io.opensase.core.ips.verify.CaseResult;
import io.opensase.core.ips.verify.VerifyCase;
import io.opensase.core.ips.verify.VerifyRun;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code opensase verify}: runs suricata-verify cases through the IPS and scores them as suricata-verify does.
 * Prints one line per case (passed, failed with each failing check, or skipped with the reason) and a total.
 * Exit status 0 when every case that ran passed, 1 otherwise.
 */
final class VerifyCommand
{
    static final String USAGE = """
        opensase verify --cases DIR [--only NAME] [--eve-dir DIR] [--classification FILE]""";

    private static final Set<String> OPTIONS = Set.of("cases", "only", "eve-dir", "classification");

    private VerifyCommand()
    {
    }

    static int run(final List<String> args, final PrintStream out) throws UsageException, IOException
    {
        final Options options = new Options(args, OPTIONS);
        if (!options.has("cases"))
        {
            throw new UsageException("verify needs --cases DIR (a suricata-verify tests folder)");
        }
        final Path eveDir = options.has("eve-dir") ? Path.of(options.get("eve-dir"))
            : Files.createTempDirectory("opensase-verify");
        Files.createDirectories(eveDir);
        final Path classification = options.has("classification") ? Path.of(options.get("classification")) : null;
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        for (final VerifyCase c : VerifyRun.cases(Path.of(options.get("cases"))))
        {
            if (options.has("only") && !c.name().equals(options.get("only")))
            {
                continue;
            }
            final Path eve = eveDir.resolve(c.name().replace('/', '_') + ".json");
            final CaseResult result = VerifyRun.run(c, eve, classification);
            if (null == result)
            {
                skipped++;
                out.println("SKIP " + c.name() + ": " + String.join("; ", c.unmetRequirements(VerifyRun.FEATURES)));
            }
            else if (result.passed())
            {
                passed++;
                out.println("PASS " + c.name());
            }
            else
            {
                failed++;
                out.println("FAIL " + c.name() + " (" + eve + ")");
                out.print(result.report().indent(4));
            }
        }
        out.printf("%d passed, %d failed, %d skipped%n", passed, failed, skipped);
        return 0 == failed ? 0 : 1;
    }
}
