package io.opensase.ips.rules;

import java.nio.file.Path;

/**
 * {@code dataset:cmd,name,type string[,load FILE][,memcap N][,hashsize N]}: tests the whole buffer value
 * against the named string set ({@code isset}, {@code isnotset}) or adds it ({@code set}: holds when the
 * value was new) or removes it ({@code unset}). Sets of the same name are shared by all rules; a
 * {@code load} file (one base64 value per line) is resolved against the rule file's folder.
 *
 * @param load     null when not given.
 * @param memcap   bytes, 0 when not given.
 * @param hashsize 0 when not given.
 */
public record DatasetMatch(Command command, String name, Path load, long memcap, long hashsize)
    implements BufferMatch
{
    /** The operations. */
    public enum Command
    {
        SET,
        UNSET,
        ISSET,
        ISNOTSET
    }

    @Override
    public boolean relative()
    {
        return false;
    }
}
