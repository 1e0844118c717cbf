package io.opensase.ips.rules;

/** An integer field of the packet compared with an {@link IntMatch}. */
public record HeaderInt(Field field, IntMatch match) implements Condition
{
    /** The fields, with the keyword that tests each and its width. */
    public enum Field
    {
        /** {@code dsize}: the packet's payload size (not the stream's). */
        PAYLOAD_SIZE("dsize", IntMatch.U16),
        TCP_ACK("ack", IntMatch.U32),
        TCP_SEQ("seq", IntMatch.U32),
        TCP_WINDOW("window", IntMatch.U16),
        IP_ID("id", IntMatch.U16),
        /** IPv4 TTL or IPv6 hop limit. */
        IP_TTL("ttl", IntMatch.U8),
        ICMP_TYPE("itype", IntMatch.U8),
        ICMP_CODE("icode", IntMatch.U8);

        private final String keyword;
        private final long max;

        Field(final String keyword, final long max)
        {
            this.keyword = keyword;
            this.max = max;
        }

        public String keyword()
        {
            return keyword;
        }

        public long max()
        {
            return max;
        }
    }
}
