package io.opensase.classifiers.app;

import io.opensase.classifiers.testing.Tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * TCP streams and field values of shared captures as tshark sees them, the independent decoder the
 * application parsers are checked against: {@code -z follow,tcp,raw} gives each stream's payload in order
 * (retransmissions removed), one chunk per segment, and the field lists give the expected values.
 */
public final class Streams
{
    private Streams()
    {
    }

    /** One segment's payload and the way it went: {@link StreamDirection#TO_SERVER} for tshark's node 0. */
    public record Chunk(int direction, byte[] bytes)
    {
    }

    public static List<Chunk> follow(final Path capture, final int stream)
    {
        final String output = Tools.run("tshark", "-n", "-r", capture.toString(), "-q", "-z",
            "follow,tcp,raw," + stream);
        final List<Chunk> chunks = new ArrayList<>();
        boolean body = false;
        for (final String line : output.split("\n"))
        {
            if (line.startsWith("Node 1:"))
            {
                body = true;
                continue;
            }
            if (!body || line.startsWith("=") || line.isBlank())
            {
                continue;
            }
            final boolean server = line.startsWith("\t");
            chunks.add(new Chunk(server ? StreamDirection.TO_CLIENT : StreamDirection.TO_SERVER,
                HexFormat.of().parseHex(line.strip())));
        }
        return chunks;
    }

    /** The distinct tcp.stream numbers of frames matching {@code filter}. */
    public static List<Integer> tcpStreams(final Path capture, final String filter)
    {
        final TreeSet<Integer> streams = new TreeSet<>();
        for (final List<String> row : fields(capture, filter, "tcp.stream"))
        {
            streams.add(Integer.parseInt(row.getFirst()));
        }
        return List.copyOf(streams);
    }

    /**
     * The requested fields of each frame matching {@code filter}, tshark's defaults on (IP defragmentation,
     * TCP desegmentation), every occurrence of a field joined by '|' in one column.
     */
    public static List<List<String>> fields(final Path capture, final String filter, final String... fields)
    {
        final List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(), "-Y", filter,
            "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=|"));
        for (final String field : fields)
        {
            command.add("-e");
            command.add(field);
        }
        final List<List<String>> rows = new ArrayList<>();
        for (final String line : Tools.run(command.toArray(String[]::new)).split("\n"))
        {
            if (!line.isEmpty())
            {
                final List<String> row = new ArrayList<>(List.of(line.split("\t", -1)));
                while (row.size() < fields.length)
                {
                    row.add("");
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
