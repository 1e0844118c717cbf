package io.opensase.classifiers.app.http;

import io.opensase.classifiers.testing.Tools;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TCP streams as tshark reassembles them ({@code -z follow,tcp,raw,N}): the data of each direction in the
 * order tshark shows it, so that requests and responses interleave as they did on the wire.
 */
final class TcpStreams
{
    /**
     * One run of in-order bytes of one direction (0: the client), or, when {@code lost} is positive, that many
     * bytes missing from the capture (tshark writes a NUL-terminated note in their place, turned back into a gap here).
     */
    record Piece(int direction, byte[] bytes, int lost)
    {
    }

    private static final Pattern MISSING = Pattern.compile("\\[(\\d+) bytes missing in capture file\\]\\x00?");

    private TcpStreams()
    {
    }

    static List<Piece> follow(final Path capture, final int stream)
    {
        return follow(capture, List.of(stream)).get(stream);
    }

    /** Several streams in one tshark run (one {@code -z follow} each). */
    static Map<Integer, List<Piece>> follow(final Path capture, final List<Integer> streams)
    {
        final List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(), "-q"));
        for (final int stream : streams)
        {
            command.add("-z");
            command.add("follow,tcp,raw," + stream);
        }
        final String output = Tools.run(command.toArray(String[]::new));
        final Map<Integer, List<Piece>> all = new TreeMap<>();
        List<Piece> pieces = null;
        boolean inData = false;
        for (final String line : output.split("\n"))
        {
            if (line.startsWith("Filter: tcp.stream eq "))
            {
                pieces = new ArrayList<>();
                all.put(Integer.parseInt(line.substring("Filter: tcp.stream eq ".length()).strip()), pieces);
                inData = false;
            }
            else if (line.startsWith("Node 1:"))
            {
                inData = true;
            }
            else if (line.startsWith("===="))
            {
                inData = false;
            }
            else if (inData && !line.isBlank())
            {
                final int direction = line.startsWith("\t") ? 1 : 0;
                final byte[] bytes = HexFormat.of().parseHex(line.strip());
                final Matcher missing = MISSING.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
                pieces.add(missing.matches() ? new Piece(direction, new byte[0], Integer.parseInt(missing.group(1)))
                    : new Piece(direction, bytes, 0));
            }
        }
        all.replaceAll((stream, list) -> clientFirst(list));
        return all;
    }

    private static List<Piece> clientFirst(final List<Piece> pieces)
    {
        if (!pieces.isEmpty() && new String(pieces.getFirst().bytes(), StandardCharsets.ISO_8859_1).startsWith("HTTP/"))
        {
            // The capture starts with the server's side: tshark's node 0 is the server.
            return pieces.stream().map(p -> new Piece(1 - p.direction(), p.bytes(), p.lost())).toList();
        }
        return pieces;
    }

    /** The numbers of the TCP streams that carry HTTP, as tshark dissects them. */
    static List<Integer> httpStreams(final Path capture)
    {
        final String output = Tools.run("tshark", "-n", "-r", capture.toString(), "-Y", "http", "-T", "fields",
            "-e", "tcp.stream");
        final TreeSet<Integer> streams = new TreeSet<>();
        for (final String line : output.split("\n"))
        {
            if (!line.isBlank())
            {
                streams.add(Integer.parseInt(line.strip()));
            }
        }
        return new ArrayList<>(streams);
    }
}
