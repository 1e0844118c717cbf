package io.opensase.core.events;

import io.opensase.classifiers.flow.FlowTable;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Puts alerts on a worker's event queue, for the inspection stages of that worker: one fixed-size record per
 * alert ({@link EventLayout}), carrying the flow's key, id and counters, the rule's ids, and at most one app
 * field (an HTTP host name, a TLS SNI, a DNS query name) copied from packet memory. The writer renders it with
 * Suricata's EVE field names, taking the signature text and category from the {@link SignatureCatalog} it is
 * given. Owned by the worker's thread; allocates nothing, never waits, drops and counts when the queue is full.
 */
public final class AlertRecorder
{
    private final FlowRecorder flows;
    private final SpscEventQueue queue;
    private final FlowTable table;
    private final int worker;

    public AlertRecorder(final FlowRecorder flows)
    {
        this.flows = flows;
        this.queue = flows.queue();
        this.table = flows.table();
        this.worker = flows.worker();
    }

    /**
     * An alert on the flow in {@code slot}, raised by a packet at {@code timeNs}.
     *
     * @param fromSecond true when the packet went from the key's second endpoint (its {@code FlowTable.REVERSE}).
     * @param action     {@link EventLayout#ACTION_ALLOWED} or {@link EventLayout#ACTION_BLOCKED}.
     * @param appProto   one of {@link EventLayout}'s {@code APP_} values.
     * @param textField  one of {@link EventLayout}'s {@code TEXT_} values; {@code TEXT_NONE} for no app field.
     * @param text       memory holding the field's UTF-8 bytes at {@code textOffset}; {@code textLength} past
     *                   {@link EventLayout#ALERT_TEXT_BYTES} is cut (the line says so with {@code "truncated"}).
     * @return false when the queue was full (the alert was counted as dropped).
     */
    public boolean alert(final long timeNs, final int slot, final boolean fromSecond, final int action, final int gid,
        final long sid, final int rev, final int severity, final int appProto, final int textField,
        final MemorySegment text, final long textOffset, final int textLength)
    {
        final int at = queue.claim();
        if (SpscEventQueue.FULL == at)
        {
            return false;
        }
        final long[] r = queue.records();
        final long createdNs = table.createdNs(slot);
        final int length = Math.min(Math.max(textLength, 0), EventLayout.ALERT_TEXT_BYTES);
        long header = EventLayout.header(EventLayout.TYPE_ALERT, action, 0, flows.clientIsSecond(slot), worker);
        header |= fromSecond ? EventLayout.PACKET_FROM_SECOND : 0;
        header |= length < textLength ? EventLayout.TEXT_TRUNCATED : 0;
        r[at + EventLayout.HEADER] = header;
        r[at + EventLayout.TIME_NS] = timeNs;
        table.copyKey(slot, r, at + EventLayout.KEY);
        r[at + EventLayout.FLOW_ID] = EveIds.flowId(worker, slot, createdNs);
        r[at + EventLayout.START_NS] = createdNs;
        r[at + EventLayout.PACKETS] = table.packets(slot, 0);
        r[at + EventLayout.PACKETS + 1] = table.packets(slot, 1);
        r[at + EventLayout.BYTES] = table.bytes(slot, 0);
        r[at + EventLayout.BYTES + 1] = table.bytes(slot, 1);
        r[at + EventLayout.BYTES + 2] = 0;
        r[at + EventLayout.ALERT_SIGNATURE] = (sid & 0xFFFF_FFFFL) | (long)rev << 32;
        r[at + EventLayout.ALERT_META] = (gid & 0xFFFF_FFFFL) | (long)(severity & 0xFF) << 32
            | (long)(appProto & 0xFF) << 40 | (long)(textField & 0xFF) << 48 | (long)length << 56;
        for (int w = 0; w < (length + 7) / 8; w++)
        {
            long word = 0;
            for (int b = 0; b < 8 && 8 * w + b < length; b++)
            {
                word |= (text.get(ValueLayout.JAVA_BYTE, textOffset + 8 * w + b) & 0xFFL) << (8 * b);
            }
            r[at + EventLayout.ALERT_TEXT + w] = word;
        }
        queue.publish();
        return true;
    }
}
