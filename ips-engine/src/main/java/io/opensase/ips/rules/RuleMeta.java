package io.opensase.ips.rules;

import java.util.List;

/**
 * What a rule says about itself, copied into its alerts.
 *
 * @param msg       null when not given.
 * @param classtype null when not given.
 * @param priority  from {@code priority}, else the class's, else 3.
 * @param target    null when not given.
 */
public record RuleMeta(
    long gid,
    long sid,
    long rev,
    String msg,
    String classtype,
    int priority,
    List<Reference> references,
    List<Metadata> metadata,
    Target target)
{
    public RuleMeta
    {
        references = List.copyOf(references);
        metadata = List.copyOf(metadata);
    }

    /** {@code reference:type,id}. */
    public record Reference(String type, String id)
    {
    }

    /** One {@code key value} pair of {@code metadata}. */
    public record Metadata(String key, String value)
    {
    }

    /** {@code target:src_ip|dest_ip}. */
    public enum Target
    {
        SRC_IP,
        DEST_IP
    }
}
