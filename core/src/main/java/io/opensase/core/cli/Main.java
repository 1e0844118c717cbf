package io.opensase.core.cli;

import io.opensase.core.config.ConfigException;
import io.opensase.dpdk.DpdkException;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code opensase} command line. Exit status: 0 success, 1 the input was bad part-way (reported), 2 the
 * command, configuration or files could not be used at all.
 */
public final class Main
{
    private static final String USAGE = """
        usage:
        """ + RunCommand.USAGE.indent(2) + BenchCommand.USAGE.indent(2) + AclCommand.USAGE.indent(2)
        + ReloadCommand.USAGE.indent(2) + TraceCommand.USAGE.indent(2) + AuditCommand.USAGE.indent(2)
        + StatsCommand.USAGE.indent(2) + IpsCommand.USAGE.indent(2) + VerifyCommand.USAGE.indent(2);

    private Main()
    {
    }

    public static void main(final String[] args)
    {
        System.exit(execute(args));
    }

    static int execute(final String[] args)
    {
        if (0 == args.length || "help".equals(args[0]) || "--help".equals(args[0]) || "-h".equals(args[0])
            || java.util.Arrays.asList(args).contains("--help"))
        {
            System.out.print(USAGE);
            return 0 == args.length ? 2 : 0;
        }
        final List<String> rest = Arrays.asList(args).subList(1, args.length);
        try
        {
            return switch (args[0])
            {
                case "run" -> RunCommand.run(rest, System.out);
                case "bench" -> BenchCommand.run(rest, System.out);
                case "acl" -> AclCommand.run(rest, System.out);
                case "reload" -> ReloadCommand.run(rest, System.out);
                case "trace" -> TraceCommand.run(rest, System.out);
                case "audit" -> AuditCommand.run(rest, System.out);
                case "stats" -> StatsCommand.run(rest, System.out);
                case "ips" -> IpsCommand.run(rest, System.out);
                case "verify" -> VerifyCommand.run(rest, System.out);
                default -> throw new UsageException("unknown command '" + args[0] + "'");
            };
        }
        catch (final UsageException ex)
        {
            System.err.println("opensase: " + ex.getMessage());
            System.err.print(USAGE);
            return 2;
        }
        catch (final ConfigException ex)
        {
            System.err.println("opensase: " + ex.getMessage());
            return 2;
        }
        catch (final IOException ex)
        {
            System.err.println("opensase: " + describe(ex));
            return 2;
        }
        catch (final DpdkException | IllegalStateException | IllegalArgumentException ex)
        {
            System.err.println("opensase: " + ex.getMessage());
            return 2;
        }
    }

    private static String describe(final IOException ex)
    {
        if (ex instanceof java.nio.file.NoSuchFileException missing)
        {
            return missing.getFile() + ": no such file";
        }
        if (ex instanceof java.nio.file.AccessDeniedException denied)
        {
            return denied.getFile() + ": permission denied";
        }
        return ex.getMessage();
    }
}
