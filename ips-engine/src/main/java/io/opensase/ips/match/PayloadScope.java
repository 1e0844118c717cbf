package io.opensase.ips.match;

import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.HeaderInt;
import io.opensase.ips.rules.Protocol;
import io.opensase.ips.rules.Rule;

/**
 * Whether a rule's payload keywords look at a TCP flow's reassembled stream or at each packet's own payload.
 * As in Suricata, a rule inspecting the payload does so on the stream when the flow has one, unless it is a
 * {@code tcp-pkt} rule or tests {@code dsize} (the size of one packet's payload): those stay packet rules.
 */
public final class PayloadScope
{
    private PayloadScope()
    {
    }

    /** True when {@code rule} inspects the payload on a TCP flow's stream rather than on its packets. */
    public static boolean inspectsStream(final Rule rule)
    {
        final boolean dsize = rule.conditions().stream().anyMatch(c -> c instanceof HeaderInt h
            && h.field() == HeaderInt.Field.PAYLOAD_SIZE);
        return rule.header().protocol() != Protocol.TCP_PKT && !dsize
            && !rule.inspections(Buffer.PAYLOAD).isEmpty();
    }
}
