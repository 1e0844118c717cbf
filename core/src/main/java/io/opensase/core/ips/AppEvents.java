package io.opensase.core.ips;

import io.opensase.classifiers.app.dns.DnsMessage;
import io.opensase.classifiers.flow.FlowTable;
import io.opensase.core.events.EveIds;
import io.opensase.core.events.EveRecord;
import io.opensase.ips.dlp.DlpFinding;


/**
 * EVE lines for what the application parsers saw: {@code http} (one per transaction, written when its response
 * ends, or when a response arrives without a request seen), {@code fileinfo} (an HTTP body with a file name),
 * {@code tls} (after the server's certificate, or its hello when no certificate follows), {@code ssh} (once both
 * banners are known) and {@code dns} (each query and answer). Endpoints are oriented from client to server as
 * the application saw them. What a line carries from a message is copied into the per-flow {@link AppRecords}
 * first, since parser views are valid only during their callback.
 */
final class AppEvents
{
    private final EveRecord json;
    private final IpsEventSink sink;
    private final FlowTable table;
    private final int worker;
    /** The hex text of a DNS response's flags. */
    private final byte[] flagsHex = new byte[4];

    AppEvents(final IpsEventSink sink, final FlowTable table, final int worker)
    {
        this.sink = sink;
        this.json = sink.newRecord();
        this.table = table;
        this.worker = worker;
    }

    /** The head every application line shares; {@code toServer} tells how the current packet goes. */
    private void head(final String type, final CurrentPacket cur, final PacketFacts facts, final boolean toServer)
    {
        json.begin().time("timestamp", cur.timeNs);
        if (cur.slot >= 0)
        {
            json.field("flow_id", EveIds.flowId(worker, cur.slot, table.createdNs(cur.slot)));
        }
        json.field("event_type", type);
        final int tenant = cur.slot < 0 ? 0 : table.tenantOf(cur.slot);
        if (0 != tenant)
        {
            // Named when the line is written, as the flow record's tenant_id is.
            json.tenant("tenant_id", tenant);
        }
        PacketFields.vlans(json, facts);
        final boolean ports = facts.isTcp() || facts.isUdp();
        if (toServer)
        {
            endpoints(facts.ipVersion, facts.srcHi, facts.srcLo, facts.srcPort, facts.dstHi, facts.dstLo,
                facts.dstPort, ports);
        }
        else
        {
            endpoints(facts.ipVersion, facts.dstHi, facts.dstLo, facts.dstPort, facts.srcHi, facts.srcLo,
                facts.srcPort, ports);
        }
        json.protocol("proto", facts.ipProtocol);
        PacketFields.tunnel(json, facts);
    }

    private void endpoints(final int version, final long srcHi, final long srcLo, final int srcPort, final long dstHi,
        final long dstLo, final int dstPort, final boolean ports)
    {
        json.address("src_ip", version, srcHi, srcLo);
        if (ports)
        {
            json.field("src_port", srcPort);
        }
        json.address("dest_ip", version, dstHi, dstLo);
        if (ports)
        {
            json.field("dest_port", dstPort);
        }
    }

    void http(final CurrentPacket cur, final PacketFacts facts, final boolean toServer, final AppRecords.Http tx)
    {
        head("http", cur, facts, toServer);
        json.field("tx_id", tx.index);
        json.open("http");
        tx.write(json);
        json.close();
        sink.write(json.end());
    }

    void fileinfo(final CurrentPacket cur, final PacketFacts facts, final boolean toServer, final AppRecords.Http tx,
        final long size, final boolean complete)
    {
        head("fileinfo", cur, facts, toServer);
        json.open("http");
        tx.write(json);
        json.close();
        json.field("app_proto", "http");
        json.open("fileinfo");
        tx.fileName.write(json, "filename");
        json.field("gaps", false)
            .field("state", complete ? "CLOSED" : "TRUNCATED")
            .field("stored", false)
            .field("size", size)
            .field("tx_id", tx.index)
            .close();
        sink.write(json.end());
    }

    void tls(final CurrentPacket cur, final PacketFacts facts, final boolean toServer, final AppRecords.Tls tls)
    {
        head("tls", cur, facts, toServer);
        json.open("tls");
        tls.write(json);
        json.close();
        sink.write(json.end());
    }

    void ssh(final CurrentPacket cur, final PacketFacts facts, final boolean toServer, final AppRecords.Ssh ssh)
    {
        head("ssh", cur, facts, toServer);
        json.open("ssh");
        ssh.write(json);
        json.close();
        sink.write(json.end());
    }

    /**
     * A DNS message, with its endpoints in the direction it travels (found by a tester: an mDNS answer sent to a
     * multicast group, with no query in the flow, was logged with the group as its source).
     */
    void dns(final CurrentPacket cur, final PacketFacts facts, final DnsMessage message)
    {
        head("dns", cur, facts, true);
        json.open("dns");
        if (message.isResponse())
        {
            json.field("version", 2);
        }
        json.field("type", message.isResponse() ? "answer" : "query").field("id", message.id());
        if (message.isResponse())
        {
            flags(message.flags());
        }
        json.field("opcode", message.opcode());
        if (message.questionCount() > 0)
        {
            json.field("rrname", message.names(), message.queryNameOffset(0), message.queryNameLength(0))
                .field("rrtype", DnsTypes.name(message.queryType(0)));
        }
        if (message.isResponse())
        {
            json.field("rcode", rcode(message.rcode()));
            if (message.answerCount() > 0)
            {
                json.openArray("answers");
                for (int a = 0; a < message.answerCount(); a++)
                {
                    json.open(null)
                        .field("rrname", message.names(), message.answerNameOffset(a), message.answerNameLength(a))
                        .field("rrtype", DnsTypes.name(message.answerType(a)))
                        .field("ttl", message.answerTtl(a));
                    if (message.rdataLength(a) > 0)
                    {
                        json.field("rdata", message.names(), message.rdataOffset(a), message.rdataLength(a));
                    }
                    json.close();
                }
                json.closeArray();
            }
        }
        json.close();
        sink.write(json.end());
    }

    /**
     * A DLP finding: the profile, detector, counts and action, and the masked sample the finding carries
     * (never the matched value in clear), with the request's {@code http} object.
     */
    void dlp(final CurrentPacket cur, final PacketFacts facts, final boolean toServer, final AppRecords.Http tx,
        final DlpFinding finding, final boolean blocked)
    {
        head("dlp", cur, facts, toServer);
        json.field("app_proto", "http");
        tx.writeObject(json);
        json.open("dlp")
            .field("profile", finding.profile())
            .field("detector", finding.detector())
            .field("count", finding.count())
            .field("flow_count", finding.flowCount())
            .field("action", blocked ? "blocked" : "allowed")
            .field("sample", finding.maskedSample())
            .close();
        sink.write(json.end());
    }

    /**
     * A request the DLP scanner did not see whole: {@code dlp.unscanned} says why ({@code body_limit},
     * {@code decompression_limit}, {@code gap}, {@code content_coding}, {@code header_limit}, {@code unparsed},
     * {@code content_length}), {@code dlp.action} what {@code profile}'s {@code unscanned_body} made of it;
     * {@code tx} is null for a request never parsed.
     */
    void dlpUnscanned(final CurrentPacket cur, final PacketFacts facts, final boolean toServer,
        final AppRecords.Http tx, final String profile, final String why, final boolean blocked)
    {
        head("dlp", cur, facts, toServer);
        json.field("app_proto", "http");
        if (null != tx)
        {
            tx.writeObject(json);
        }
        json.open("dlp")
            .field("profile", profile)
            .field("unscanned", why)
            .field("action", blocked ? "blocked" : "allowed")
            .close();
        sink.write(json.end());
    }

    /** A response's header flags as Suricata's version 2 writes them: hex, then each bit that is set. */
    private void flags(final int flags)
    {
        // As Integer.toHexString has it, without a string made per message.
        int digits = 1;
        while (digits < 4 && flags >>> 4 * digits != 0)
        {
            digits++;
        }
        for (int d = 0; d < digits; d++)
        {
            flagsHex[d] = (byte)Character.forDigit(flags >>> 4 * (digits - 1 - d) & 0xF, 16);
        }
        json.field("flags", flagsHex, 0, digits).field("qr", true);
        if ((flags & 0x0400) != 0)
        {
            json.field("aa", true);
        }
        if ((flags & 0x0200) != 0)
        {
            json.field("tc", true);
        }
        if ((flags & 0x0100) != 0)
        {
            json.field("rd", true);
        }
        if ((flags & 0x0080) != 0)
        {
            json.field("ra", true);
        }
        if ((flags & 0x0040) != 0)
        {
            json.field("z", true);
        }
    }

    private static String rcode(final int rcode)
    {
        return switch (rcode)
        {
            case 0 -> "NOERROR";
            case 1 -> "FORMERR";
            case 2 -> "SERVFAIL";
            case 3 -> "NXDOMAIN";
            case 4 -> "NOTIMP";
            case 5 -> "REFUSED";
            default -> Integer.toString(rcode);
        };
    }
}
