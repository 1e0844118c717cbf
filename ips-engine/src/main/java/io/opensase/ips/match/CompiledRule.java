package io.opensase.ips.match;

import io.opensase.ips.dataset.Dataset;
import io.opensase.ips.dataset.DatasetException;
import io.opensase.ips.dataset.Datasets;
import io.opensase.ips.rules.Action;
import io.opensase.ips.rules.Base64Decode;
import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.BufferInspection;
import io.opensase.ips.rules.BufferMatch;
import io.opensase.ips.rules.BufferSize;
import io.opensase.ips.rules.ByteExtract;
import io.opensase.ips.rules.ByteJump;
import io.opensase.ips.rules.ByteTest;
import io.opensase.ips.rules.Condition;
import io.opensase.ips.rules.ContentMatch;
import io.opensase.ips.rules.DatasetMatch;
import io.opensase.ips.rules.DetectionFilter;
import io.opensase.ips.rules.IntMatch;
import io.opensase.ips.rules.IsDataAt;
import io.opensase.ips.rules.NumberFormat;
import io.opensase.ips.rules.Operand;
import io.opensase.ips.rules.PcreMatch;
import io.opensase.ips.rules.Rule;
import io.opensase.ips.rules.StateOp;
import io.opensase.ips.rules.Threshold;
import io.opensase.ips.rules.pcre.PcrePrefix;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A rule the matcher enforces, in the form verification runs: immutable once compiled (its fields are set
 * only while compiling), shared by all workers. Built only for rules whose every keyword is enforced
 * ({@link io.opensase.ips.rules.Keyword#enforcedBy()}). Numbers that come from {@code byte_extract} are read
 * at match time from the worker's variables by slot. The {@code base64_data} inspection is not one of
 * {@link #inspections}: it hangs off the {@code base64_decode} step, which inspects what it decoded, as
 * Suricata does.
 */
final class CompiledRule
{
    final Rule rule;
    final int index;
    /** The {@link FlowFacts} its {@code flow:} needs. */
    final int flowNeeds;
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
        static final int BYTE_TEST = 4;
        static final int BYTE_JUMP = 5;
        static final int BYTE_EXTRACT = 6;
        static final int BASE64_DECODE = 7;
        static final int DATASET = 8;

        /** Number bases of the byte keywords: binary, or text with the base from its prefix (strtoull's 0). */
        static final int BINARY = -1;
        static final int AUTO = 0;

        /** {@code byte_jump} starting points. */
        static final int FROM_CURRENT = 0;
        static final int FROM_BEGINNING = 1;
        static final int FROM_END = 2;

        final int kind;
        final boolean negated;
        /**
         * Content: distance or within given. Pcre: {@code /R}. Isdataat, byte keywords, base64_decode:
         * {@code relative}.
         */
        final boolean relative;
        /**
         * Content and pcre: a later relative keyword of the inspection is anchored here, so when the rest
         * fails the next occurrence is tried (Suricata's {@code *_RELATIVE_NEXT}); otherwise the first
         * occurrence is final.
         */
        boolean retry;

        /**
         * On an inspection's first keyword: how many leading contents form a forward chain
         * ({@link #forwardChain}), which {@link Inspector} may prove unable to hold before walking it; else 0.
         */
        int chain;

        /** Content: the pattern, ASCII-folded when {@link #nocase}; pcre: its literal prefix (see {@link #regex}). */
        byte[] pattern;
        boolean nocase;
        boolean hasDistance;
        int distance;
        boolean hasWithin;
        int within;
        /** Content: start of the search window (absolute contents). */
        int offset;
        /** Content: absolute end of the search window ({@code offset + depth}), 0 for none. */
        int depth;
        boolean endsWith;
        /** Content: no position modifier and nothing relative to it (Suricata's {@code IS_SINGLE}). */
        boolean single;
        /**
         * Content: slots of the {@code byte_extract} variables giving offset, depth, distance, within, or -1
         * for a constant. With a variable offset or depth, {@link #depthLength} is the constant depth
         * (counted from the offset) and {@link #hasDepth} says whether one was given.
         */
        int offsetSlot = -1;
        int depthSlot = -1;
        int distanceSlot = -1;
        int withinSlot = -1;
        boolean hasDepth;
        int depthLength;

        /**
         * Pcre: the translated expression and the worker's matcher slot; for one neither relative nor negated,
         * in {@link #pattern} and {@link #nocase} the literal its matches start with, or null ({@link PcrePrefix}).
         */
        Pattern regex;
        int slot = -1;

        /** Isdataat: the position, or the variable in {@link #dataAtSlot}. */
        long dataAt;
        int dataAtSlot = -1;

        /** Bsize / urilen. */
        IntMatch size;

        /** Byte keywords: bytes read (0: to the end of the buffer, text only). */
        int bytes;
        /** Byte keywords: where they read, from the buffer start or the position; or the variable. */
        int numberOffset;
        int numberOffsetSlot = -1;
        /** Byte keywords: {@link #BINARY}, or the text base (8, 10, 16, or {@link #AUTO}). */
        int base;
        boolean bigEndian;
        /** Byte_test, byte_jump: the mask (0 for none) and its trailing zero bits. */
        long bitmask;
        int bitmaskShift;
        /** Byte_test: the operator, and the value compared with (or its variable). */
        ByteTest.Operator operator;
        long value;
        int valueSlot = -1;
        /** Byte_jump, byte_extract. */
        long multiplier = 1;
        /** Byte_jump: rounds up to 4 when 4; byte_extract: to 2 or 4; 0 none. */
        int align;
        /** Byte_jump. */
        int from;
        long postOffset;
        /** Byte_extract: the variable written. */
        int variable = -1;

        /** Base64_decode: bytes decoded at most, start offset, and the base64_data keywords. */
        int decodeBytes;
        int decodeOffset;
        Step[] decoded;

        /** Dataset. */
        DatasetMatch.Command command;
        Dataset dataset;

        private Step(final int kind, final boolean negated, final boolean relative)
        {
            this.kind = kind;
            this.negated = negated;
            this.relative = relative;
        }

        static Step content(final ContentMatch c)
        {
            final Step step = new Step(CONTENT, c.negated(), c.relative());
            final byte[] pattern = c.pattern();
            if (c.nocase())
            {
                for (int i = 0; i < pattern.length; i++)
                {
                    pattern[i] = (byte)AhoCorasick.fold(pattern[i] & 0xFF);
                }
            }
            step.pattern = pattern;
            step.nocase = c.nocase();
            if (c.startsWith())
            {
                step.depth = pattern.length;
            }
            else
            {
                step.offset = constant(c.offset());
                step.offsetSlot = slot(c.offset());
                step.hasDepth = null != c.depth();
                step.depthLength = constant(c.depth());
                step.depthSlot = slot(c.depth());
                step.depth = step.hasDepth ? step.offset + step.depthLength : 0;
            }
            step.hasDistance = null != c.distance();
            step.distance = constant(c.distance());
            step.distanceSlot = slot(c.distance());
            step.hasWithin = null != c.within();
            step.within = constant(c.within());
            step.withinSlot = slot(c.within());
            step.endsWith = c.endsWith();
            step.single = !c.relative() && 0 == step.offset && 0 == step.depth && step.offsetSlot < 0
                && step.depthSlot < 0;
            return step;
        }

        static Step pcre(final PcreMatch p, final int slot)
        {
            final Step step = new Step(PCRE, p.negated(), p.relative());
            step.regex = p.compile();
            step.slot = slot;
            if (!p.relative() && !p.negated())
            {
                step.pattern = PcrePrefix.of(p.source(), p.modifiers());
                step.nocase = null != step.pattern && p.modifiers().indexOf('i') >= 0;
            }
            return step;
        }

        static Step isDataAt(final IsDataAt i)
        {
            final Step step = new Step(ISDATAAT, i.negated(), i.relative());
            step.dataAt = constant(i.offset());
            step.dataAtSlot = slot(i.offset());
            return step;
        }

        static Step bufferSize(final BufferSize b)
        {
            final Step step = new Step(BSIZE, false, false);
            step.size = b.size();
            return step;
        }

        static Step byteTest(final ByteTest t)
        {
            final Step step = new Step(BYTE_TEST, t.negated(), t.relative());
            number(step, t.bytes(), t.offset(), t.format(), t.bitmask());
            step.operator = t.operator();
            step.value = t.value().isVariable() ? 0 : t.value().constant();
            step.valueSlot = slot(t.value());
            return step;
        }

        static Step byteJump(final ByteJump j)
        {
            final Step step = new Step(BYTE_JUMP, false, j.relative());
            number(step, j.bytes(), j.offset(), j.format(), j.bitmask());
            step.multiplier = j.multiplier();
            step.align = j.align() ? 4 : 0;
            step.from = switch (j.from())
            {
                case CURRENT -> FROM_CURRENT;
                case BEGINNING -> FROM_BEGINNING;
                case END -> FROM_END;
            };
            step.postOffset = j.postOffset();
            return step;
        }

        static Step byteExtract(final ByteExtract e)
        {
            final Step step = new Step(BYTE_EXTRACT, false, e.relative());
            number(step, e.bytes(), Operand.of(e.offset()), e.format(), 0);
            step.multiplier = e.multiplier();
            step.align = e.align();
            step.variable = e.slot();
            return step;
        }

        static Step base64Decode(final Base64Decode d, final Step[] decoded)
        {
            final Step step = new Step(BASE64_DECODE, false, d.relative());
            // Suricata's default and largest: 65,535 bytes of encoded data.
            step.decodeBytes = 0 == d.bytes() ? Base64Decoder.MAX_ENCODED : (int)d.bytes();
            step.decodeOffset = (int)d.offset();
            step.decoded = decoded;
            return step;
        }

        static Step dataset(final DatasetMatch d, final Dataset set)
        {
            final Step step = new Step(DATASET, false, false);
            step.command = d.command();
            step.dataset = set;
            return step;
        }

        private static void number(
            final Step step,
            final int bytes,
            final Operand offset,
            final NumberFormat format,
            final long bitmask)
        {
            step.bytes = bytes;
            step.numberOffset = constant(offset);
            step.numberOffsetSlot = slot(offset);
            step.bigEndian = format.bigEndian();
            step.base = switch (format.base())
            {
                case BINARY -> BINARY;
                case HEX -> 16;
                case DEC -> 10;
                case OCT -> 8;
                case AUTO -> AUTO;
            };
            step.bitmask = bitmask;
            step.bitmaskShift = 0 == bitmask ? 0 : Long.numberOfTrailingZeros(bitmask);
        }

        /** The constant of an operand (0 when absent or a variable). */
        private static int constant(final Operand operand)
        {
            return null == operand || operand.isVariable() ? 0 : (int)operand.constant();
        }

        /** The variable slot of an operand, -1 when absent or a constant. */
        private static int slot(final Operand operand)
        {
            return null == operand || !operand.isVariable() ? -1 : operand.slot();
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
        this.flowNeeds = FlowFacts.needs(rule);
        this.conditions = rule.conditions().toArray(new Condition[0]);
        this.bitTests = bitTests;
        this.bitUpdates = bitUpdates;
        this.rate = Rate.of(rule.threshold(), rule.detectionFilter());
        this.noalert = rule.noalert();
        this.pass = rule.header().action() == Action.PASS;
        this.inspections = inspections;
    }

    /**
     * @param slots    the next free pcre matcher slot, advanced by the pcres of this rule.
     * @param flowbits bit number of each flowbit name.
     * @param xbits    bit number of each xbit name.
     * @param datasets where the sets its {@code dataset} keywords name are opened.
     * @throws IllegalArgumentException for a keyword the matcher does not enforce.
     * @throws DatasetException         when a set cannot be opened.
     */
    static CompiledRule compile(
        final Rule rule,
        final int index,
        final int[] slots,
        final Map<String, Integer> flowbits,
        final Map<String, Integer> xbits,
        final Datasets datasets) throws DatasetException
    {
        // base64_data is inspected inside the base64_decode step, on what it decoded.
        Step[] decoded = null;
        for (final BufferInspection inspection : rule.inspections())
        {
            if (inspection.buffer() == Buffer.BASE64_DATA)
            {
                decoded = steps(inspection, null, slots, datasets);
            }
        }
        final List<Inspection> list = new ArrayList<>();
        for (final BufferInspection inspection : rule.inspections())
        {
            if (inspection.buffer() != Buffer.BASE64_DATA)
            {
                list.add(new Inspection(inspection.buffer(), steps(inspection, decoded, slots, datasets)));
            }
        }
        final Inspection[] inspections = list.toArray(new Inspection[0]);
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

    private static Step[] steps(
        final BufferInspection inspection,
        final Step[] decoded,
        final int[] slots,
        final Datasets datasets) throws DatasetException
    {
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
                case ByteTest t -> Step.byteTest(t);
                case ByteJump j -> Step.byteJump(j);
                case ByteExtract e -> Step.byteExtract(e);
                case Base64Decode d -> Step.base64Decode(d, decoded);
                case DatasetMatch d -> Step.dataset(d, datasets.open(d));
            };
        }
        markRetries(steps);
        if (steps.length > 0)
        {
            steps[0].chain = forwardChain(steps);
        }
        return steps;
    }

    /**
     * The length of the inspection's forward chain, or 0 for none: at least two leading contents, not negated and
     * without endswith, the first absolute with a constant window, the others relative by a constant distance
     * and without within; the last of them searched again when the rest fails ({@link Step#retry}); and no
     * {@code dataset} or {@code base64_decode} after them. Each content of such a chain only ever moves on
     * to a later occurrence, and so do the positions it hands on; what follows the chain depends only on where
     * the chain's last content ends. So the rest must hold after some occurrence of that last content found
     * from the chain's earliest end, or nowhere: a walk through every combination of occurrences (up to
     * Suricata's recursion limit) can find no other (ET Open's Spectre rule 2025185: "<script", "<", ".length",
     * then relative pcres, over a JavaScript body).
     */
    static int forwardChain(final Step[] steps)
    {
        int length = 0;
        while (length < steps.length && isChainLink(steps[length], 0 == length))
        {
            length++;
        }
        if (length < 2 || length == steps.length || !steps[length - 1].retry)
        {
            return 0;
        }
        for (int k = length; k < steps.length; k++)
        {
            if (steps[k].kind == Step.DATASET || steps[k].kind == Step.BASE64_DECODE)
            {
                return 0;
            }
        }
        return length;
    }

    private static boolean isChainLink(final Step s, final boolean first)
    {
        if (s.kind != Step.CONTENT || s.negated || s.endsWith)
        {
            return false;
        }
        if (first)
        {
            return !s.relative && s.offsetSlot < 0 && s.depthSlot < 0;
        }
        return s.relative && s.hasDistance && !s.hasWithin && s.distanceSlot < 0 && s.withinSlot < 0;
    }

    /**
     * Suricata marks the last content or pcre before each relative keyword: that one is searched again for
     * its next occurrence when what follows fails.
     */
    private static void markRetries(final Step[] steps)
    {
        for (int j = 0; j < steps.length; j++)
        {
            // base64_decode does not anchor a retry in Suricata; bsize and dataset are never relative.
            if (steps[j].relative && steps[j].kind != Step.BASE64_DECODE)
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
