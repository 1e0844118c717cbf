package io.opensase.core.ips;

import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.core.events.EveIds;
import io.opensase.core.events.EveRecord;
import io.opensase.ips.rules.Rule;

import java.lang.foreign.MemorySegment;

/**
 * Builds EVE {@code alert} lines with Suricata's field names: the packet's endpoints, VLANs and tunnel, the
 * rule, the application protocol, the packet's direction in its flow ({@code to_server} from the side that
 * opened it, {@code to_client} back; left out for a packet without a flow), the flow's tenant, and the payload
 * and packet in base64 ({@code payload_printable} as text); and the {@code packet} lines of tagged packets.
 */
final class AlertWriter
{
    private final EveRecord json;
    private final IpsEventSink sink;
    private final FlowTable table;
    private final int worker;
    private final int linkType;

    AlertWriter(final IpsEventSink sink, final FlowTable table, final int worker, final int linkType)
    {
        this.sink = sink;
        this.json = sink.newRecord();
        this.table = table;
        this.worker = worker;
        this.linkType = linkType;
    }

    /**
     * @param appProto   the flow's application in EVE's spelling, or null.
     * @param payload    holds what the rule matched in (the packet's payload or the stream's bytes) at
     *                   {@code payloadAt}, {@code payloadLength} bytes; copied, so no slice is made for it.
     * @param fromStream true when the payload is reassembled stream data.
     */
    void write(final CurrentPacket cur, final PacketFacts facts, final Rule rule, final String category,
        final boolean blocked, final String appProto, final MemorySegment payload, final long payloadAt,
        final int payloadLength, final boolean fromStream, final AppFields app)
    {
        json.begin().time("timestamp", cur.timeNs);
        if (cur.slot >= 0)
        {
            json.field("flow_id", EveIds.flowId(worker, cur.slot, table.createdNs(cur.slot)));
        }
        json.field("event_type", "alert");
        tenant(cur);
        PacketFields.write(json, facts);
        json.field("pkt_src", cur.pseudo ? "stream (flow timeout)" : cur.rebuilt ? "defrag" : "wire/pcap");
        PacketFields.tunnel(json, facts);
        json.open("alert")
            .field("action", blocked ? "blocked" : "allowed")
            .field("gid", rule.gid())
            .field("signature_id", rule.sid())
            .field("rev", rule.meta().rev())
            .field("signature", null == rule.meta().msg() ? "" : rule.meta().msg())
            .field("category", category)
            .field("severity", rule.meta().priority())
            .close();
        if (null != appProto)
        {
            json.field("app_proto", appProto);
        }
        if (cur.slot >= 0)
        {
            // As Suricata 7: the way the alert's packet goes, relative to the side that opened its flow.
            json.field("direction", cur.toServer ? "to_server" : "to_client");
        }
        if (null != app)
        {
            app.write(json);
        }
        if (payloadLength > 0)
        {
            json.base64("payload", payload, payloadAt, payloadLength)
                .printable("payload_printable", payload, payloadAt, payloadLength);
        }
        json.field("stream", fromStream ? 1 : 0);
        // A pseudo packet starts at its IP header, yet Suricata labels it with the capture's link type as well.
        json.base64("packet", PacketMemory.ALL, cur.address, cur.length).open("packet_info")
            .field("linktype", linkType).close();
        sink.write(json.end());
    }

    /**
     * A packet a session or host tag follows, as Suricata's alert logger writes one with
     * {@code tagged-packets: yes}: an EVE {@code packet} line with the header fields of any line about a packet
     * (its flow, left out without one; its endpoints the way it goes; its source) and the packet in base64 with
     * its link type; no tunnel, direction or application fields.
     */
    void writeTagged(final CurrentPacket cur, final PacketFacts facts)
    {
        json.begin().time("timestamp", cur.timeNs);
        if (cur.slot >= 0)
        {
            json.field("flow_id", EveIds.flowId(worker, cur.slot, table.createdNs(cur.slot)));
        }
        json.field("event_type", "packet");
        tenant(cur);
        PacketFields.write(json, facts);
        json.field("pkt_src", cur.rebuilt ? "defrag" : "wire/pcap")
            .base64("packet", PacketMemory.ALL, cur.address, cur.length).open("packet_info")
            .field("linktype", linkType).close();
        sink.write(json.end());
    }

    /** The tenant the firewall gave the packet's flow, named as its flow record names it (none: left out). */
    private void tenant(final CurrentPacket cur)
    {
        final int tenant = cur.slot < 0 ? 0 : table.tenantOf(cur.slot);
        if (0 != tenant)
        {
            json.tenant("tenant_id", tenant);
        }
    }

    /** Application fields an alert carries: the {@code http}, {@code tls} or {@code dns} object of its flow. */
    interface AppFields
    {
        void write(EveRecord json);
    }
}
