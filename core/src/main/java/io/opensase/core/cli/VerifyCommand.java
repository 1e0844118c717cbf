package io.opensase.core.cli;

import io.opensase.core.ips.verify.CaseResult;
import io.opensase.core.ips.verify.VerifyCase;
import io.opensase.core.ips.verify.VerifyRun;
import io.opensase.ips.rules.Classifications;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code opensase verify}: runs suricata-verify cases through the IPS and scores them as suricata-verify does.
 * Prints one line per case (passed, failed with each failing check, or skipped with the reason) and a total.
 * Exit status 0 when every case that ran passed, 1 otherwise; 2 when nothing would be checked (no case under
 * {@code --cases}, none named {@code --only}) or {@code --classification} is no classification file. Without
 * {@code --eve-dir} the EVE files go to a temporary folder, removed at the end unless a case failed (its FAIL
 * line names its file).
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
        final Path classification = options.has("classification") ? classification(options.get("classification"))
            : null;
        final List<VerifyCase> cases = selected(Path.of(options.get("cases")), options.get("only"));
        final boolean ownFolder = !options.has("eve-dir");
        // The temporary folder as java.io.tmpdir says when the command runs.
        final Path eveDir = ownFolder
            ? Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "opensase-verify")
            : Path.of(options.get("eve-dir"));
        Files.createDirectories(eveDir);
        int failed = 0;
        try
        {
            failed = runCases(cases, eveDir, classification, out);
        }
        finally
        {
            if (ownFolder && 0 == failed)
            {
                delete(eveDir);
            }
            else if (ownFolder)
            {
                out.println("EVE files kept in " + eveDir + " (a case failed; remove it when done)");
            }
        }
        return 0 == failed ? 0 : 1;
    }

    /** Runs and scores each case, its EVE file in {@code eveDir}; prints its line and the total. */
    private static int runCases(final List<VerifyCase> cases, final Path eveDir, final Path classification,
        final PrintStream out) throws IOException
    {
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        for (final VerifyCase c : cases)
        {
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
        return failed;
    }

    /** Removes the folder the command made for its EVE files, with what it holds (its files only). */
    private static void delete(final Path folder) throws IOException
    {
        try (Stream<Path> files = Files.list(folder))
        {
            for (final Path file : files.toList())
            {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(folder);
    }

    /**
     * The cases under {@code root}, or the one named {@code only}; refuses to run none, which would report
     * success with nothing checked.
     */
    private static List<VerifyCase> selected(final Path root, final String only) throws IOException
    {
        if (!Files.isDirectory(root))
        {
            throw new IllegalArgumentException(root + ": --cases must be a folder of suricata-verify cases");
        }
        final List<VerifyCase> cases = VerifyRun.cases(root);
        if (cases.isEmpty())
        {
            throw new IllegalArgumentException(root + ": no suricata-verify cases (folders holding a "
                + VerifyCase.TEST_YAML + ") below it" + (Files.isRegularFile(root.resolve(VerifyCase.TEST_YAML))
                    ? "; it is one case itself: give the folder holding it and --only " + root.getFileName() : ""));
        }
        if (null == only)
        {
            return cases;
        }
        final List<VerifyCase> named = cases.stream().filter(c -> c.name().equals(only)).toList();
        if (named.isEmpty())
        {
            final List<String> near = cases.stream().map(VerifyCase::name)
                .filter(name -> name.endsWith("/" + only)).toList();
            throw new IllegalArgumentException("--only " + only + ": no such case in " + root
                + (near.isEmpty() ? "" : " (cases are named by their path below it: " + String.join(", ", near) + ")"));
        }
        return named;
    }

    /** Reads the file up front, so that a bad one is refused before any case runs, not only when one uses it. */
    private static Path classification(final String name) throws IOException
    {
        final Path file = Path.of(name);
        if (!Files.isRegularFile(file))
        {
            throw new IllegalArgumentException(file + ": no such file (--classification)");
        }
        try
        {
            Classifications.readNamed(file);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(ex.getMessage() + " (--classification)", ex);
        }
        return file;
    }
}
