package io.opensase.classifiers.app.dns;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** One DNS message written as a line, from the parser's {@link DnsMessage} or from tshark's fields. */
final class DnsText
{
    /** The tshark fields {@link #fromTshark} reads, in order. */
    static final String[] FIELDS = {"dns.id", "dns.flags.response", "dns.flags.opcode", "dns.flags.rcode",
        "dns.count.answers", "dns.qry.name", "dns.qry.type", "dns.resp.name", "dns.resp.type", "dns.resp.ttl",
        "dns.a", "dns.aaaa", "dns.cname", "dns.ns", "dns.ptr.domain_name"};

    private static final int SRV = 33;

    private DnsText()
    {
    }

    static String text(final MemorySegment segment)
    {
        return new String(segment.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    static String of(final DnsMessage m)
    {
        final List<String> questions = new ArrayList<>();
        for (int i = 0; i < m.questionCount(); i++)
        {
            questions.add(text(m.queryName(i)) + " " + m.queryType(i));
        }
        final List<String> answers = new ArrayList<>();
        for (int i = 0; i < m.answerCount(); i++)
        {
            answers.add(owner(text(m.answerName(i)), m.answerType(i)) + " " + m.answerType(i) + " " + m.answerTtl(i)
                + " " + text(m.rdata(i)));
        }
        return line(m.id(), m.isResponse(), m.opcode(), m.rcode(), questions, answers);
    }

    private static String line(
        final int id,
        final boolean response,
        final int opcode,
        final int rcode,
        final List<String> questions,
        final List<String> answers)
    {
        return String.format("id=0x%04x %s opcode=%d%s questions=%s answers=%s", id, response ? "response" : "query",
            opcode, response ? " rcode=" + rcode : "", questions, answers);
    }

    /** {@code row}: the values of {@link #FIELDS}, occurrences joined by '|'. */
    static String fromTshark(final List<String> row)
    {
        final boolean response = "1".equals(row.get(1)) || "True".equals(row.get(1));
        final List<String> names = split(row.get(5));
        final List<String> types = split(row.get(6));
        final List<String> questions = new ArrayList<>();
        for (int i = 0; i < Math.min(names.size(), DnsMessage.MAX_QUESTIONS); i++)
        {
            questions.add(root(names.get(i)) + " " + types.get(i));
        }
        final int answerCount = row.get(4).isEmpty() ? 0 : Integer.parseInt(row.get(4));
        final List<String> rrNames = split(row.get(7));
        final List<String> rrTypes = split(row.get(8));
        final List<String> ttls = split(row.get(9));
        final Map<Integer, Iterator<String>> data = new HashMap<>();
        data.put(DnsMessage.TYPE_A, split(row.get(10)).iterator());
        data.put(DnsMessage.TYPE_AAAA, split(row.get(11)).stream().map(DnsText::fullIpv6).iterator());
        data.put(DnsMessage.TYPE_CNAME, split(row.get(12)).iterator());
        data.put(DnsMessage.TYPE_NS, split(row.get(13)).iterator());
        data.put(DnsMessage.TYPE_PTR, split(row.get(14)).iterator());
        final List<String> answers = new ArrayList<>();
        for (int i = 0; i < Math.min(answerCount, DnsMessage.MAX_ANSWERS); i++)
        {
            final int type = Integer.parseInt(rrTypes.get(i));
            final Iterator<String> values = data.get(type);
            answers.add(owner(root(rrNames.get(i)), type) + " " + type + " " + ttls.get(i) + " "
                + (null == values ? "" : root(values.next())));
        }
        final int opcode = row.get(2).isEmpty() ? 0 : Integer.parseInt(row.get(2));
        final int rcode = row.get(3).isEmpty() ? 0 : Integer.parseInt(row.get(3));
        return line(Integer.decode(row.get(0)), response, opcode, rcode, questions, answers);
    }

    /** tshark's dns.resp.name of an SRV record is not its owner name (it splits service, proto and name). */
    private static String owner(final String name, final int type)
    {
        return SRV == type ? "(srv owner)" : name;
    }

    private static List<String> split(final String aggregated)
    {
        return aggregated.isEmpty() ? List.of() : Arrays.asList(aggregated.split("\\|", -1));
    }

    private static String root(final String name)
    {
        return "<Root>".equals(name) ? "" : name;
    }

    /** tshark's IPv6 text in Suricata's form: eight groups of four lower-case hex digits. */
    private static String fullIpv6(final String address)
    {
        try
        {
            final byte[] bytes = InetAddress.getByName(address).getAddress();
            final StringBuilder text = new StringBuilder();
            for (int i = 0; i < 16; i += 2)
            {
                text.append(i > 0 ? ":" : "").append(String.format("%02x%02x", bytes[i], bytes[i + 1]));
            }
            return text.toString();
        }
        catch (final UnknownHostException ex)
        {
            throw new AssertionError(address, ex);
        }
    }
}
