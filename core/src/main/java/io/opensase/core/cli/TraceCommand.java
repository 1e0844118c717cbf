package io.opensase.core.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code opensase trace}: follows a connection through a running engine by its control API: starts a trace
 * ({@code POST /trace}), waits for it to end, and prints what {@code GET /trace} answers then (JSON: per packet
 * when, which worker, tenant, flow, verdict and what decided it). Exit status 0 when the trace ran, 2 when the
 * API could not be used.
 */
final class TraceCommand
{
    static final String USAGE = """
        opensase trace --api URL --token-file FILE [--tenant NAME] [--src ADDRESS] [--sport PORT]
                       [--dst ADDRESS] [--dport PORT] [--protocol P] [--packets N] [--seconds N]""";

    private static final Set<String> OPTIONS = Set.of("api", "token-file", "tenant", "src", "sport", "dst", "dport",
        "protocol", "packets", "seconds");
    private static final List<String> FILTERS = List.of("tenant", "src", "sport", "dst", "dport", "protocol",
        "packets", "seconds");
    private static final long POLL_MS = 200;
    /** How GET /trace says the trace has ended (the API writes JSON with a space after each colon). */
    private static final String DONE = "\"state\": \"done\"";

    private TraceCommand()
    {
    }

    static int run(final List<String> args, final PrintStream out) throws UsageException, IOException
    {
        final Options options = new Options(args, OPTIONS);
        if (!options.has("api") || !options.has("token-file"))
        {
            throw new UsageException("trace needs --api URL (e.g. http://127.0.0.1:9470) and --token-file FILE");
        }
        final String token = token(Path.of(options.get("token-file")));
        final StringBuilder query = new StringBuilder();
        for (final String name : FILTERS)
        {
            if (options.has(name))
            {
                query.append(query.isEmpty() ? "?" : "&").append(name).append('=')
                    .append(URLEncoder.encode(options.get(name), StandardCharsets.UTF_8));
            }
        }
        final String api = options.get("api").replaceAll("/+$", "");
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try
        {
            final HttpResponse<String> started = http.send(request(api + "/trace" + query, token)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (202 != started.statusCode())
            {
                System.err.println("opensase: " + api + "/trace: " + started.statusCode() + " " + started.body().strip());
                return 2;
            }
            while (true)
            {
                final HttpResponse<String> now = http.send(request(api + "/trace", token).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
                if (200 != now.statusCode())
                {
                    System.err.println("opensase: " + api + "/trace: " + now.statusCode() + " " + now.body().strip());
                    return 2;
                }
                if (now.body().contains(DONE))
                {
                    out.print(now.body());
                    return 0;
                }
                Thread.sleep(POLL_MS);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return 2;
        }
        catch (final IOException ex)
        {
            throw new IOException(api + ": " + (null == ex.getMessage() ? ex.getClass().getSimpleName()
                : ex.getMessage()), ex);
        }
    }

    private static HttpRequest.Builder request(final String uri, final String token) throws UsageException
    {
        try
        {
            return HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException("--api: '" + uri + "' is not a URL");
        }
    }

    /** The token: the file's first line, or the part after "name:" when it is a line of the tokens file. */
    private static String token(final Path file) throws UsageException, IOException
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        }
        catch (final NoSuchFileException ex)
        {
            throw new UsageException(file + ": no such file");
        }
        if (lines.isEmpty())
        {
            throw new UsageException(file + ": holds no token");
        }
        final String line = lines.getFirst().strip();
        final int colon = line.indexOf(':');
        return (colon < 0 ? line : line.substring(colon + 1)).strip();
    }
}
