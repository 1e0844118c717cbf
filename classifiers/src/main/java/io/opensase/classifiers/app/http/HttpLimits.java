package io.opensase.classifiers.app.http;

/**
 * Limits of one {@link HttpParser}, checked when built; immutable, for any thread.
 *
 * @param headerBytes        bytes of one message's start line and header block (and of a chunked body's
 *                           trailer); a longer one is counted and the message skipped. 256..1 MiB. Each flow
 *                           holds this much per direction.
 * @param bodyBytes          decoded (de-chunked, decompressed) body bytes delivered per message; the rest is
 *                           counted as truncated and skipped. At least 1.
 * @param decompressedBytes  bytes one decompression layer may produce per message, whatever is delivered
 *                           (bounds the work of a layer that feeds another). At least {@code bodyBytes}.
 * @param decompressionRatio output-to-input ratio past which a layer counts as a decompression bomb and stops
 *                           (checked once it has produced {@value #RATIO_FLOOR} bytes). At least 2.
 * @param decompressionLayers Content-Encoding layers decoded per message, 1..{@value #MAX_LAYERS}; further
 *                           layers are counted and delivered as they are.
 * @param inflaters          decompressors in the worker's pool, shared by the flows whose bodies are being
 *                           decoded; a message finding too few is counted and delivered compressed.
 */
public record HttpLimits(
    int headerBytes,
    long bodyBytes,
    long decompressedBytes,
    int decompressionRatio,
    int decompressionLayers,
    int inflaters)
{
    public static final int MAX_LAYERS = 3;
    public static final int RATIO_FLOOR = 64 * 1024;

    public static final int DEFAULT_HEADER_BYTES = 16 * 1024;
    public static final long DEFAULT_BODY_BYTES = 1L << 20;
    public static final long DEFAULT_DECOMPRESSED_BYTES = 8L << 20;
    public static final int DEFAULT_RATIO = 1000;
    public static final int DEFAULT_INFLATERS = 64;

    public HttpLimits
    {
        if (headerBytes < 256 || headerBytes > (1 << 20))
        {
            throw new IllegalArgumentException("headerBytes must be 256..1048576: " + headerBytes);
        }
        if (bodyBytes < 1)
        {
            throw new IllegalArgumentException("bodyBytes must be at least 1: " + bodyBytes);
        }
        if (decompressedBytes < bodyBytes)
        {
            throw new IllegalArgumentException("decompressedBytes must be at least bodyBytes: " + decompressedBytes);
        }
        if (decompressionRatio < 2)
        {
            throw new IllegalArgumentException("decompressionRatio must be at least 2: " + decompressionRatio);
        }
        if (decompressionLayers < 1 || decompressionLayers > MAX_LAYERS)
        {
            throw new IllegalArgumentException("decompressionLayers must be 1.." + MAX_LAYERS + ": "
                + decompressionLayers);
        }
        if (inflaters < 0 || inflaters > 65_536)
        {
            throw new IllegalArgumentException("inflaters must be 0..65536: " + inflaters);
        }
    }

    /** 16 KiB of headers, 1 MiB of body, 8 MiB and ratio 1,000 per layer, 3 layers, 64 inflaters. */
    public static HttpLimits defaults()
    {
        return new HttpLimits(DEFAULT_HEADER_BYTES, DEFAULT_BODY_BYTES, DEFAULT_DECOMPRESSED_BYTES, DEFAULT_RATIO,
            MAX_LAYERS, DEFAULT_INFLATERS);
    }
}
