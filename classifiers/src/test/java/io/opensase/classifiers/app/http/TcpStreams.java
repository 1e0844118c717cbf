package io.opensase.classifiers.app.http;

import io.opensase.classifiers.testing.Tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * TCP streams as tshark reassembles them ({@code -z follow,tcp,raw,N}): the data of each direction in the
 * order tshark shows it, so that requests and responses interleave as they did on the wire.
 */
final class TcpStreams
{
    /** One run of in-order bytes of one direction (0: the side that spoke first, as tshark's node 0). */
    record Piece(int direction, byte[] bytes)
    {
    }

    private TcpStreams()
    {
    }

    static List<Piece> follow(final Path capture, final int stream)
    {
        final String output = Tools.run("tshark", "-n", "-r", capture.toString(), "-q", "-z",
            "follow,tcp,raw," + stream);
        final List<Piece> pieces = new ArrayList<>();
        boolean inData = false;
        for (final String line : output.split("\n"))
        {
            if (line.startsWith("Node 1:"))
            {
                inData = true;
                continue;
            }
            if (!inData || line.startsWith("====") || line.isBlank())
            {
                continue;
            }
            final int direction = line.startsWith("\t") ? 1 : 0;
            pieces.add(new Piece(direction, HexFormat.of().parseHex(line.strip())));
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
