package io.opensase.core.audit;

import io.opensase.core.report.JsonWriter;

/**
 * Where the audit log stands, for {@code GET /health}: the last entry's seq and mac, which an operator
 * (or monitoring) can record away from this host to check an anchor against later. Immutable; any thread.
 *
 * @param log     the log file's name.
 * @param seq     the last entry's seq; 0 before the first.
 * @param mac     the last entry's mac; {@link AuditEntry#ZERO} before the first.
 * @param failure null while appends work; after a write failed, why (appends are refused until a restart).
 */
public record AuditHead(String log, long seq, String mac, String failure)
{
    /** Writes {@code "audit": {"log": ..., "seq": ..., "mac": ..., "failure": ...}} into an open object. */
    public JsonWriter writeTo(final JsonWriter json)
    {
        return json.beginObject("audit")
            .field("log", log)
            .field("seq", seq)
            .field("mac", mac)
            .field("failure", failure)
            .endObject();
    }
}
