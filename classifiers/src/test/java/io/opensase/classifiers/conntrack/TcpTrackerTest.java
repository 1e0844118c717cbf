package io.opensase.classifiers.conntrack;

import org.junit.jupiter.api.Test;

import static io.opensase.classifiers.conntrack.TcpTracker.ACK;
import static io.opensase.classifiers.conntrack.TcpTracker.FIN;
import static io.opensase.classifiers.conntrack.TcpTracker.PSH;
import static io.opensase.classifiers.conntrack.TcpTracker.RST;
import static io.opensase.classifiers.conntrack.TcpTracker.SYN;
import static io.opensase.classifiers.conntrack.TcpTracker.URG;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * TCP exchanges written out segment by segment, with the sequence numbers a real pair of hosts would use,
 * and the state and verdict each must give.
 */
class TcpTrackerTest
{
    private static final int SLOT = 7;
    private static final int CLIENT = 0;
    private static final int SERVER = 1;
    private static final int C = 1_000;
    private static final int S = 500_000;

    private final TcpTracker tracker = new TcpTracker(16, false);

    @Test
    void shouldFollowAHandshakeDataAndAnOrderlyClose()
    {
        handshake();
        assertEquals(TcpTracker.VALID, segment(CLIENT, PSH | ACK, C + 1, S + 1, 100));
        assertEquals(TcpTracker.VALID, segment(SERVER, PSH | ACK, S + 1, C + 101, 1400));
        assertEquals(TcpTracker.ESTABLISHED, tracker.state(SLOT));
        assertEquals(TcpTracker.VALID, segment(CLIENT, FIN | ACK, C + 101, S + 1401, 0));
        assertEquals(TcpTracker.FIN_WAIT, tracker.state(SLOT));
        assertEquals(TcpTracker.VALID, segment(SERVER, FIN | ACK, S + 1401, C + 102, 0));
        assertEquals(TcpTracker.CLOSING, tracker.state(SLOT));
        assertEquals(TcpTracker.VALID, segment(CLIENT, ACK, C + 102, S + 1402, 0));
        assertEquals(TcpTracker.TIME_WAIT, tracker.state(SLOT));
    }

    @Test
    void shouldCloseOnAResetInWindowAndReopenOnANewSyn()
    {
        handshake();
        assertEquals(TcpTracker.VALID, segment(SERVER, RST | ACK, S + 1, C + 1, 0));
        assertEquals(TcpTracker.CLOSE, tracker.state(SLOT));
        assertEquals(TcpTracker.VALID, first(CLIENT, SYN, C + 90_000, 0, 0));
        assertEquals(TcpTracker.SYN_SENT, tracker.state(SLOT));
    }

    @Test
    void shouldFollowASimultaneousOpen()
    {
        assertEquals(TcpTracker.VALID, first(CLIENT, SYN, C, 0, 0));
        assertEquals(TcpTracker.VALID, segment(SERVER, SYN, S, 0, 0));
        assertEquals(TcpTracker.SYN_SENT2, tracker.state(SLOT));
        assertEquals(TcpTracker.VALID, segment(CLIENT, SYN | ACK, C, S + 1, 0));
        assertEquals(TcpTracker.SYN_RECV, tracker.state(SLOT));
        assertEquals(TcpTracker.VALID, segment(SERVER, SYN | ACK, S, C + 1, 0));
        assertEquals(TcpTracker.VALID, segment(SERVER, ACK, S + 1, C + 1, 0));
        assertEquals(TcpTracker.ESTABLISHED, tracker.state(SLOT));
    }

    @Test
    void shouldFollowASimultaneousClose()
    {
        handshake();
        assertEquals(TcpTracker.VALID, segment(CLIENT, FIN | ACK, C + 1, S + 1, 0));
        assertEquals(TcpTracker.VALID, segment(SERVER, FIN | ACK, S + 1, C + 1, 0));
        assertEquals(TcpTracker.CLOSING, tracker.state(SLOT));
        assertEquals(TcpTracker.VALID, segment(CLIENT, ACK, C + 2, S + 2, 0));
        assertEquals(TcpTracker.TIME_WAIT, tracker.state(SLOT));
    }

    @Test
    void shouldRefuseImpossibleFlagCombinations()
    {
        handshake();
        for (final int flags : new int[] {0, SYN | FIN, SYN | RST, FIN | RST, FIN | PSH | URG, FIN})
        {
            assertEquals(TcpTracker.INVALID_FLAGS, segment(CLIENT, flags, C + 1, S + 1, 0), "flags " + flags);
        }
        assertEquals(TcpTracker.ESTABLISHED, tracker.state(SLOT), "an invalid segment changes nothing");
    }

    @Test
    void shouldRefuseSegmentsOutsideTheWindow()
    {
        handshake();
        // The server advertised 29,200 bytes with a window scale of 7 in its SYN-ACK; its later windows of
        // 229 scale to 29,312. Data far beyond what the server allowed, or acknowledging unsent data, is refused.
        assertEquals(TcpTracker.INVALID_WINDOW, segment(CLIENT, PSH | ACK, C + 1 + 5_000_000, S + 1, 100));
        assertEquals(TcpTracker.INVALID_WINDOW, segment(CLIENT, ACK, C + 1, S + 1 + 70_000, 0));
        assertEquals(TcpTracker.INVALID_WINDOW, segment(SERVER, PSH | ACK, S + 1 - 2_000_000, C + 1, 10));
        assertEquals(TcpTracker.VALID, segment(CLIENT, PSH | ACK, C + 1 + 20_000, S + 1, 100), "within the window");
    }

    @Test
    void shouldRefuseAConnectionFirstSeenMidstreamUnlessPickupIsOn()
    {
        assertEquals(TcpTracker.INVALID_NO_CONNECTION, first(CLIENT, PSH | ACK, C, S, 100));
        assertEquals(TcpTracker.INVALID_STATE, first(SERVER, SYN | ACK, S, C + 1, 0), "a SYN-ACK with no SYN");

        final TcpTracker loose = new TcpTracker(16, true);
        assertEquals(TcpTracker.VALID, loose.track(SLOT, true, CLIENT, PSH | ACK, C, S, 1000, -1, 100));
        assertEquals(TcpTracker.ESTABLISHED, loose.state(SLOT));
        assertEquals(TcpTracker.VALID, loose.track(SLOT, false, SERVER, ACK, S, C + 100, 1000, -1, 0));
    }

    private void handshake()
    {
        assertEquals(TcpTracker.VALID, tracker.track(SLOT, true, CLIENT, SYN, C, 0, 64_240, 7, 0));
        assertEquals(TcpTracker.SYN_SENT, tracker.state(SLOT));
        assertEquals(TcpTracker.VALID, tracker.track(SLOT, false, SERVER, SYN | ACK, S, C + 1, 29_200, 7, 0));
        assertEquals(TcpTracker.SYN_RECV, tracker.state(SLOT));
        assertEquals(TcpTracker.VALID, segment(CLIENT, ACK, C + 1, S + 1, 0));
        assertEquals(TcpTracker.ESTABLISHED, tracker.state(SLOT));
    }

    private int first(final int direction, final int flags, final int seq, final int ack, final int length)
    {
        return tracker.track(SLOT, true, direction, flags, seq, ack, 502, -1, length);
    }

    private int segment(final int direction, final int flags, final int seq, final int ack, final int length)
    {
        return tracker.track(SLOT, false, direction, flags, seq, ack, 229, -1, length);
    }
}
