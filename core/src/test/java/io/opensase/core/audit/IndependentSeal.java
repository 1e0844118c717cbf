package io.opensase.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The audit format checked without the code under test: the key read from its file's hex, JSON read with
 * Jackson, each mac recomputed with javax.crypto over prev's bytes and the line with its mac member cut out.
 */
final class IndependentSeal
{
    static final String ZERO = "0".repeat(64);
    private static final ObjectMapper JSON = new ObjectMapper();

    private IndependentSeal()
    {
    }

    static byte[] key(final Path keyFile) throws Exception
    {
        return HexFormat.of().parseHex(Files.readString(keyFile, StandardCharsets.US_ASCII).strip());
    }

    static String hmac(final byte[] key, final byte[] message) throws Exception
    {
        final Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(message));
    }

    /** The bytes a line's mac covers: prev's 32 bytes, then the line without {@code ,"mac":"..."}. */
    static byte[] sealedBytes(final String line) throws Exception
    {
        final JsonNode entry = JSON.readTree(line);
        final String member = ",\"mac\":\"" + entry.get("mac").asText() + "\"";
        final byte[] prev = HexFormat.of().parseHex(entry.get("prev").asText());
        final byte[] rest = line.replace(member, "").getBytes(StandardCharsets.UTF_8);
        final byte[] message = new byte[prev.length + rest.length];
        System.arraycopy(prev, 0, message, 0, prev.length);
        System.arraycopy(rest, 0, message, prev.length, rest.length);
        return message;
    }

    /** Checks the whole log: seq 1..n, each prev the mac before, each mac the HMAC; returns the parsed lines. */
    static List<JsonNode> assertChain(final Path log, final byte[] key) throws Exception
    {
        final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        String prev = ZERO;
        for (int i = 0; i < lines.size(); i++)
        {
            final JsonNode entry = JSON.readTree(lines.get(i));
            assertEquals(i + 1, entry.get("seq").asLong(), "seq of line " + (i + 1));
            assertEquals(prev, entry.get("prev").asText(), "prev of line " + (i + 1));
            assertEquals(hmac(key, sealedBytes(lines.get(i))), entry.get("mac").asText(), "mac of line " + (i + 1));
            prev = entry.get("mac").asText();
        }
        return lines.stream().map(IndependentSeal::read).toList();
    }

    static JsonNode read(final String json)
    {
        try
        {
            return JSON.readTree(json);
        }
        catch (final Exception ex)
        {
            throw new AssertionError("not JSON: " + json, ex);
        }
    }
}
