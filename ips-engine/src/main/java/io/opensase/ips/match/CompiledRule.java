package io.opensase.ips.match;

import io.opensase.ips.rules.Action;
import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.BufferInspection;
import io.opensase.ips.rules.BufferMatch;
import io.opensase.ips.rules.BufferSize;
import io.opensase.ips.rules.Condition;
import io.opensase.ips.rules.ContentMatch;
import io.opensase.ips.rules.DetectionFilter;
import io.opensase.ips.rules.FlowCondition;
import io.opensase.ips.rules.IntMatch;
import io.opensase.ips.rules.IsDataAt;
import io.opensase.ips.rules.Operand;
import io.opensase.ips.rules.PcreMatch;
import io.opensase.ips.rules.Rule;
import io.opensase.ips.rules.StateOp;
import io.opensase.ips.rules.Threshold;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A rule the matcher enforces, in the form verification runs: immutable, shared by all workers. Built only
 * for rules whose every keyword is enforced ({@link io.opensase.ips.rules.Keyword#enforcedBy()}).
 */
final class CompiledRule
{
    final Rule rule;
    final int index;
    final FlowCondition flow;
    /** Packet, flow and application keywords, tested by {@link Conditions}. */
    final Condition[] conditions;
    final Inspection[] inspections;
    /** {@code flowbits}/{@code xbits} tests, checked after verification in {@link PostMatch}. */
    final BitOp[] bitTests;
    /** {@code flowbits}/{@code xbits} updates, applied when the whole rule matched. */
    final BitOp[] bitUpdates;
    /** {@code threshold} or {@code detection_filter}, or null. */
    final Rate rate;
    final boolean noalert;
    final boolean pass;

    /** One {@code flowbits} or {@code xbits} operation with its names turned into bit numbers. */
    static final class BitOp
    {
        static final int FLOW = 0;
        /** A bit of the source host ({@code xbits ... track ip_src}). */
        static final int HOST_SRC = 1;
        static final int HOST_DST = 2;
        /** A bit of the address pair, either way round. */
        static final int PAIR = 3;

        final StateOp.Command command;
        final int scope;
        /** One bit, or for {@code isset}/{@code isnotset} with {@code a|b} several, any of which decides. */
        final int[] bits;
        /** {@code xbits} set: the bit lives this long. */
        final long expireMs;

        BitOp(final StateOp.Command command, final int scope, final int[] bits, final long expireMs)
        {
            this.command = command;
            this.scope = scope;
            this.bits = bits;
            this.expireMs = expireMs;
        }
    }

    /** {@code threshold} or {@code detection_filter}: what to count per what, and how a count decides. */
    static final class Rate
    {
        static final int LIMIT = 0;
        static final int THRESHOLD = 1;
        static final int BOTH = 2;
        static final int DETECTION_FILTER = 3;

        final int type;
        final Threshold.Track track;
        final long count;
        final long windowMs;

        Rate(final int type, final Threshold.Track track, final long count, final long seconds)
        {
            this.type = type;
            this.track = track;
            this.count = count;
            this.windowMs = seconds * 1000;
        }

        static Rate of(final Threshold t, final DetectionFilter d)
        {
            if (null != t)
            {
                return new Rate(switch (t.type())
                {
                    case LIMIT -> LIMIT;
                    case THRESHOLD -> THRESHOLD;
                    case BOTH -> BOTH;
                }, t.track(), t.count(), t.seconds());
            }
            return null == d ? null : new Rate(DETECTION_FILTER, d.track(), d.count(), d.seconds());
        }
    }

    /** The keywords of one buffer inspection, in rule order. */
    static final class Inspection
    {
        final Buffer buffer;
        final Step[] steps;

        Inspection(final Buffer buffer, final Step[] steps)
        {
            this.buffer = buffer;
            this.steps = steps;
        }
    }

    /** One keyword of an inspection; {@link #kind} says which fields mean something. */
    static final class Step
    {
        static final int CONTENT = 0;
        static final int PCRE = 1;
        static final int ISDATAAT = 2;
        static final int BSIZE = 3;

        final int kind;
        final boolean negated;
        /** Content: distance or within given. Pcre: {@code /R}. Isdataat: {@code relative}. */
        final boolean relative;
        /**
         * Content and pcre: a later relative keyword of the inspection is anchored here, so when the rest
         * fails the next occurrence is tried (Suricata's {@code *_RELATIVE_NEXT}); otherwise the first
         * occurrence is final.
         */
        boolean retry;

        /** Content: the pattern, ASCII-folded when {@link #nocase}. */
        final byte[] pattern;
        final boolean nocase;
        final boolean hasDistance;
        final int distance;
        final boolean hasWithin;
        final int within;
        /** Content: start of the search window (absolute contents). */
        final int offset;
        /** Content: absolute end of the search window ({@code offset + depth}), 0 for none. */
        final int depth;
        final boolean endsWith;
        /** Content: no position modifier and nothing relative to it (Suricata's {@code IS_SINGLE}). */
        boolean single;

        /** Pcre: the translated expression and the worker's matcher slot. */
        final Pattern regex;
        final int slot;

        /** Isdataat: the position. */
        final long dataAt;

        /** Bsize / urilen. */
        final IntMatch size;

        private Step(
            final int kind,
            final boolean negated,
            final boolean relative,
            final byte[] pattern,
            final boolean nocase,
            final boolean hasDistance,
            final int distance,
            final boolean hasWithin,
            final int within,
            final int offset,
            final int depth,
            final boolean endsWith,
            final Pattern regex,
            final int slot,
            final long dataAt,
            final IntMatch size)
        {
            this.kind = kind;
            this.negated = negated;
            this.relative = relative;
            this.pattern = pattern;
            this.nocase = nocase;
            this.hasDistance = hasDistance;
            this.distance = distance;
            this.hasWithin = hasWithin;
            this.within = within;
            this.offset = offset;
            this.depth = depth;
            this.endsWith = endsWith;
            this.regex = regex;
            this.slot = slot;
            this.dataAt = dataAt;
            this.size = size;
        }

        static Step content(final ContentMatch c)
        {
            final byte[] pattern = c.pattern();
            if (c.nocase())
            {
                for (int i = 0; i < pattern.length; i++)
                {
                    pattern[i] = (byte)AhoCorasick.fold(pattern[i] & 0xFF);
                }
            }
            int offset = 0;
            int depth = 0;
            if (c.startsWith())
            {
                depth = pattern.length;
            }
            else
            {
                offset = null == c.offset() ? 0 : constant(c.offset());
                depth = null == c.depth() ? 0 : offset + constant(c.depth());
            }
            final Step step = new Step(CONTENT, c.negated(), c.relative(), pattern, c.nocase(),
                null != c.distance(), null == c.distance() ? 0 : constant(c.distance()),
                null != c.within(), null == c.within() ? 0 : constant(c.within()),
                offset, depth, c.endsWith(), null, -1, 0, null);
            step.single = !c.relative() && 0 == offset && 0 == depth;
            return step;
        }

        static Step pcre(final PcreMatch p, final int slot)
        {
            return new Step(PCRE, p.negated(), p.relative(), null, false, false, 0, false, 0, 0, 0, false, p.compile(),
                slot, 0, null);
        }

        static Step isDataAt(final IsDataAt i)
        {
            return new Step(ISDATAAT, i.negated(), i.relative(), null, false, false, 0, false, 0, 0, 0, false, null, -1,
                constant(i.offset()), null);
        }

        static Step bufferSize(final BufferSize b)
        {
            return new Step(BSIZE, false, false, null, false, false, 0, false, 0, 0, 0, false, null, -1, 0, b.size());
        }

        private static int constant(final Operand operand)
        {
            if (operand.isVariable())
            {
                throw new IllegalArgumentException("byte_extract variable " + operand.variable() + " is not enforced");
            }
            return (int)operand.constant();
        }
    }

    private CompiledRule(
        final Rule rule,
        final int index,
        final Inspection[] inspections,
        final BitOp[] bitTests,
        final BitOp[] bitUpdates)
    {
        this.rule = rule;
        this.index = index;
        this.flow = rule.flow();
        this.conditions = rule.conditions().toArray(new Condition[0]);
        this.bitTests = bitTests;
        this.bitUpdates = bitUpdates;
        this.rate = Rate.of(rule.threshold(), rule.detectionFilter());
        this.noalert = rule.noalert();
        this.pass = rule.header().action() == Action.PASS;
        this.inspections = inspections;
    }

    /**
     * @param slots     the next free pcre matcher slot, advanced by the pcres of this rule.
     * @param flowbits  bit number of each flowbit name.
     * @param xbits     bit number of each xbit name.
     * @throws IllegalArgumentException for a keyword the matcher does not enforce.
     */
    static CompiledRule compile(
        final Rule rule,
        final int index,
        final int[] slots,
        final Map<String, Integer> flowbits,
        final Map<String, Integer> xbits)
    {
        final List<BufferInspection> list = rule.inspections();
        final Inspection[] inspections = new Inspection[list.size()];
        for (int i = 0; i < inspections.length; i++)
        {
            final BufferInspection inspection = list.get(i);
            final List<BufferMatch> matches = inspection.matches();
            final Step[] steps = new Step[matches.size()];
            for (int m = 0; m < steps.length; m++)
            {
                steps[m] = switch (matches.get(m))
                {
                    case ContentMatch c -> Step.content(c);
                    case PcreMatch p -> Step.pcre(p, slots[0]++);
                    case IsDataAt d -> Step.isDataAt(d);
                    case BufferSize b -> Step.bufferSize(b);
                    default -> throw new IllegalArgumentException(matches.get(m) + " is not enforced");
                };
            }
            markRetries(steps);
            inspections[i] = new Inspection(inspection.buffer(), steps);
        }
        final List<BitOp> tests = new ArrayList<>();
        final List<BitOp> updates = new ArrayList<>();
        for (final StateOp op : rule.stateOps())
        {
            final BitOp bitOp = switch (op)
            {
                case StateOp.Flowbit f -> new BitOp(f.command(), BitOp.FLOW,
                    f.names().stream().mapToInt(flowbits::get).toArray(), 0);
                case StateOp.Xbit x -> new BitOp(x.command(), switch (x.track())
                {
                    case IP_SRC -> BitOp.HOST_SRC;
                    case IP_DST -> BitOp.HOST_DST;
                    case IP_PAIR -> BitOp.PAIR;
                }, new int[] {xbits.get(x.name())}, x.expireSeconds() * 1000);
            };
            (op.command().isTest() ? tests : updates).add(bitOp);
        }
        return new CompiledRule(rule, index, inspections, tests.toArray(new BitOp[0]), updates.toArray(new BitOp[0]));
    }

    /**
     * Suricata marks the last content or pcre before each relative keyword: that one is searched again for
     * its next occurrence when what follows fails.
     */
    private static void markRetries(final Step[] steps)
    {
        for (int j = 0; j < steps.length; j++)
        {
            if (steps[j].relative && steps[j].kind != Step.BSIZE)
            {
                for (int i = j - 1; i >= 0; i--)
                {
                    if (steps[i].kind == Step.CONTENT || steps[i].kind == Step.PCRE)
                    {
                        steps[i].retry = true;
                        steps[i].single = false;
                        break;
                    }
                }
            }
        }
    }

    long sid()
    {
        return rule.sid();
    }
}
