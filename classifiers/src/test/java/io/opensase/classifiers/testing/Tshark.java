package io.opensase.classifiers.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The independent decoder the parser is checked against: tshark, run with IP defragmentation and TCP
 * desegmentation off, printing every occurrence of the requested fields for each frame.
 */
public final class Tshark
{
    private Tshark()
    {
    }

    /** One frame's fields: each field maps to its occurrences in dissection order (empty when absent). */
    public record Frame(int number, Map<String, List<String>> fields)
    {
        public List<String> all(final String field)
        {
            return fields.getOrDefault(field, List.of());
        }

        public String protocols()
        {
            return String.join("", all("frame.protocols"));
        }
    }

    /** The fields {@link #suricataRefusesTeredo} reads: decode them with the frame. */
    public static final String[] TEREDO_FIELDS = {"teredo.auth.idlen", "ipv6.hlim"};

    /**
     * tshark decodes Teredo on port 3544 where Suricata (and so the parser) does not: behind an authentication
     * header (a client qualifying with its server), and around an IPv6 header with hop limit 0. For a frame
     * holding Teredo, decoded with {@link #TEREDO_FIELDS}.
     */
    public static boolean suricataRefusesTeredo(final Frame frame)
    {
        final List<String> tokens = List.of(frame.protocols().split(":"));
        final int ipv6Before = (int)tokens.subList(0, tokens.indexOf("teredo")).stream().filter("ipv6"::equals).count();
        return !frame.all(TEREDO_FIELDS[0]).isEmpty() || "0".equals(frame.all(TEREDO_FIELDS[1]).get(ipv6Before));
    }

    public static List<Frame> decode(final Path capture, final String... fields)
    {
        final List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(),
            "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE", "-o", "tcp.desegment_tcp_streams:FALSE",
            "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=|",
            "-e", "frame.number"));
        for (final String field : fields)
        {
            command.add("-e");
            command.add(field);
        }
        try
        {
            final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0)
            {
                throw new IllegalStateException("tshark failed on " + capture + " (exit " + process.exitValue() + ")");
            }
            final List<Frame> frames = new ArrayList<>();
            for (final String line : output.split("\n"))
            {
                if (line.isEmpty())
                {
                    continue;
                }
                final String[] columns = line.split("\t", -1);
                final Map<String, List<String>> values = new HashMap<>();
                for (int f = 0; f < fields.length; f++)
                {
                    final String column = f + 1 < columns.length ? columns[f + 1] : "";
                    values.put(fields[f], column.isEmpty() ? List.of() : Arrays.asList(column.split("\\|")));
                }
                frames.add(new Frame(Integer.parseInt(columns[0]), values));
            }
            return frames;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot run tshark; install it (apt-get install tshark)", ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
