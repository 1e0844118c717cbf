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
import java.util.List;
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
        for (final int stream : TcpStreams.httpStreams(capture))
        {
            final Recorder recorder = HttpEvaderTest.feed(capture, stream);
            final List<String> expectedRequests = tshark(capture, stream, "http.request",
                "http.request.method", "http.request.uri", "http.host", "http.user_agent");
            final List<String> actualRequests = recorder.requests().stream()
                .map(m -> String.join("\t", m.field(HttpField.METHOD), m.field(HttpField.URI_RAW),
                    m.field(HttpField.HOST_RAW), m.field(HttpField.USER_AGENT)))
                .toList();
            assertEquals(expectedRequests, actualRequests, name + " stream " + stream);
            final List<String> expectedCodes = tshark(capture, stream, "http.response", "http.response.code");
            final List<String> actualCodes = recorder.responses().stream()
                .filter(m -> !m.gapped)
                .map(m -> m.field(HttpField.STATUS_CODE))
                .toList();
            assertEquals(expectedCodes, actualCodes, name + " stream " + stream);
            messages += recorder.messages.size();
            recorder.messages.stream()
                .filter(m -> m.body.size() > 0 && !m.gapped)
                .forEach(m -> bodies.add(sha256(m.body.toByteArray())));
        }
        assertFalse(0 == messages, name + " has HTTP messages");
        assertEquals(exportedObjects(capture), bodies.stream().sorted().toList(), name + " bodies");
    }

    /** One line per matching frame of the stream: the fields joined by tabs (tshark's own field output). */
    private static List<String> tshark(final Path capture, final int stream, final String filter,
        final String... fields)
    {
        final List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(), "-Y",
            filter + " && tcp.stream == " + stream, "-T", "fields", "-E", "occurrence=f"));
        for (final String field : fields)
        {
            command.add("-e");
            command.add(field);
        }
        final String output = Tools.run(command.toArray(String[]::new));
        return output.isEmpty() ? List.of() : List.of(output.split("\n"));
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
