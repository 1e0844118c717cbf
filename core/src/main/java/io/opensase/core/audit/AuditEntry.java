package io.opensase.core.audit;

import io.opensase.core.report.JsonWriter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Mac;

/**
 * One line of the audit log: a change asked of the engine, who asked and how it ended, chained to the line
 * before it and sealed with the log's key. The line is compact JSON with the members in this order:
 *
 * <pre>{"seq":1,"time":"2025-06-01T12:00:00.000Z","principal":"ops","action":"reload","result":"applied",
 * "config_digest":"3a7f...","detail":"...","prev":"0000...","mac":"c1d2..."}</pre>
 *
 * ({@code detail} only when there is one). {@code mac} is HMAC-SHA256 under the log's key of the 32 bytes
 * {@code prev} stands for, followed by the UTF-8 bytes of the line as written up to {@code mac}, with the
 * closing brace in place of {@code ,"mac":...}: the mac covers the bytes on disk, not a re-serialisation.
 * Immutable; any thread.
 *
 * @param seq          1 for the first entry, one more for each after it.
 * @param time         when it was written, RFC 3339 in UTC with milliseconds.
 * @param principal    who asked: the API token's name, or {@code opensase} for the engine itself.
 * @param action       what was asked: {@code reload}, {@code config_put}, {@code capture}, ...
 * @param result       how it ended: {@code applied}, {@code unchanged}, {@code valid}, {@code invalid},
 *                     {@code failed}, ...
 * @param configDigest SHA-256 of the configuration text concerned, 64 lowercase hex digits; null when none.
 * @param detail       a short explanation (the error, the capture's filter); null when none.
 * @param prev         the previous entry's mac; {@link #ZERO} for the first entry.
 * @param mac          this entry's seal, 64 lowercase hex digits.
 */
public record AuditEntry(long seq, String time, String principal, String action, String result,
    String configDigest, String detail, String prev, String mac)
{
    /** The chain value before the first entry: 32 zero bytes. */
    public static final String ZERO = "0".repeat(64);

    /** The longest principal, in characters. */
    public static final int MAX_PRINCIPAL = 128;

    /** The longest detail, in characters; {@link AuditLog} shortens a longer one and says so. */
    public static final int MAX_DETAIL = 1024;

    /** The longest line, in bytes, newline included; longer is not an entry. */
    static final int MAX_LINE_BYTES = 16 * 1024;

    private static final Pattern TOKEN = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    private static final String MAC_MEMBER = ",\"mac\":\"";
    private static final int MAC_SUFFIX = MAC_MEMBER.length() + 64 + 2;
    private static final List<String> FIELDS = List.of("seq", "time", "principal", "action", "result",
        "config_digest", "detail", "prev", "mac");

    public AuditEntry
    {
        final String problem = problem(seq, time, principal, action, result, configDigest, detail, prev, mac);
        if (null != problem)
        {
            throw new IllegalArgumentException(problem);
        }
    }

    /** The line as written to the log, without its newline. */
    public String line()
    {
        final String sealed = sealed(seq, time, principal, action, result, configDigest, detail, prev);
        return sealed.substring(0, sealed.length() - 1) + MAC_MEMBER + mac + "\"}";
    }

    /** The JSON the mac covers: every member but {@code mac}, in the order of the line. */
    static String sealed(final long seq, final String time, final String principal, final String action,
        final String result, final String configDigest, final String detail, final String prev)
    {
        final JsonWriter json = JsonWriter.compact().beginObject()
            .field("seq", seq)
            .field("time", time)
            .field("principal", principal)
            .field("action", action)
            .field("result", result)
            .field("config_digest", configDigest);
        if (null != detail)
        {
            json.field("detail", detail);
        }
        return json.field("prev", prev).endObject().toString();
    }

    /** HMAC of {@code prev}'s 32 bytes followed by {@code sealed}'s UTF-8 bytes, as 64 lowercase hex digits. */
    static String seal(final Mac mac, final String prev, final String sealed)
    {
        mac.update(HexFormat.of().parseHex(prev));
        return HexFormat.of().formatHex(mac.doFinal(sealed.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Reads one line (without its newline) as an entry.
     *
     * @throws FlatJson.FormatException saying why it is not one.
     */
    static AuditEntry parse(final String line) throws FlatJson.FormatException
    {
        if (line.isEmpty())
        {
            throw new FlatJson.FormatException("empty line");
        }
        final Map<String, Object> members = FlatJson.parse(line);
        final List<String> expected = members.containsKey("detail") ? FIELDS
            : FIELDS.stream().filter(name -> !"detail".equals(name)).toList();
        if (!List.copyOf(members.keySet()).equals(expected))
        {
            throw new FlatJson.FormatException("expected the members " + String.join(", ", expected)
                + " in that order; found " + String.join(", ", members.keySet()));
        }
        if (!line.regionMatches(line.length() - MAC_SUFFIX, MAC_MEMBER, 0, MAC_MEMBER.length()))
        {
            throw new FlatJson.FormatException("mac is not 64 hex digits at the end of the line");
        }
        final Object seq = members.get("seq");
        if (!(seq instanceof Long number))
        {
            throw new FlatJson.FormatException("seq is not a number");
        }
        for (final String name : FIELDS)
        {
            final Object value = members.get(name);
            if (!"seq".equals(name) && null != value && !(value instanceof String))
            {
                throw new FlatJson.FormatException(name + " is not a string");
            }
        }
        if (members.containsKey("detail") && null == members.get("detail"))
        {
            throw new FlatJson.FormatException("detail is null (it is left out when there is none)");
        }
        final String problem = problem(number, (String)members.get("time"), (String)members.get("principal"),
            (String)members.get("action"), (String)members.get("result"), (String)members.get("config_digest"),
            (String)members.get("detail"), (String)members.get("prev"), (String)members.get("mac"));
        if (null != problem)
        {
            throw new FlatJson.FormatException(problem);
        }
        return new AuditEntry(number, (String)members.get("time"), (String)members.get("principal"),
            (String)members.get("action"), (String)members.get("result"), (String)members.get("config_digest"),
            (String)members.get("detail"), (String)members.get("prev"), (String)members.get("mac"));
    }

    /** The part of a line {@link #parse parsed} as an entry that its mac covers. */
    static String sealedPart(final String line)
    {
        return line.substring(0, line.length() - MAC_SUFFIX) + "}";
    }

    static boolean isDigest(final String text)
    {
        return null != text && HEX.matcher(text).matches();
    }

    static boolean isToken(final String text)
    {
        return null != text && TOKEN.matcher(text).matches();
    }

    private static String problem(final long seq, final String time, final String principal, final String action,
        final String result, final String configDigest, final String detail, final String prev, final String mac)
    {
        if (seq < 1)
        {
            return "seq must be at least 1, got " + seq;
        }
        if (null == time || !TIME.matcher(time).matches() || !isInstant(time))
        {
            return "time must be RFC 3339 UTC with milliseconds (2025-06-01T12:00:00.000Z), got '" + time + "'";
        }
        if (null == principal || principal.isEmpty() || principal.length() > MAX_PRINCIPAL
            || principal.chars().anyMatch(c -> c < 0x20 || 0x7f == c))
        {
            return "principal must be 1.." + MAX_PRINCIPAL + " characters without control characters, got '"
                + principal + "'";
        }
        if (!isToken(action))
        {
            return "action must be a lowercase word ([a-z][a-z0-9_]*, up to 32), got '" + action + "'";
        }
        if (!isToken(result))
        {
            return "result must be a lowercase word ([a-z][a-z0-9_]*, up to 32), got '" + result + "'";
        }
        if (null != configDigest && !isDigest(configDigest))
        {
            return "config_digest must be 64 lowercase hex digits or null, got '" + configDigest + "'";
        }
        if (null != detail && detail.length() > MAX_DETAIL)
        {
            return "detail must be at most " + MAX_DETAIL + " characters, got " + detail.length();
        }
        if (!isDigest(prev))
        {
            return "prev must be 64 lowercase hex digits, got '" + prev + "'";
        }
        if (!isDigest(mac))
        {
            return "mac must be 64 lowercase hex digits, got '" + mac + "'";
        }
        return null;
    }

    private static boolean isInstant(final String time)
    {
        try
        {
            Instant.parse(time);
            return true;
        }
        catch (final DateTimeParseException ex)
        {
            return false;
        }
    }
}
