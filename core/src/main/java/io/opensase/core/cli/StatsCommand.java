package io.opensase.core.cli;

import io.opensase.core.metrics.StatsCounter;
import io.opensase.core.metrics.StatsFile;
import io.opensase.core.metrics.StatsFileReader;
import io.opensase.core.metrics.StatsSnapshot;
import io.opensase.core.report.JsonWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code opensase stats}: reads the counters a running (or finished) engine publishes in its stats file
 * ({@code run --stats-file}) from another process, and prints them once, or every few seconds with rates
 * until the engine stops. Exit status 0; 1 when a watched engine ended without writing its final counts;
 * 2 when the file cannot be read or is not a stats file. Runs on the main thread.
 */
final class StatsCommand
{
    static final String USAGE = """
        opensase stats FILE [--json] [--watch SECONDS]""";

    private static final Set<String> OPTIONS = Set.of("watch");
    private static final Set<String> FLAGS = Set.of("json");

    private StatsCommand()
    {
    }

    static int run(final List<String> args, final PrintStream out) throws UsageException, IOException
    {
        final List<String> files = new ArrayList<>();
        final List<String> options = new ArrayList<>();
        for (int i = 0; i < args.size(); i++)
        {
            final String arg = args.get(i);
            if (!arg.startsWith("--"))
            {
                files.add(arg);
                continue;
            }
            options.add(arg);
            if (OPTIONS.contains(arg.substring(2)) && i + 1 < args.size())
            {
                options.add(args.get(++i));
            }
        }
        final Options parsed = new Options(options, OPTIONS, FLAGS);
        if (1 != files.size())
        {
            throw new UsageException("stats needs one FILE: the file given to run --stats-file");
        }
        final Path file = Path.of(files.get(0));
        final boolean json = parsed.has("json");
        if (!parsed.has("watch"))
        {
            try (StatsFileReader reader = StatsFileReader.open(file))
            {
                final StatsSnapshot snapshot = reader.read();
                out.print(json ? json(file, snapshot, null, false) : text(file, snapshot, null, false));
                return 0;
            }
        }
        return watch(file, parsed.integer("watch", 1, 3600), json, out);
    }

    /** Prints the counters every {@code seconds} with rates, until the engine stops or is gone. */
    private static int watch(final Path file, final int seconds, final boolean json, final PrintStream out)
        throws IOException
    {
        StatsFileReader reader = StatsFileReader.open(file);
        try
        {
            StatsSnapshot previous = null;
            while (true)
            {
                final StatsSnapshot snapshot = reader.read();
                out.print(json ? json(file, snapshot, previous, true) : text(file, snapshot, previous, true));
                out.flush();
                if (StatsFile.STATE_STOPPED == snapshot.state())
                {
                    return 0;
                }
                if (!alive(snapshot.pid()))
                {
                    System.err.println("opensase: " + file + ": the engine (pid " + snapshot.pid() + ") ended "
                        + "without writing its final counts");
                    return 1;
                }
                sleep(seconds);
                previous = snapshot;
                if (reader.replaced())
                {
                    reader.close();
                    reader = StatsFileReader.open(file);
                    previous = null;
                    System.err.println("opensase: " + file + " was made anew (another run): reading the new one");
                }
            }
        }
        finally
        {
            reader.close();
        }
    }

    private static String text(final Path file, final StatsSnapshot snapshot, final StatsSnapshot previous,
        final boolean watching)
    {
        final StringBuilder text = new StringBuilder();
        text.append(file).append(": engine pid ").append(snapshot.pid()).append(", ")
            .append(state(snapshot)).append(", updated ")
            .append(0 == snapshot.updatedNs() ? "never" : instant(snapshot.updatedNs())).append('\n');
        int width = 0;
        for (final StatsCounter counter : snapshot.counters())
        {
            width = Math.max(width, counter.name().length());
        }
        final double seconds = interval(snapshot, previous);
        for (int i = 0; i < snapshot.counters().size(); i++)
        {
            final StatsCounter counter = snapshot.counters().get(i);
            final long value = snapshot.value(i);
            if (watching && 0 == value && (null == previous || 0 == previous.value(i)))
            {
                continue;
            }
            text.append(String.format(Locale.ROOT, "%-" + width + "s %20d", counter.name(), value));
            if (!counter.gauge() && seconds > 0)
            {
                text.append(String.format(Locale.ROOT, " %16.1f/s", (value - previous.value(i)) / seconds));
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static String json(final Path file, final StatsSnapshot snapshot, final StatsSnapshot previous,
        final boolean watching)
    {
        final JsonWriter json = (watching ? JsonWriter.compact() : new JsonWriter()).beginObject()
            .field("file", file.toString())
            .field("pid", snapshot.pid())
            .field("state", StatsFile.stateName(snapshot.state()))
            .field("created", instant(snapshot.createdNs()))
            .field("updated", 0 == snapshot.updatedNs() ? null : instant(snapshot.updatedNs()))
            .beginObject("counters");
        for (int i = 0; i < snapshot.counters().size(); i++)
        {
            json.field(snapshot.counters().get(i).name(), snapshot.value(i));
        }
        json.endObject();
        final double seconds = interval(snapshot, previous);
        if (seconds > 0)
        {
            json.field("interval_s", seconds).beginObject("rates");
            for (int i = 0; i < snapshot.counters().size(); i++)
            {
                if (!snapshot.counters().get(i).gauge())
                {
                    json.field(snapshot.counters().get(i).name(), (snapshot.value(i) - previous.value(i)) / seconds);
                }
            }
            json.endObject();
        }
        return json.endObject() + "\n";
    }

    /** Seconds between two updates by the engine's clock, 0 when there is no earlier one or no time passed. */
    private static double interval(final StatsSnapshot snapshot, final StatsSnapshot previous)
    {
        if (null == previous || 0 == previous.updatedNs() || snapshot.updatedNs() <= previous.updatedNs())
        {
            return 0;
        }
        return (snapshot.updatedNs() - previous.updatedNs()) / 1e9;
    }

    private static String state(final StatsSnapshot snapshot)
    {
        final String state = StatsFile.stateName(snapshot.state());
        if (StatsFile.STATE_STOPPED != snapshot.state() && !alive(snapshot.pid()))
        {
            return state + " (but no process " + snapshot.pid() + " runs: the engine ended without its final "
                + "update)";
        }
        return state;
    }

    private static boolean alive(final long pid)
    {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String instant(final long epochNs)
    {
        return Instant.ofEpochSecond(Math.floorDiv(epochNs, 1_000_000_000L), Math.floorMod(epochNs, 1_000_000_000L))
            .toString();
    }

    private static void sleep(final int seconds) throws IOException
    {
        try
        {
            Thread.sleep(seconds * 1000L);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }
}
