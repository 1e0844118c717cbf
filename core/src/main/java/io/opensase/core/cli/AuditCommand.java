package io.opensase.core.cli;

import io.opensase.core.audit.AuditAnchor;
import io.opensase.core.audit.AuditException;
import io.opensase.core.audit.AuditKey;
import io.opensase.core.audit.AuditVerification;
import io.opensase.core.audit.AuditVerifier;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code opensase audit}: {@code verify} checks an audit log against its anchor and key (exit 0 and a
 * summary when intact, 1 and the first bad entry otherwise, 2 when a file cannot be used); {@code keygen}
 * writes a new key file. Runs on the main thread.
 */
final class AuditCommand
{
    static final String USAGE = """
        opensase audit verify FILE --anchor FILE --key FILE
        opensase audit keygen FILE""";

    private static final Set<String> VERIFY_OPTIONS = Set.of("anchor", "key");

    private AuditCommand()
    {
    }

    static int run(final List<String> args, final PrintStream out) throws UsageException
    {
        if (args.isEmpty())
        {
            throw new UsageException("audit needs verify or keygen");
        }
        final List<String> files = new ArrayList<>();
        final List<String> options = new ArrayList<>();
        for (int i = 1; i < args.size(); i++)
        {
            final String arg = args.get(i);
            if (arg.startsWith("--"))
            {
                options.add(arg);
                if (i + 1 < args.size())
                {
                    options.add(args.get(++i));
                }
            }
            else
            {
                files.add(arg);
            }
        }
        try
        {
            return switch (args.get(0))
            {
                case "verify" -> verify(files, new Options(options, VERIFY_OPTIONS), out);
                case "keygen" -> keygen(files, new Options(options, Set.of()), out);
                default -> throw new UsageException("unknown audit command '" + args.get(0)
                    + "'; use verify or keygen");
            };
        }
        catch (final AuditException ex)
        {
            System.err.println("opensase: " + ex.getMessage());
            return 2;
        }
    }

    private static int verify(final List<String> files, final Options options, final PrintStream out)
        throws UsageException, AuditException
    {
        if (1 != files.size() || !options.has("anchor") || !options.has("key"))
        {
            throw new UsageException("audit verify needs one log FILE, --anchor FILE and --key FILE");
        }
        final Path log = Path.of(files.getFirst());
        if (!Files.isRegularFile(log))
        {
            throw new AuditException(log + ": " + (Files.exists(log) ? "not a file" : "no such file"));
        }
        final AuditAnchor anchor = AuditAnchor.read(Path.of(options.get("anchor")));
        final Path logDirectory = log.toAbsolutePath().getParent();
        final AuditKey key = AuditKey.readOutside(Path.of(options.get("key")), logDirectory);
        final String name = log.getFileName().toString();
        if (!anchor.log().equals(name))
        {
            System.err.println("opensase: note: the anchor " + options.get("anchor") + " was written for '"
                + anchor.log() + "', not '" + name + "' (as expected for a renamed copy)");
        }
        final AuditVerification verification = AuditVerifier.verify(log, anchor, key);
        if (verification.intact())
        {
            out.println("opensase audit: " + verification.describe(log.toString()));
            out.flush();
            return 0;
        }
        System.err.println("opensase: " + verification.describe(log.toString()));
        return 1;
    }

    private static int keygen(final List<String> files, final Options options, final PrintStream out)
        throws UsageException, AuditException
    {
        if (1 != files.size())
        {
            throw new UsageException("audit keygen needs one FILE to create");
        }
        final Path file = Path.of(files.getFirst());
        AuditKey.generate(file);
        out.println("opensase audit: wrote a new key to " + file + " (mode 0600); keep it outside the audit log's "
            + "directory and copy it where 'opensase audit verify' runs");
        out.flush();
        return 0;
    }
}
