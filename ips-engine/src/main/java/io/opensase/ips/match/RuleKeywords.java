package io.opensase.ips.match;

import io.opensase.ips.rules.AppLayerProtocol;
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
import io.opensase.ips.rules.FlowCondition;
import io.opensase.ips.rules.HeaderInt;
import io.opensase.ips.rules.IpProtocol;
import io.opensase.ips.rules.IsDataAt;
import io.opensase.ips.rules.Keyword;
import io.opensase.ips.rules.PcreMatch;
import io.opensase.ips.rules.Rule;
import io.opensase.ips.rules.SslState;
import io.opensase.ips.rules.SslVersion;
import io.opensase.ips.rules.StateOp;
import io.opensase.ips.rules.StreamSize;
import io.opensase.ips.rules.TcpFlags;
import io.opensase.ips.rules.TlsVersion;
import io.opensase.ips.rules.VlanId;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The keywords a loaded rule uses, read back from its typed model, and whether every one of them is
 * enforced ({@link Keyword#enforcedBy()}). The switches over the sealed model types have no default, so a
 * new kind of condition or buffer keyword does not compile until it is mapped here. Meta keywords
 * ({@code msg}, {@code sid}, ...) are not listed: they have nothing to enforce.
 */
public final class RuleKeywords
{
    private static final Map<Buffer, Keyword> STICKY = new EnumMap<>(Buffer.class);

    static
    {
        for (final Keyword keyword : Keyword.values())
        {
            if (keyword.kind() == Keyword.Kind.STICKY_BUFFER && null != keyword.buffer()
                && keyword.ruleName().equals(keyword.buffer().ruleName()))
            {
                STICKY.put(keyword.buffer(), keyword);
            }
        }
    }

    private RuleKeywords()
    {
    }

    /**
     * The keywords {@code rule} uses that change whether it matches or what a match does. A sticky buffer
     * is named by its current keyword, whichever name the rule used; {@code pkt_data} is not a keyword.
     */
    public static Set<Keyword> of(final Rule rule)
    {
        final Set<Keyword> used = EnumSet.noneOf(Keyword.class);
        if (rule.noalert())
        {
            used.add(Keyword.NOALERT);
        }
        if (!rule.tags().isEmpty())
        {
            used.add(Keyword.TAG);
        }
        if (!FlowCondition.ANY.equals(rule.flow()))
        {
            used.add(Keyword.FLOW);
        }
        for (final Condition condition : rule.conditions())
        {
            used.add(keyword(condition));
        }
        for (final BufferInspection inspection : rule.inspections())
        {
            final Keyword sticky = STICKY.get(inspection.buffer());
            if (null != sticky)
            {
                used.add(sticky);
            }
            for (final BufferMatch match : inspection.matches())
            {
                addKeywords(match, used);
            }
        }
        for (final StateOp op : rule.stateOps())
        {
            used.add(switch (op)
            {
                case StateOp.Flowbit f -> Keyword.FLOWBITS;
                case StateOp.Xbit x -> Keyword.XBITS;
            });
        }
        if (null != rule.threshold())
        {
            used.add(Keyword.THRESHOLD);
        }
        if (null != rule.detectionFilter())
        {
            used.add(Keyword.DETECTION_FILTER);
        }
        return used;
    }

    /** The keywords of {@code rule} that nothing enforces yet, in table order; empty when it is enforced. */
    public static Set<Keyword> notEnforced(final Rule rule)
    {
        final Set<Keyword> missing = EnumSet.noneOf(Keyword.class);
        for (final Keyword keyword : of(rule))
        {
            if (keyword.enforcedBy() == Keyword.Enforcer.NOT_YET)
            {
                missing.add(keyword);
            }
        }
        return missing;
    }

    private static Keyword keyword(final Condition condition)
    {
        return switch (condition)
        {
            case HeaderInt h -> switch (h.field())
            {
                case PAYLOAD_SIZE -> Keyword.DSIZE;
                case TCP_ACK -> Keyword.ACK;
                case TCP_SEQ -> Keyword.SEQ;
                case TCP_WINDOW -> Keyword.WINDOW;
                case IP_ID -> Keyword.ID;
                case IP_TTL -> Keyword.TTL;
                case ICMP_TYPE -> Keyword.ITYPE;
                case ICMP_CODE -> Keyword.ICODE;
            };
            case TcpFlags t -> Keyword.FLAGS;
            case IpProtocol p -> Keyword.IP_PROTO;
            case VlanId v -> Keyword.VLAN_ID;
            case StreamSize s -> Keyword.STREAM_SIZE;
            case AppLayerProtocol a -> Keyword.APP_LAYER_PROTOCOL;
            case SslState s -> Keyword.SSL_STATE;
            case SslVersion s -> Keyword.SSL_VERSION;
            case TlsVersion t -> Keyword.TLS_VERSION;
        };
    }

    private static void addKeywords(final BufferMatch match, final Set<Keyword> used)
    {
        switch (match)
        {
            case ContentMatch c ->
            {
                used.add(Keyword.CONTENT);
                addIf(used, c.nocase(), Keyword.NOCASE);
                addIf(used, null != c.offset(), Keyword.OFFSET);
                addIf(used, null != c.depth(), Keyword.DEPTH);
                addIf(used, null != c.distance(), Keyword.DISTANCE);
                addIf(used, null != c.within(), Keyword.WITHIN);
                addIf(used, c.startsWith(), Keyword.STARTSWITH);
                addIf(used, c.endsWith(), Keyword.ENDSWITH);
                addIf(used, null != c.fastPattern(), Keyword.FAST_PATTERN);
            }
            case PcreMatch p -> used.add(Keyword.PCRE);
            case IsDataAt i -> used.add(Keyword.ISDATAAT);
            case ByteTest b -> used.add(Keyword.BYTE_TEST);
            case ByteJump b -> used.add(Keyword.BYTE_JUMP);
            case ByteExtract b -> used.add(Keyword.BYTE_EXTRACT);
            case Base64Decode b -> used.add(Keyword.BASE64_DECODE);
            case BufferSize b -> used.add(Keyword.BSIZE);
            case DatasetMatch d -> used.add(Keyword.DATASET);
        }
    }

    private static void addIf(final Set<Keyword> used, final boolean condition, final Keyword keyword)
    {
        if (condition)
        {
            used.add(keyword);
        }
    }
}
