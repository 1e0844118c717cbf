package io.opensase.ips.rules;

import java.util.List;

/**
 * One loaded rule: immutable, every option resolved into a typed value. A rule matches a packet when the
 * header, {@link #flow()}, every {@link #conditions() condition}, every {@link #inspections() inspection}
 * and every test among the {@link #stateOps() state operations} hold; then its state updates run, and
 * {@link #threshold()} and {@link #detectionFilter()} decide whether it alerts (never with
 * {@link #noalert()}).
 *
 * @param appProtocol     the application protocol of the header or of the buffers used.
 * @param threshold       null when not given.
 * @param detectionFilter null when not given.
 * @param variables       the {@code byte_extract} variable names, by slot.
 * @param text            the rule as read (continuation lines joined).
 */
public record Rule(
    RuleHeader header,
    RuleMeta meta,
    boolean noalert,
    List<Tag> tags,
    AppProtocol appProtocol,
    FlowCondition flow,
    List<Condition> conditions,
    List<BufferInspection> inspections,
    List<StateOp> stateOps,
    Threshold threshold,
    DetectionFilter detectionFilter,
    List<String> variables,
    String text,
    RuleSource origin)
{
    public Rule
    {
        tags = List.copyOf(tags);
        conditions = List.copyOf(conditions);
        inspections = List.copyOf(inspections);
        stateOps = List.copyOf(stateOps);
        variables = List.copyOf(variables);
    }

    public long sid()
    {
        return meta.sid();
    }

    public long gid()
    {
        return meta.gid();
    }

    /** The inspections of {@code buffer}, in rule order (several only for multi-buffers). */
    public List<BufferInspection> inspections(final Buffer buffer)
    {
        return inspections.stream().filter(i -> i.buffer() == buffer).toList();
    }
}
