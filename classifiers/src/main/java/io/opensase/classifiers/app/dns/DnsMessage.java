package io.opensase.classifiers.app.dns;

import java.lang.foreign.MemorySegment;

/**
 * One decoded DNS message (RFC 1035 §4.1): header, questions and answers. Filled by {@link DnsParser}; reused
 * for every message, so values are valid until the next parse. Names are written in dotted form with labels
 * as sent (no case folding, no escaping, the root as an empty name), as Suricata's {@code dns.query} shows
 * them; name and rdata accessors make one small slice object each, while {@link #names()} with
 * {@link #queryNameOffset} and {@link #queryNameLength} read a query name without one.
 */
public final class DnsMessage
{
    /** Questions kept per message; the rest are checked but not kept (Suricata's dns.query sees 16 at most). */
    public static final int MAX_QUESTIONS = 16;
    /** Answers kept per message; the rest are checked but not kept. */
    public static final int MAX_ANSWERS = 32;
    /** Longest name in dotted form: 255 bytes on the wire less the first length byte and the root. */
    static final int MAX_NAME_TEXT = 253;

    public static final int TYPE_A = 1;
    public static final int TYPE_NS = 2;
    public static final int TYPE_CNAME = 5;
    public static final int TYPE_PTR = 12;
    public static final int TYPE_AAAA = 28;

    final byte[] text = new byte[(MAX_QUESTIONS + 2 * MAX_ANSWERS) * (MAX_NAME_TEXT + 3)];
    private final MemorySegment textSegment = MemorySegment.ofArray(text);
    int textLength;

    int id;
    int flags;
    int declaredQuestions;
    int declaredAnswers;
    int questionCount;
    final int[] questionAt = new int[MAX_QUESTIONS];
    final int[] questionLength = new int[MAX_QUESTIONS];
    final int[] questionType = new int[MAX_QUESTIONS];
    final int[] questionClass = new int[MAX_QUESTIONS];
    int answerCount;
    final int[] answerAt = new int[MAX_ANSWERS];
    final int[] answerLength = new int[MAX_ANSWERS];
    final int[] answerType = new int[MAX_ANSWERS];
    final int[] answerClass = new int[MAX_ANSWERS];
    final long[] answerTtl = new long[MAX_ANSWERS];
    final int[] rdataAt = new int[MAX_ANSWERS];
    final int[] rdataLength = new int[MAX_ANSWERS];

    void clear()
    {
        textLength = 0;
        questionCount = 0;
        answerCount = 0;
    }

    public int id()
    {
        return id;
    }

    /** The 16 flag bits of the header (QR, opcode, AA, TC, RD, RA, Z, AD, CD, rcode). */
    public int flags()
    {
        return flags;
    }

    public boolean isResponse()
    {
        return 0 != (flags & 0x8000);
    }

    public int opcode()
    {
        return flags >>> 11 & 0xF;
    }

    public int rcode()
    {
        return flags & 0xF;
    }

    /** QDCOUNT of the header. */
    public int declaredQuestions()
    {
        return declaredQuestions;
    }

    /** ANCOUNT of the header. */
    public int declaredAnswers()
    {
        return declaredAnswers;
    }

    /** Questions kept: QDCOUNT, at most {@link #MAX_QUESTIONS}. */
    public int questionCount()
    {
        return questionCount;
    }

    public MemorySegment queryName(final int i)
    {
        return textSegment.asSlice(questionAt[i], questionLength[i]);
    }

    /** The memory every name of the message lies in, valid until the next parse. */
    public MemorySegment names()
    {
        return textSegment;
    }

    /** Where query name {@code i} starts in {@link #names()}. */
    public long queryNameOffset(final int i)
    {
        return questionAt[i];
    }

    public int queryNameLength(final int i)
    {
        return questionLength[i];
    }

    public int queryType(final int i)
    {
        return questionType[i];
    }

    public int queryClass(final int i)
    {
        return questionClass[i];
    }

    /** Answers kept: ANCOUNT, at most {@link #MAX_ANSWERS}. */
    public int answerCount()
    {
        return answerCount;
    }

    public MemorySegment answerName(final int i)
    {
        return textSegment.asSlice(answerAt[i], answerLength[i]);
    }

    /** Where answer name {@code i} starts in {@link #names()}. */
    public long answerNameOffset(final int i)
    {
        return answerAt[i];
    }

    public int answerNameLength(final int i)
    {
        return answerLength[i];
    }

    public int answerType(final int i)
    {
        return answerType[i];
    }

    public int answerClass(final int i)
    {
        return answerClass[i];
    }

    public long answerTtl(final int i)
    {
        return answerTtl[i];
    }

    /**
     * The answer's data as text: A as dotted quad, AAAA as eight groups of four hex digits (Suricata's EVE
     * form, "2001:0db8:0000:..."), CNAME, NS and PTR as a dotted name; empty for other types.
     */
    public MemorySegment rdata(final int i)
    {
        return textSegment.asSlice(rdataAt[i], rdataLength[i]);
    }

    /** Where answer {@code i}'s data text ({@link #rdata}) starts in {@link #names()}. */
    public long rdataOffset(final int i)
    {
        return rdataAt[i];
    }

    public int rdataLength(final int i)
    {
        return rdataLength[i];
    }
}
