package io.opensase.core.ips;

import io.opensase.classifiers.app.http.HttpLimits;
import io.opensase.classifiers.app.http.HttpParser;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The IPS part of a configuration: rule files, the variables they use, the mode, and stream handling.
 *
 * @param ruleFiles     rule files or directories, in load order.
 * @param addressVars   {@code HOME_NET} and the others; any name not given is {@code any}.
 * @param portVars      {@code HTTP_PORTS} and the others; any name not given is {@code any}.
 * @param midstream     take up TCP flows whose handshake was not seen.
 * @param eve           the file EVE lines are appended to, or null for none.
 * @param classification the classification.config giving classtypes their text and priority; null: the one
 *                      beside the first rule file that has one, else none (then a rule naming a classtype is
 *                      skipped).
 * @param dlp           the DLP profiles file HTTP request bodies are scanned with, or null for no DLP.
 * @param maxStreams    TCP flows with a stream and application state at once, per worker
 *                      ({@value #MIN_STREAMS}..{@value #MAX_STREAMS}; {@value #DEFAULT_STREAMS} by default).
 * @param httpHeaderBlocks HTTP messages in progress at once per worker (head being collected, or body being
 *                      parsed), each holding one of the HTTP parser's 16 KiB header blocks
 *                      ({@value #MIN_HEADER_BLOCKS}..{@value #MAX_HEADER_BLOCKS}; by default
 *                      {@link #defaultHeaderBlocks}: a quarter of {@code maxStreams}). A message finding none
 *                      free is not parsed, as one whose headers are too long.
 */
public record IpsSettings(
    List<Path> ruleFiles,
    Map<String, String> addressVars,
    Map<String, String> portVars,
    IpsMode mode,
    boolean midstream,
    Path eve,
    Path classification,
    Path dlp,
    int maxStreams,
    int httpHeaderBlocks)
{
    public static final int DEFAULT_STREAMS = 4_096;
    public static final int MIN_STREAMS = 16;
    public static final int MAX_STREAMS = 65_535;
    public static final int MIN_HEADER_BLOCKS = 16;
    /** Two per stream at most (one per direction), which also keeps the blocks within one Java array. */
    public static final int MAX_HEADER_BLOCKS = 2 * MAX_STREAMS;

    public IpsSettings
    {
        ruleFiles = List.copyOf(ruleFiles);
        addressVars = Map.copyOf(addressVars);
        portVars = Map.copyOf(portVars);
        if (maxStreams < MIN_STREAMS || maxStreams > MAX_STREAMS)
        {
            throw new IllegalArgumentException("maxStreams must be " + MIN_STREAMS + ".." + MAX_STREAMS + ": "
                + maxStreams);
        }
        if (httpHeaderBlocks < MIN_HEADER_BLOCKS || httpHeaderBlocks > MAX_HEADER_BLOCKS)
        {
            throw new IllegalArgumentException("httpHeaderBlocks must be " + MIN_HEADER_BLOCKS + ".."
                + MAX_HEADER_BLOCKS + ": " + httpHeaderBlocks);
        }
    }

    /** Settings with the default HTTP header blocks for {@code maxStreams}. */
    public IpsSettings(final List<Path> ruleFiles, final Map<String, String> addressVars,
        final Map<String, String> portVars, final IpsMode mode, final boolean midstream, final Path eve,
        final Path classification, final Path dlp, final int maxStreams)
    {
        this(ruleFiles, addressVars, portVars, mode, midstream, eve, classification, dlp, maxStreams,
            defaultHeaderBlocks(maxStreams));
    }

    /**
     * Heap one worker's HTTP parser takes for its header blocks, its stage built over a flow table of
     * {@code flowSlots} (streams for at most that many flows): what start-up checks against the heap.
     */
    public long headerBlockBytes(final int flowSlots)
    {
        return HttpParser.headerBlockBytes(HttpLimits.defaults(), Math.min(flowSlots, maxStreams), httpHeaderBlocks);
    }

    /**
     * A quarter of the streams ({@value #MIN_HEADER_BLOCKS} at least; 1,024 at the default 4,096): a flow holds
     * a block only while one of its messages is in progress, a request's head mostly for a round trip at most
     * and a response's for its download, and flows without HTTP (TLS, most of them) hold none.
     */
    public static int defaultHeaderBlocks(final int maxStreams)
    {
        return Math.max(MIN_HEADER_BLOCKS, maxStreams / 4);
    }

    /** Settings with {@value #DEFAULT_STREAMS} streams per worker. */
    public IpsSettings(final List<Path> ruleFiles, final Map<String, String> addressVars,
        final Map<String, String> portVars, final IpsMode mode, final boolean midstream, final Path eve,
        final Path classification, final Path dlp)
    {
        this(ruleFiles, addressVars, portVars, mode, midstream, eve, classification, dlp, DEFAULT_STREAMS);
    }

    /**
     * These settings with those that take effect only at start ({@code eve}, {@code maxStreams},
     * {@code httpHeaderBlocks}) as {@code started} has them: what runs after a reload applied these.
     */
    public IpsSettings withStartOnlyOf(final IpsSettings started)
    {
        return new IpsSettings(ruleFiles, addressVars, portVars, mode, midstream, started.eve(), classification, dlp,
            started.maxStreams(), started.httpHeaderBlocks());
    }

    /** The same settings writing EVE lines to {@code file}. */
    public IpsSettings withEve(final Path file)
    {
        return new IpsSettings(ruleFiles, addressVars, portVars, mode, midstream, file, classification, dlp,
            maxStreams, httpHeaderBlocks);
    }
}
