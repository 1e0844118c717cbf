package io.opensase.core.pipeline;

import io.opensase.core.packet.DropReason;
import io.opensase.core.packet.PacketBurst;

/**
 * Drops malformed packets when the policy says {@code malformed: drop}. Without the stage they are
 * forwarded unchanged, as a bump in the wire forwards everything.
 */
public final class MalformedPolicyStage implements Stage
{
    @Override
    public void process(final PacketBurst burst)
    {
        for (int i = 0; i < burst.size(); i++)
        {
            if (burst.parsed().isMalformed(i))
            {
                burst.drop(i, DropReason.MALFORMED);
            }
        }
    }
}
