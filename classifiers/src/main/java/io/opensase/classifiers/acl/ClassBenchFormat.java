package io.opensase.classifiers.acl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads ClassBench filter sets and traces, the format {@code dpdk-test-acl} reads (D. E. Taylor and J. S.
 * Turner, "ClassBench: A Packet Classification Benchmark", INFOCOM 2005). IPv4 only. Control thread; stateless.
 * <p>
 * A rule line is {@code @src/len dst/len sport_lo : sport_hi dport_lo : dport_hi proto/mask [flags/mask]},
 * fields separated by tabs or spaces; the first rule has the highest priority. The optional flags column is
 * read and ignored, as {@code dpdk-test-acl} ignores it. Blank lines and lines starting with {@code #} are
 * skipped. A trace line is {@code src dst sport dport proto [more columns ignored]} in decimal, one header per
 * line; blank lines are errors, so that results correspond line for line.
 */
public final class ClassBenchFormat
{
    private static final String NUMBER = "(0[xX][0-9a-fA-F]+|\\d+)";
    private static final Pattern RULE = Pattern.compile("@\\s*(\\S+)\\s+(\\S+)\\s+(\\d+)\\s*:\\s*(\\d+)\\s+(\\d+)"
        + "\\s*:\\s*(\\d+)\\s+" + NUMBER + "/" + NUMBER + "(?:\\s+" + NUMBER + "/" + NUMBER + ")?\\s*");
    private static final String RULE_SHAPE = "expected '@src/len dst/len lo : hi lo : hi proto/mask [flags/mask]'";

    private ClassBenchFormat()
    {
    }

    /** Reads a rule file. */
    public static List<AclRule> readRules(final Path file) throws IOException, AclFormatException
    {
        return parseRules(file.toString(), Files.readAllLines(file, StandardCharsets.ISO_8859_1));
    }

    /** Parses rule lines; {@code source} names them in errors. */
    public static List<AclRule> parseRules(final String source, final List<String> lines) throws AclFormatException
    {
        final List<AclRule> rules = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            try
            {
                rules.add(parseRule(line));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new AclFormatException(source, i + 1, ex.getMessage());
            }
        }
        return rules;
    }

    /** Parses one rule line. */
    public static AclRule parseRule(final String line)
    {
        final Matcher m = RULE.matcher(line.strip());
        if (!m.matches())
        {
            throw new IllegalArgumentException(RULE_SHAPE);
        }
        final IpPrefix source = prefix("source", m.group(1));
        final IpPrefix destination = prefix("destination", m.group(2));
        final PortRange sourcePorts = ports("source", m.group(3), m.group(4));
        final PortRange destinationPorts = ports("destination", m.group(5), m.group(6));
        final int protocol = number(m.group(7), 255, "protocol");
        final int mask = number(m.group(8), 255, "protocol mask");
        if (null != m.group(9))
        {
            number(m.group(9), 0xFFFF, "flags");
            number(m.group(10), 0xFFFF, "flags mask");
        }
        return AclRule.of(source, destination, sourcePorts, destinationPorts, protocol & mask, mask);
    }

    private static IpPrefix prefix(final String what, final String text)
    {
        if (text.indexOf(':') >= 0)
        {
            throw new IllegalArgumentException(what + " '" + text + "': only IPv4 in this format");
        }
        if (text.indexOf('/') < 0)
        {
            throw new IllegalArgumentException(what + " '" + text + "' is not address/length");
        }
        try
        {
            return IpPrefix.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(what + " " + ex.getMessage());
        }
    }

    private static PortRange ports(final String what, final String lo, final String hi)
    {
        final int from = number(lo, 65535, what + " port");
        final int to = number(hi, 65535, what + " port");
        if (from > to)
        {
            throw new IllegalArgumentException(what + " port range " + from + " : " + to + " is empty");
        }
        return new PortRange(from, to);
    }

    private static int number(final String text, final int max, final String what)
    {
        try
        {
            final long value = text.startsWith("0x") || text.startsWith("0X") ? Long.parseLong(text.substring(2), 16)
                : Long.parseLong(text);
            if (value >= 0 && value <= max)
            {
                return (int) value;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below
        }
        throw new IllegalArgumentException(what + " '" + text + "' is not within 0.." + max);
    }

    /** Reads a trace file into tuples (capacity = header count). */
    public static AclTuples readTrace(final Path file) throws IOException, AclFormatException
    {
        return parseTrace(file.toString(), Files.readAllLines(file, StandardCharsets.ISO_8859_1));
    }

    /** Parses trace lines; {@code source} names them in errors. */
    public static AclTuples parseTrace(final String source, final List<String> lines) throws AclFormatException
    {
        final AclTuples tuples = new AclTuples(lines.size());
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i);
            final long[] values = new long[5];
            int column = 0;
            int pos = 0;
            while (column < 5)
            {
                while (pos < line.length() && isSpace(line.charAt(pos)))
                {
                    pos++;
                }
                if (pos == line.length())
                {
                    throw new AclFormatException(source, i + 1, 0 == column && line.isBlank() ? "empty line"
                        : "expected 5 columns 'src dst sport dport proto', found " + column);
                }
                long value = 0;
                final int start = pos;
                while (pos < line.length() && !isSpace(line.charAt(pos)))
                {
                    final char c = line.charAt(pos++);
                    if (c < '0' || c > '9' || pos - start > 10)
                    {
                        throw new AclFormatException(source, i + 1, "column " + (column + 1) + " '"
                            + token(line, start) + "' is not a decimal number");
                    }
                    value = value * 10 + (c - '0');
                }
                values[column++] = value;
            }
            final long[] limits = {0xFFFF_FFFFL, 0xFFFF_FFFFL, 65535, 65535, 255};
            final String[] names = {"source address", "destination address", "source port", "destination port",
                "protocol"};
            for (int c = 0; c < 5; c++)
            {
                if (values[c] > limits[c])
                {
                    throw new AclFormatException(source, i + 1, names[c] + " " + values[c] + " is not within 0.."
                        + limits[c]);
                }
            }
            tuples.setV4(i, (int) values[0], (int) values[1], (int) values[2], (int) values[3], (int) values[4]);
        }
        return tuples;
    }

    private static boolean isSpace(final char c)
    {
        return ' ' == c || '\t' == c || '\r' == c;
    }

    private static String token(final String line, final int start)
    {
        int end = start;
        while (end < line.length() && !isSpace(line.charAt(end)))
        {
            end++;
        }
        return line.substring(start, end);
    }
}
