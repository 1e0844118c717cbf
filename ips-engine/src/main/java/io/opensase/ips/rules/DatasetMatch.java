package io.opensase.ips.rules;

import java.nio.file.Path;

/**
 * {@code dataset:cmd,name,type T[,load FILE][,state FILE][,memcap N][,hashsize N]}: tests the whole buffer
 * value against the named set ({@code isset}, {@code isnotset}), adds it ({@code set}: holds when the value
 * was new) or removes it ({@code unset}: holds when it was there). Sets of the same name are shared by all
 * rules of a set of rules. A {@code load} file is resolved when the rule is read (see {@link RuleParser});
 * a {@code state} file is a name inside the data directory of the datasets registry, read at start and
 * written back by it.
 *
 * @param load     null when not given.
 * @param state    null when not given; relative, without {@code ..}.
 * @param memcap   bytes, 0 when not given.
 * @param hashsize 0 when not given.
 */
public record DatasetMatch(
    Command command,
    String name,
    Type type,
    Path load,
    String state,
    long memcap,
    long hashsize) implements BufferMatch
{
    /** The operations. */
    public enum Command
    {
        SET,
        UNSET,
        ISSET,
        ISNOTSET
    }

    /**
     * What a set holds, and so how a buffer value and a line of a load or state file are read (Suricata's
     * file formats: string values base64 encoded, md5 and sha256 as hex, addresses as text).
     */
    public enum Type
    {
        /** Any bytes; a file line is the value in base64. */
        STRING("string"),
        /** 16 bytes; a file line is 32 hex digits. */
        MD5("md5"),
        /** 32 bytes; a file line is 64 hex digits. */
        SHA256("sha256"),
        /** 4 bytes; a file line is a dotted IPv4 address. */
        IPV4("ipv4"),
        /** 16 bytes; a file line is an IPv6 or IPv4 address (IPv4 kept IPv4-mapped). {@code ip} and {@code ipv6}. */
        IPV6("ip");

        private final String ruleName;

        Type(final String ruleName)
        {
            this.ruleName = ruleName;
        }

        public String ruleName()
        {
            return ruleName;
        }

        /** The type named {@code name} in a rule, or null. */
        public static Type byName(final String name)
        {
            return switch (name)
            {
                case "string" -> STRING;
                case "md5" -> MD5;
                case "sha256" -> SHA256;
                case "ipv4" -> IPV4;
                case "ip", "ipv6" -> IPV6;
                default -> null;
            };
        }
    }

    @Override
    public boolean relative()
    {
        return false;
    }
}
