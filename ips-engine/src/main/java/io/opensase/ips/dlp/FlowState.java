package io.opensase.ips.dlp;

/**
 * One flow's scanning state in a {@link DlpScanner}: the carry-over between scan calls (last 128 bytes, the
 * last eight words, the open token, the keyword automaton state, an open URL escape) and the counts per
 * detector slot. Preallocated when the scanner's flow pool grows and reused after {@code closeFlow}.
 */
final class FlowState
{
    static final int RING = 128;
    static final int RING_MASK = RING - 1;
    static final int WORDS = 8;
    static final int SAMPLE = 48;
    static final int TOKEN_HEAD = 12;

    final byte[] ring = new byte[RING];
    final long[] wordStart = new long[WORDS];
    final int[] wordLength = new int[WORDS];
    final int[] wordFlags = new int[WORDS];
    /** The single separator byte before each word when it directly follows the previous word, else 0. */
    final byte[] wordJoin = new byte[WORDS];
    final byte[] tokenHead = new byte[TOKEN_HEAD];
    final byte[] tokenAfterDot = new byte[3];
    final UrlFormDecoder url = new UrlFormDecoder();

    final int[] messageCount;
    final boolean[] reported;
    final byte[] samples;
    final int[] sampleLength;
    final int[] flowCount;

    boolean open;
    boolean blocked;
    long position;
    int words;
    /** One bit per word, the last word lowest: set when the word has a digit. */
    int digitHistory;
    boolean inWord;
    long currentStart;
    int currentFlags;
    byte currentJoin;
    long lastWordEnd = -2;
    int tokenLength;
    int tokenFlags;
    int tokenDots;
    int tokenAts;
    int tokenAtPos;
    int tokenDotAt;
    int tokenLastDot;
    /** Length of the token last classified, a trailing full stop excluded. */
    int secretLength;
    /** Length of the token last classified, as counted (before any trailing full stop was dropped). */
    int tokenLengthEnded;
    int keywordState;
    int pendingKeywordState = -1;

    FlowState(final int slots, final int profiles)
    {
        messageCount = new int[slots];
        reported = new boolean[slots];
        samples = new byte[slots * SAMPLE];
        sampleLength = new int[slots];
        flowCount = new int[profiles];
    }

    /** Forgets the message: a new message's text does not continue the last one's words. */
    void resetMessage()
    {
        position = 0;
        words = 0;
        digitHistory = 0;
        inWord = false;
        lastWordEnd = -2;
        resetToken();
        keywordState = 0;
        pendingKeywordState = -1;
        url.reset();
        java.util.Arrays.fill(messageCount, 0);
        java.util.Arrays.fill(reported, false);
    }

    /** Ready for the next token's first byte. */
    void resetToken()
    {
        tokenLength = 0;
        tokenFlags = 0;
        tokenDots = 0;
        tokenAts = 0;
        tokenDotAt = -TOKEN_HEAD;
        tokenLastDot = -1;
    }

    void resetFlow()
    {
        resetMessage();
        java.util.Arrays.fill(flowCount, 0);
        blocked = false;
    }
}
