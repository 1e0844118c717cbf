package io.opensase.core.pipeline;

import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.classifiers.parse.ParsedPackets;
import io.opensase.core.packet.PacketBurst;

/**
 * Parses every packet of the burst and counts protocols, malformed packets by reason and snap-truncated
 * packets.
 */
public final class ParseStage implements Stage
{
    private final PacketParser parser;
    private final LinkType linkType;
    private final WorkerCounters counters;

    public ParseStage(final PacketParser parser, final LinkType linkType, final WorkerCounters counters)
    {
        this.parser = parser;
        this.linkType = linkType;
        this.counters = counters;
    }

    @Override
    public void process(final PacketBurst burst)
    {
        final ParsedPackets parsed = burst.parsed();
        for (int i = 0; i < burst.size(); i++)
        {
            parser.parse(PacketMemory.ALL, burst.data(i), burst.length(i), burst.wireLength(i), linkType, parsed, i);
            counters.addProtocols(parsed.protocols(i));
            if (parsed.isMalformed(i))
            {
                counters.addMalformed(parsed.malformed(i).ordinal());
            }
            if (parsed.isSnapTruncated(i))
            {
                counters.add(WorkerCounters.SNAP_TRUNCATED, 1);
            }
        }
    }
}
