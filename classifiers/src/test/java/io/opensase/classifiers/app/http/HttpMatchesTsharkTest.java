package io.opensase.classifiers.app.http;

import io.opensase.classifiers.testing.SharedData;
import io.opensase.classifiers.testing.Tools;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The shared captures that carry HTTP, each TCP stream fed as tshark reassembles it: the requests' method,
 * URI, Host and User-Agent and the responses' status codes equal tshark's {@code http.*} fields stream by
 * stream, and the decoded bodies equal the objects tshark exports ({@code --export-objects http}: de-chunked
 * and decompressed), compared as sets of SHA-256 digests. A message whose body lost bytes in the capture
 * (one in zeek-bro.org.pcap) is left out of the comparison: tshark dissects no such message at all.
 */
class HttpMatchesTsharkTest
{
    @ParameterizedTest
    @ValueSource(strings = {
        "pcap/web-http/zeek-bro.org.pcap",
        "pcap/web-http/zeek-http-get-gzip.pcap",
        "pcap/web-http/zeek-http-get.pcap",
        "pcap/web-http/zeek-http-pipelined-requests.pcap",
        "pcap/web-http/tcpdump-ipv4_tcp_http_xml.pcap",
        "pcap/mixed/zeek-wikipedia.pcap",
        "pcap/mixed/tcpreplay-test.pcap",
        "pcap/vlan/zeek-http-qinq-0.pcap",
        "pcap/tunnels/zeek-vxlan-encapsulated-http.pcap"})
    void shouldAgreeWithTshark(final String name) throws IOException
    {
        final Path capture = SharedData.resolve(name);
        final List<String> bodies = new ArrayList<>();
        int messages = 0;
        final List<Integer> streams = TcpStreams.httpStreams(capture);
        final Map<Integer, List<TcpStreams.Piece>> pieces = TcpStreams.follow(capture, streams);
        final Map<String, List<String>> requests = byStream(capture, "http.request",
            "http.request.method", "http.request.uri", "http.host", "http.user_agent");
        final Map<String, List<String>> codes = byStream(capture, "http.response", "http.response.code");
        for (final int stream : streams)
        {
            final Recorder recorder = HttpEvaderTest.feed(pieces.get(stream));
            final List<String> actualRequests = recorder.requests().stream()
                .map(m -> String.join("\t", m.field(HttpField.METHOD), m.field(HttpField.URI_RAW),
                    m.field(HttpField.HOST_RAW), m.field(HttpField.USER_AGENT)))
                .toList();
            assertEquals(requests.getOrDefault(Integer.toString(stream), List.of()), actualRequests,
                name + " stream " + stream);
            final List<String> actualCodes = recorder.responses().stream()
                .filter(m -> !m.gapped)
                .map(m -> m.field(HttpField.STATUS_CODE))
                .toList();
            assertEquals(codes.getOrDefault(Integer.toString(stream), List.of()), actualCodes,
                name + " stream " + stream);
            messages += recorder.messages.size();
            recorder.messages.stream()
                .filter(m -> m.body.size() > 0 && !m.gapped)
                .forEach(m -> bodies.add(sha256(m.body.toByteArray())));
        }
        assertFalse(0 == messages, name + " has HTTP messages");
        assertEquals(exportedObjects(capture), bodies.stream().sorted().toList(), name + " bodies");
    }

    /** Per TCP stream, one line per matching frame: the fields joined by tabs (tshark's own field output). */
    private static Map<String, List<String>> byStream(final Path capture, final String filter,
        final String... fields)
    {
        final List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(), "-Y",
            filter, "-T", "fields", "-E", "occurrence=f", "-e", "tcp.stream"));
        for (final String field : fields)
        {
            command.add("-e");
            command.add(field);
        }
        final Map<String, List<String>> lines = new HashMap<>();
        for (final String line : Tools.run(command.toArray(String[]::new)).split("\n"))
        {
            if (!line.isEmpty())
            {
                final int tab = line.indexOf('\t');
                lines.computeIfAbsent(line.substring(0, tab), k -> new ArrayList<>()).add(line.substring(tab + 1));
            }
        }
        return lines;
    }

    private static List<String> exportedObjects(final Path capture) throws IOException
    {
        final Path folder = Files.createTempDirectory("http-objects");
        try
        {
            Tools.run("tshark", "-n", "-r", capture.toString(), "-q", "--export-objects", "http," + folder);
            try (Stream<Path> files = Files.list(folder))
            {
                return files.map(HttpMatchesTsharkTest::read)
                    .filter(bytes -> bytes.length > 0)
                    .map(HttpMatchesTsharkTest::sha256)
                    .sorted()
                    .toList();
            }
        }
        finally
        {
            try (Stream<Path> files = Files.list(folder))
            {
                for (final Path file : files.toList())
                {
                    Files.delete(file);
                }
            }
            Files.delete(folder);
        }
    }

    private static byte[] read(final Path file)
    {
        try
        {
            return Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static String sha256(final byte[] bytes)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

}
