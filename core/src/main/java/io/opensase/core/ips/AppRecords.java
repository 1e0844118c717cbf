package io.opensase.core.ips;

import io.opensase.classifiers.app.http.HttpMessage;
import io.opensase.classifiers.app.http.HttpParser;
import io.opensase.classifiers.app.ssh.SshBanner;
import io.opensase.classifiers.app.tls.TlsHandshake;
import io.opensase.core.events.EveRecord;
import io.opensase.ips.dlp.DlpScanner;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a flow's application events carry, copied out of the parsers' views when they are seen: the HTTP
 * transaction in progress, the TLS handshake, the SSH banners. One set per flow slot, made on the flow's first
 * application message and reused by later flows in the slot. Copying allocates strings: this runs per
 * message, for the event lines, never per packet.
 */
final class AppRecords
{
    /**
     * The flow's HTTP transactions by transaction index, modulo the parser's pipeline depth: pipelined
     * requests each keep their fields until their own response comes (found by a tester: with two requests in
     * one segment, both responses' lines had lost their request's fields). Made as the flow needs them.
     */
    private final Http[] transactions = new Http[HttpParser.PIPELINE_DEPTH];
    /** The request seen last: the one DLP is scanning, whose fields its lines carry. */
    Http http = transaction(0);
    final Tls tls = new Tls();
    final Ssh ssh = new Ssh();

    void reset()
    {
        for (final Http transaction : transactions)
        {
            if (null != transaction)
            {
                transaction.reset();
            }
        }
        http = transactions[0];
        tls.reset();
        ssh.reset();
    }

    /** A request's headers: its transaction takes its fields and becomes the one DLP lines report. */
    Http request(final HttpMessage m)
    {
        http = transaction(m.transactionIndex());
        http.request(m);
        return http;
    }

    /** A response's headers: the transaction of its request takes its fields. */
    Http response(final HttpMessage m)
    {
        final Http transaction = transaction(m.transactionIndex());
        transaction.response(m);
        return transaction;
    }

    /** The transaction a message of the flow belongs to. */
    Http of(final HttpMessage m)
    {
        return transaction(m.transactionIndex());
    }

    private Http transaction(final int index)
    {
        final int at = Math.floorMod(index, transactions.length);
        if (null == transactions[at])
        {
            transactions[at] = new Http();
        }
        return transactions[at];
    }

    /** The {@code http} object of one transaction. */
    static final class Http
    {
        /** {@link #writeObject}, made once so that matching a message does not make a new one. */
        final AlertWriter.AppFields alertObject = this::writeObject;
        int index = -1;
        String hostname;
        String url;
        String userAgent;
        String contentType;
        String method;
        String protocol;
        int status = -1;
        long length;
        String fileName;
        boolean requestSeen;
        boolean responseSeen;

        void reset()
        {
            index = -1;
            hostname = null;
            url = null;
            userAgent = null;
            contentType = null;
            method = null;
            protocol = null;
            status = -1;
            length = 0;
            fileName = null;
            requestSeen = false;
            responseSeen = false;
        }

        void request(final HttpMessage m)
        {
            reset();
            index = m.transactionIndex();
            requestSeen = true;
            hostname = nonEmpty(m.host());
            url = nonEmpty(m.uriRaw());
            userAgent = nonEmpty(m.userAgent());
            method = nonEmpty(m.method());
            protocol = protocol(m.requestLine());
            fileName = nonEmpty(m.fileName());
        }

        /**
         * Masks each request value this record echoes in log lines (hostname, url URL-decoded, user agent,
         * method, file name) in which a DLP detector of {@code dlp} matches: its letters and digits become
         * {@code *}, so that no matched value is logged in clear.
         */
        void maskRequest(final DlpScanner dlp)
        {
            hostname = masked(dlp, hostname, false);
            url = masked(dlp, url, true);
            userAgent = masked(dlp, userAgent, false);
            method = masked(dlp, method, false);
            fileName = masked(dlp, fileName, true);
        }

        /**
         * Masks the file name a response set (its Content-Disposition, else its request's path segment as sent,
         * which replaces the one {@link #maskRequest} masked), probed as sent and URL-decoded.
         */
        void maskFileName(final DlpScanner dlp)
        {
            fileName = masked(dlp, fileName, true);
        }

        private static String masked(final DlpScanner dlp, final String value, final boolean urlEncoded)
        {
            if (null == value)
            {
                return null;
            }
            final byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
            // A URL-encoded value is probed both ways: decoded as a detector reading the URI sees it, and as sent.
            if (!dlp.matchesIn(bytes, 0, bytes.length, false)
                && !(urlEncoded && dlp.matchesIn(bytes, 0, bytes.length, true)))
            {
                return value;
            }
            final char[] chars = value.toCharArray();
            for (int i = 0; i < chars.length; i++)
            {
                if (Character.isLetterOrDigit(chars[i]))
                {
                    chars[i] = '*';
                }
            }
            return new String(chars);
        }

        void response(final HttpMessage m)
        {
            if (!requestSeen || index != m.transactionIndex())
            {
                reset();
                index = m.transactionIndex();
            }
            responseSeen = true;
            status = m.statusCodeValue();
            contentType = nonEmpty(m.contentType());
            if (null == protocol)
            {
                final String line = AppEvents.text(m.responseLine());
                final int space = line.indexOf(' ');
                protocol = space > 0 ? line.substring(0, space) : null;
            }
            if (null != nonEmpty(m.fileName()))
            {
                fileName = nonEmpty(m.fileName());
            }
        }

        /** The {@code http} object, as an alert carries it. */
        void writeObject(final EveRecord json)
        {
            json.open("http");
            write(json);
            json.close();
        }

        void write(final EveRecord json)
        {
            optional(json, "hostname", hostname);
            optional(json, "url", url);
            optional(json, "http_user_agent", userAgent);
            optional(json, "http_content_type", contentType);
            optional(json, "http_method", method);
            optional(json, "protocol", protocol);
            if (status >= 0)
            {
                json.field("status", status);
            }
            json.field("length", length);
        }

        private static String protocol(final MemorySegment requestLine)
        {
            final String line = AppEvents.text(requestLine);
            final int space = line.lastIndexOf(' ');
            return space > 0 && line.startsWith("HTTP/", space + 1) ? line.substring(space + 1) : null;
        }
    }

    /** The {@code tls} object of a handshake. */
    static final class Tls
    {
        /** {@link #writeObject}, made once so that matching a handshake does not make a new one. */
        final AlertWriter.AppFields alertObject = this::writeObject;
        String sni;
        String version;
        String subject;
        String issuer;
        String serial;
        String fingerprint;
        String ja3;
        String ja3String;
        String ja3s;
        String ja3sString;
        final byte[] serverRandom = new byte[32];
        int serverRandomLength;
        final List<String> clientAlpns = new ArrayList<>();
        final List<String> serverAlpns = new ArrayList<>();
        boolean logged;

        void reset()
        {
            sni = null;
            version = null;
            subject = null;
            issuer = null;
            serial = null;
            fingerprint = null;
            ja3 = null;
            ja3String = null;
            ja3s = null;
            ja3sString = null;
            clientAlpns.clear();
            serverAlpns.clear();
            serverRandomLength = 0;
            logged = false;
        }

        void clientHello(final TlsHandshake h)
        {
            sni = h.hasSni() ? AppEvents.text(h.sni()) : null;
            ja3 = nonEmpty(h.ja3Hash());
            ja3String = nonEmpty(h.ja3String());
            for (int a = 0; a < h.alpnCount(); a++)
            {
                clientAlpns.add(AppEvents.text(h.alpn(a)));
            }
        }

        void serverHello(final TlsHandshake h)
        {
            version = versionName(h.selectedVersion());
            serverRandomLength = (int)Math.min(serverRandom.length, h.random().byteSize());
            MemorySegment.copy(h.random(), ValueLayout.JAVA_BYTE, 0, serverRandom, 0,
                serverRandomLength);
            ja3s = nonEmpty(h.ja3sHash());
            ja3sString = nonEmpty(h.ja3sString());
            for (int a = 0; a < h.alpnCount(); a++)
            {
                serverAlpns.add(AppEvents.text(h.alpn(a)));
            }
        }

        void certificate(final TlsHandshake h)
        {
            subject = nonEmpty(h.certSubject());
            issuer = nonEmpty(h.certIssuer());
            serial = nonEmpty(h.certSerial());
            fingerprint = nonEmpty(h.certFingerprint());
        }

        /** The {@code tls} object, as an alert carries it. */
        void writeObject(final EveRecord json)
        {
            json.open("tls");
            write(json);
            json.close();
        }

        void write(final EveRecord json)
        {
            optional(json, "subject", subject);
            optional(json, "issuerdn", issuer);
            optional(json, "serial", serial);
            optional(json, "fingerprint", fingerprint);
            optional(json, "sni", sni);
            optional(json, "version", version);
            if (null != ja3)
            {
                json.open("ja3").field("hash", ja3).field("string", ja3String).close();
            }
            if (null != ja3s)
            {
                json.open("ja3s").field("hash", ja3s).field("string", ja3sString).close();
            }
            list(json, "client_alpns", clientAlpns);
            list(json, "server_alpns", serverAlpns);
        }

        private static void list(final EveRecord json, final String name, final List<String> values)
        {
            if (values.isEmpty())
            {
                return;
            }
            json.openArray(name);
            values.forEach(json::value);
            json.closeArray();
        }

        private static String versionName(final int version)
        {
            return switch (version)
            {
                case 0x0002 -> "SSLv2";
                case 0x0300 -> "SSLv3";
                case 0x0301 -> "TLS 1.0";
                case 0x0302 -> "TLS 1.1";
                case 0x0303 -> "TLS 1.2";
                case 0x0304 -> "TLS 1.3";
                default -> 0 == version ? null : String.format("0x%04x", version);
            };
        }
    }

    /** The {@code ssh} object: each side's protocol and software version. */
    static final class Ssh
    {
        String clientProto;
        String clientSoftware;
        String serverProto;
        String serverSoftware;
        boolean logged;

        void reset()
        {
            clientProto = null;
            clientSoftware = null;
            serverProto = null;
            serverSoftware = null;
            logged = false;
        }

        void banner(final boolean fromClient, final SshBanner banner)
        {
            if (fromClient)
            {
                clientProto = AppEvents.text(banner.protoVersion());
                clientSoftware = AppEvents.text(banner.softwareVersion());
            }
            else
            {
                serverProto = AppEvents.text(banner.protoVersion());
                serverSoftware = AppEvents.text(banner.softwareVersion());
            }
        }

        boolean complete()
        {
            return null != clientProto && null != serverProto;
        }

        void write(final EveRecord json)
        {
            json.open("client").field("proto_version", clientProto).field("software_version", clientSoftware).close();
            json.open("server").field("proto_version", serverProto).field("software_version", serverSoftware).close();
        }
    }

    private static String nonEmpty(final MemorySegment bytes)
    {
        return bytes.byteSize() > 0 ? AppEvents.text(bytes) : null;
    }

    private static void optional(final EveRecord json, final String name, final String value)
    {
        if (null != value)
        {
            json.field(name, value);
        }
    }
}
