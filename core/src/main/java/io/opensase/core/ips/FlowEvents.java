package io.opensase.core.ips;

import io.opensase.classifiers.flow.FlowKey;
import io.opensase.classifiers.flow.FlowRemovalListener;
import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.parse.ParsedPackets;
import io.opensase.core.events.EveIds;
import io.opensase.core.events.EveRecord;

/**
 * Writes an EVE {@code flow} line for a flow leaving a table: its endpoints with the client (the sender of its
 * first packet) as source, packets and bytes each way, start, end and age, and why it ended. Used by
 * {@code opensase ips}, whose output must carry flows as Suricata's does; the engine writes its flow records
 * through its event queue instead.
 */
final class FlowEvents
{
    private static final String[] REASONS = {"shutdown", "timeout", "evicted", "released"};

    private final EveRecord json;
    private final long[] key = new long[FlowKey.WORDS];
    private final IpsEventSink sink;
    private final int worker;

    FlowEvents(final IpsEventSink sink, final int worker)
    {
        this.sink = sink;
        this.json = sink.newRecord();
        this.worker = worker;
    }

    /**
     * @param cause     {@link FlowTable#removalCause()}, or 0 for the end of the run.
     * @param appProto  the identified application in EVE's spelling, or null.
     */
    void write(final FlowTable table, final int slot, final boolean clientIsSecond, final boolean alerted,
        final String appProto, final int cause)
    {
        table.copyKey(slot, key, 0);
        final int client = clientIsSecond ? 1 : 0;
        final int server = 1 - client;
        final int ipVersion = FlowKey.isIpv6(key) ? 6 : 4;
        final int protocol = FlowKey.protocolOf(key);
        final long startNs = table.createdNs(slot);
        final long endNs = table.lastSeenNs(slot);
        json.begin().time("timestamp", startNs)
            .field("flow_id", EveIds.flowId(worker, slot, startNs))
            .field("event_type", "flow")
            .tenant("tenant_id", FlowKey.tenantOf(key));
        if (ParsedPackets.NO_VLAN != FlowKey.vlanOuterOf(key))
        {
            json.openArray("vlan").value(FlowKey.vlanOuterOf(key)).closeArray();
        }
        json.address("src_ip", ipVersion, FlowKey.addressOf(key, client, 0),
            FlowKey.addressOf(key, client, 1));
        final boolean ports = 6 == protocol || 17 == protocol || 132 == protocol;
        if (ports)
        {
            json.field("src_port", FlowKey.portOf(key, client));
        }
        json.address("dest_ip", ipVersion, FlowKey.addressOf(key, server, 0),
            FlowKey.addressOf(key, server, 1));
        if (ports)
        {
            json.field("dest_port", FlowKey.portOf(key, server));
        }
        json.protocol("proto", protocol);
        if (null != appProto)
        {
            json.field("app_proto", appProto);
        }
        json.open("flow")
            .field("pkts_toserver", table.packets(slot, client))
            .field("pkts_toclient", table.packets(slot, server))
            .field("bytes_toserver", table.bytes(slot, client))
            .field("bytes_toclient", table.bytes(slot, server))
            .time("start", startNs)
            .time("end", endNs)
            .field("age", (endNs - startNs) / 1_000_000_000L)
            .field("state", table.packets(slot, server) > 0 ? "established" : "new")
            .field("reason", reason(cause))
            .field("alerted", alerted)
            .close();
        sink.write(json.end());
    }

    private static String reason(final int cause)
    {
        return switch (cause)
        {
            case FlowRemovalListener.EXPIRED -> REASONS[1];
            case FlowRemovalListener.EVICTED -> REASONS[2];
            case FlowRemovalListener.RELEASED -> REASONS[3];
            default -> REASONS[0];
        };
    }
}
