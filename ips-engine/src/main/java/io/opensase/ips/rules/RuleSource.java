package io.opensase.ips.rules;

import java.nio.file.Path;

/**
 * Where a rule was read: its file (null for a rule given as text) and the line it starts on (1-based; a
 * rule continued over several lines with a trailing backslash is named by its first line).
 */
public record RuleSource(Path file, int line)
{
    /** A rule given as text, not read from a file. */
    public static final RuleSource TEXT = new RuleSource(null, 1);

    @Override
    public String toString()
    {
        return (null == file ? "<text>" : file.getFileName().toString()) + ":" + line;
    }
}
