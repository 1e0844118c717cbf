package io.opensase.classifiers.app.http;

import io.opensase.classifiers.testing.SharedData;
import io.opensase.classifiers.testing.Tools;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ten http-evader cases of the shared suricata-verify set (each hides the EICAR test file in a tricky
 * chunked or length-delimited response) and the http-chunked case, fed as tshark reassembles their streams.
 * Expected values come from each case's test.yaml (checked here) and rules, and from tshark.
 */
class HttpEvaderTest
{
    private static final String EICAR_START = "X5O!P%@AP[4";
    private static final String EICAR_NAME = "EICAR-STANDARD-ANTIVIRUS-TEST-FILE";

    @ParameterizedTest
    @ValueSource(strings = {"000", "001", "002", "003", "004", "005", "006", "007", "008", "009"})
    void shouldDecodeTheEicarFileOfEachEvaderCase(final String number) throws IOException
    {
        final Path folder = SharedData.resolve("ids-verify/http-evader/http-evader-" + number);
        final String yaml = Files.readString(folder.resolve("test.yaml"));
        final String rules = Files.readString(folder.resolve("test.rules"));
        assertTrue(yaml.contains("fileinfo.filename: eicar.txt") && yaml.contains("http.http_method: GET")
            && yaml.contains("http.hostname: evader.example.com"), "test.yaml asks for these");
        assertTrue(rules.contains("file_data; content:\"" + EICAR_NAME + "\"")
            && rules.contains("file_data; content:\"" + EICAR_START + "\""), "rules ask for these");

        final Recorder recorder = feed(folder.resolve("input.pcap"), 0);

        assertEquals(1, recorder.requests().size());
        final Recorder.Message request = recorder.requests().getFirst();
        assertEquals("GET", request.field(HttpField.METHOD));
        assertEquals("evader.example.com", request.field(HttpField.HOST));
        assertEquals(1, recorder.responses().size());
        final Recorder.Message response = recorder.responses().getFirst();
        assertEquals("eicar.txt", response.field(HttpField.FILE_NAME));
        assertEquals("200", response.field(HttpField.STATUS_CODE));
        final String body = response.bodyText();
        assertTrue(body.contains(EICAR_START), body);
        assertTrue(body.contains(EICAR_NAME), body);
        assertEquals("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*", body.strip());
        assertTrue(response.ended, "the response ends (last chunk, length, or end of stream)");
    }

    @Test
    void shouldExposeTheHeadersOfTheChunkedCase() throws IOException
    {
        final Path capture = SharedData.resolve("ids-verify/http-chunked/input.pcap");
        // tshark: http.request.method HEAD, http.host localhost, Cookie, X-Qlik-User, User-Agent,
        // Content-Length 0, Transfer-Encoding ",\tchunked,".
        final Recorder recorder = feed(capture, 0);

        final Recorder.Message request = recorder.requests().getFirst();
        final String fields = Tools.run("tshark", "-n", "-r", capture.toString(), "-Y", "http.request", "-T",
            "fields", "-e", "http.request.method", "-e", "http.request.uri", "-e", "http.host", "-e", "http.cookie",
            "-e", "http.user_agent", "-e", "http.content_length_header").strip();
        assertEquals(fields, String.join("\t", request.field(HttpField.METHOD), request.field(HttpField.URI_RAW),
            request.field(HttpField.HOST_RAW), request.field(HttpField.COOKIE), request.field(HttpField.USER_AGENT),
            request.field(HttpField.CONTENT_LENGTH)));
        assertEquals("HEAD", request.field(HttpField.METHOD));
        assertEquals("/resources/fonts/SourceSansPro-Regular.ttf", request.field(HttpField.URI_RAW));
        assertEquals("localhost", request.field(HttpField.HOST));
        assertEquals("X-Qlik-Session=13333333-3333-3333-3333-333333333337", request.field(HttpField.COOKIE));
        final String userAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/115.0.5790.110 Safari/537.36";
        assertEquals(userAgent, request.field(HttpField.USER_AGENT));
        assertEquals("Host: localhost\r\n"
            + "X-Qlik-User: UserDirectory=internal;UserId=sa_repository\r\n"
            + "User-Agent: " + userAgent + "\r\n"
            + "Content-Length: 0\r\n"
            + "Transfer-Encoding: ,\tchunked,\r\n", request.field(HttpField.HEADER));
        assertEquals("\r\nHost\r\nCookie\r\nX-Qlik-User\r\nUser-Agent\r\nContent-Length\r\nTransfer-Encoding\r\n\r\n",
            request.field(HttpField.HEADER_NAMES));
        assertTrue(request.field(HttpField.HEADER_RAW).contains("Cookie: X-Qlik-Session"));
        assertTrue(request.chunked, "Transfer-Encoding names chunked");
        assertEquals(0, request.declaredLength);
    }

    static Recorder feed(final Path capture, final int stream)
    {
        return feed(TcpStreams.follow(capture, stream));
    }

    static Recorder feed(final List<TcpStreams.Piece> pieces)
    {
        final Recorder recorder = new Recorder();
        try (HttpParser parser = new HttpParser(HttpLimits.defaults(), 4))
        {
            final int flow = parser.open();
            for (final TcpStreams.Piece piece : pieces)
            {
                if (piece.lost() > 0)
                {
                    parser.gap(flow, piece.direction(), piece.lost());
                    continue;
                }
                parser.feed(flow, piece.direction(), MemorySegment.ofArray(piece.bytes()), 0, piece.bytes().length,
                    recorder);
            }
            parser.end(flow, 0, recorder);
            parser.end(flow, 1, recorder);
        }
        return recorder;
    }
}
