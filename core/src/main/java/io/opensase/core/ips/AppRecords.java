package io.opensase.core.ips;

import io.opensase.classifiers.app.http.HttpField;
import io.opensase.classifiers.app.http.HttpMessage;
import io.opensase.classifiers.app.http.HttpParser;
import io.opensase.classifiers.app.ssh.SshBanner;
import io.opensase.classifiers.app.tls.TlsField;
import io.opensase.classifiers.app.tls.TlsHandshake;
import io.opensase.core.events.EveRecord;
import io.opensase.ips.dlp.DlpScanner;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * What a flow's application events carry, copied out of the parsers' views when they are seen: the HTTP
 * transaction in progress, the TLS handshake, the SSH banners. Each value is kept as bytes in a buffer of its
 * own ({@link AppText}) and written into the lines from there, so that once its buffers have grown to the
 * values seen, a message costs copies and no allocation. One set per flow with application messages, taken
 * from the stage's spares on the flow's first one and given back when the flow ends.
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

    /** Forgets the flow's values, for another flow: buffers one long value grew are let go. */
    void reset()
    {
        for (final Http transaction : transactions)
        {
            if (null != transaction)
            {
                transaction.release();
            }
        }
        http = transactions[0];
        tls.release();
        ssh.release();
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
        private static final byte[] HTTP_SLASH = {'H', 'T', 'T', 'P', '/'};

        /** {@link #writeObject}, made once so that matching a message does not make a new one. */
        final AlertWriter.AppFields alertObject = this::writeObject;
        int index = -1;
        final AppText hostname = new AppText();
        final AppText url = new AppText();
        final AppText userAgent = new AppText();
        final AppText contentType = new AppText();
        final AppText method = new AppText();
        final AppText protocol = new AppText();
        int status = -1;
        long length;
        final AppText fileName = new AppText();
        boolean requestSeen;
        boolean responseSeen;

        void reset()
        {
            index = -1;
            hostname.clear();
            url.clear();
            userAgent.clear();
            contentType.clear();
            method.clear();
            protocol.clear();
            status = -1;
            length = 0;
            fileName.clear();
            requestSeen = false;
            responseSeen = false;
        }

        private void release()
        {
            reset();
            hostname.release();
            url.release();
            userAgent.release();
            contentType.release();
            method.release();
            protocol.release();
            fileName.release();
        }

        void request(final HttpMessage m)
        {
            reset();
            index = m.transactionIndex();
            requestSeen = true;
            final MemorySegment buffer = m.buffer();
            copy(hostname, buffer, m, HttpField.HOST);
            copy(url, buffer, m, HttpField.URI_RAW);
            copy(userAgent, buffer, m, HttpField.USER_AGENT);
            copy(method, buffer, m, HttpField.METHOD);
            requestProtocol(buffer, m.offset(HttpField.REQUEST_LINE), m.length(HttpField.REQUEST_LINE));
            copy(fileName, buffer, m, HttpField.FILE_NAME);
        }

        /**
         * Masks each request value this record echoes in log lines (hostname, url URL-decoded, user agent,
         * method, file name) in which a DLP detector of {@code dlp} matches: its letters and digits become
         * {@code *}, so that no matched value is logged in clear.
         */
        void maskRequest(final DlpScanner dlp)
        {
            hostname.maskIfMatched(dlp, false);
            url.maskIfMatched(dlp, true);
            userAgent.maskIfMatched(dlp, false);
            method.maskIfMatched(dlp, false);
            fileName.maskIfMatched(dlp, true);
        }

        /**
         * Masks the file name a response set (its Content-Disposition, else its request's path segment as sent,
         * which replaces the one {@link #maskRequest} masked), probed as sent and URL-decoded.
         */
        void maskFileName(final DlpScanner dlp)
        {
            fileName.maskIfMatched(dlp, true);
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
            final MemorySegment buffer = m.buffer();
            copy(contentType, buffer, m, HttpField.CONTENT_TYPE);
            if (!protocol.present())
            {
                // The response line's version: what comes before its first space.
                final long line = m.offset(HttpField.RESPONSE_LINE);
                final int space = indexOf(buffer, line, m.length(HttpField.RESPONSE_LINE), (byte)' ');
                if (space > 0)
                {
                    protocol.set(buffer, line, space);
                }
            }
            if (m.length(HttpField.FILE_NAME) > 0)
            {
                copy(fileName, buffer, m, HttpField.FILE_NAME);
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
            hostname.write(json, "hostname");
            url.write(json, "url");
            userAgent.write(json, "http_user_agent");
            contentType.write(json, "http_content_type");
            method.write(json, "http_method");
            protocol.write(json, "protocol");
            if (status >= 0)
            {
                json.field("status", status);
            }
            json.field("length", length);
        }

        /** The request line's version: what follows its last space when that starts with {@code HTTP/}. */
        private void requestProtocol(final MemorySegment buffer, final long line, final int lineLength)
        {
            int space = lineLength - 1;
            while (space >= 0 && ' ' != buffer.get(ValueLayout.JAVA_BYTE, line + space))
            {
                space--;
            }
            if (space <= 0 || lineLength - space - 1 < HTTP_SLASH.length)
            {
                return;
            }
            for (int i = 0; i < HTTP_SLASH.length; i++)
            {
                if (HTTP_SLASH[i] != buffer.get(ValueLayout.JAVA_BYTE, line + space + 1 + i))
                {
                    return;
                }
            }
            protocol.set(buffer, line + space + 1, lineLength - space - 1);
        }

        private static void copy(final AppText into, final MemorySegment buffer, final HttpMessage m,
            final HttpField field)
        {
            into.setNonEmpty(buffer, m.offset(field), m.length(field));
        }

        /** Where {@code b} first is in {@code length} bytes of {@code memory} from {@code offset}, or -1. */
        private static int indexOf(final MemorySegment memory, final long offset, final int length, final byte b)
        {
            for (int i = 0; i < length; i++)
            {
                if (b == memory.get(ValueLayout.JAVA_BYTE, offset + i))
                {
                    return i;
                }
            }
            return -1;
        }
    }

    /** The {@code tls} object of a handshake. */
    static final class Tls
    {
        /**
         * ALPN names kept per side: two hellos' worth (a client's second hello after a retry request adds its
         * names to the first's, as the line lists them); further names are left out and the line marked cut.
         */
        static final int MAX_ALPNS = 2 * TlsHandshake.MAX_ALPN;

        /** {@link #writeObject}, made once so that matching a handshake does not make a new one. */
        final AlertWriter.AppFields alertObject = this::writeObject;
        final AppText sni = new AppText();
        int version;
        final AppText subject = new AppText();
        final AppText issuer = new AppText();
        final AppText serial = new AppText();
        final AppText fingerprint = new AppText();
        final AppText ja3 = new AppText();
        final AppText ja3String = new AppText();
        final AppText ja3s = new AppText();
        final AppText ja3sString = new AppText();
        final byte[] serverRandom = new byte[32];
        int serverRandomLength;
        final Alpns clientAlpns = new Alpns();
        final Alpns serverAlpns = new Alpns();
        /** The text of a version without a name ({@code 0x7f1c}), made when a line is written. */
        private final byte[] versionHex = new byte[6];
        boolean clientHelloSeen;
        boolean serverHelloSeen;
        boolean logged;

        void reset()
        {
            clientHelloSeen = false;
            serverHelloSeen = false;
            sni.clear();
            version = 0;
            subject.clear();
            issuer.clear();
            serial.clear();
            fingerprint.clear();
            ja3.clear();
            ja3String.clear();
            ja3s.clear();
            ja3sString.clear();
            clientAlpns.clear();
            serverAlpns.clear();
            serverRandomLength = 0;
            logged = false;
        }

        private void release()
        {
            reset();
            sni.release();
            subject.release();
            issuer.release();
            serial.release();
            fingerprint.release();
            ja3.release();
            ja3String.release();
            ja3s.release();
            ja3sString.release();
            clientAlpns.release();
            serverAlpns.release();
        }

        void clientHello(final TlsHandshake h)
        {
            clientHelloSeen = true;
            if (h.hasSni())
            {
                copy(sni, h, TlsField.SNI);
            }
            else
            {
                sni.clear();
            }
            copyNonEmpty(ja3, h, TlsField.JA3_HASH);
            copyNonEmpty(ja3String, h, TlsField.JA3_STRING);
            clientAlpns.add(h);
        }

        void serverHello(final TlsHandshake h)
        {
            serverHelloSeen = true;
            version = h.selectedVersion();
            serverRandomLength = Math.min(serverRandom.length, h.length(TlsField.RANDOM));
            MemorySegment.copy(h.segment(TlsField.RANDOM), ValueLayout.JAVA_BYTE, h.offset(TlsField.RANDOM),
                serverRandom, 0, serverRandomLength);
            copyNonEmpty(ja3s, h, TlsField.JA3S_HASH);
            copyNonEmpty(ja3sString, h, TlsField.JA3S_STRING);
            serverAlpns.add(h);
        }

        void certificate(final TlsHandshake h)
        {
            copyNonEmpty(subject, h, TlsField.CERT_SUBJECT);
            copyNonEmpty(issuer, h, TlsField.CERT_ISSUER);
            copyNonEmpty(serial, h, TlsField.CERT_SERIAL);
            copyNonEmpty(fingerprint, h, TlsField.CERT_FINGERPRINT);
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
            subject.write(json, "subject");
            issuer.write(json, "issuerdn");
            serial.write(json, "serial");
            fingerprint.write(json, "fingerprint");
            sni.write(json, "sni");
            version(json);
            if (ja3.present())
            {
                json.open("ja3");
                ja3.write(json, "hash");
                ja3String.write(json, "string");
                json.close();
            }
            if (ja3s.present())
            {
                json.open("ja3s");
                ja3s.write(json, "hash");
                ja3sString.write(json, "string");
                json.close();
            }
            clientAlpns.write(json, "client_alpns");
            serverAlpns.write(json, "server_alpns");
        }

        /** The negotiated version by name, or as {@code 0x} and four hex digits; nothing before a server hello. */
        private void version(final EveRecord json)
        {
            final String name = switch (version)
            {
                case 0x0002 -> "SSLv2";
                case 0x0300 -> "SSLv3";
                case 0x0301 -> "TLS 1.0";
                case 0x0302 -> "TLS 1.1";
                case 0x0303 -> "TLS 1.2";
                case 0x0304 -> "TLS 1.3";
                default -> null;
            };
            if (null != name)
            {
                json.field("version", name);
            }
            else if (0 != version)
            {
                versionHex[0] = '0';
                versionHex[1] = 'x';
                for (int d = 0; d < 4; d++)
                {
                    versionHex[2 + d] = (byte)Character.forDigit(version >>> (12 - 4 * d) & 0xF, 16);
                }
                json.field("version", versionHex, 0, versionHex.length);
            }
        }

        private static void copy(final AppText into, final TlsHandshake h, final TlsField field)
        {
            into.set(h.segment(field), h.offset(field), h.length(field));
        }

        private static void copyNonEmpty(final AppText into, final TlsHandshake h, final TlsField field)
        {
            into.setNonEmpty(h.segment(field), h.offset(field), h.length(field));
        }
    }

    /** One side's ALPN names in the order the hellos gave them, as {@code client_alpns} or {@code server_alpns}. */
    static final class Alpns
    {
        private final AppText[] names = new AppText[Tls.MAX_ALPNS];
        private int count;
        private boolean cut;

        int count()
        {
            return count;
        }

        AppText name(final int i)
        {
            return names[i];
        }

        void clear()
        {
            count = 0;
            cut = false;
        }

        void release()
        {
            for (int i = 0; i < names.length && null != names[i]; i++)
            {
                names[i].release();
            }
            clear();
        }

        /** Adds the hello's names. */
        void add(final TlsHandshake h)
        {
            cut |= h.alpnOmitted() > 0;
            for (int a = 0; a < h.alpnCount(); a++)
            {
                if (count == names.length)
                {
                    cut = true;
                    return;
                }
                if (null == names[count])
                {
                    names[count] = new AppText();
                }
                names[count++].set(h.source(), h.alpnOffset(a), h.alpnLength(a));
            }
        }

        void write(final EveRecord json, final String name)
        {
            if (0 == count)
            {
                return;
            }
            if (cut)
            {
                json.cut();
            }
            json.openArray(name);
            for (int i = 0; i < count; i++)
            {
                names[i].writeValue(json);
            }
            json.closeArray();
        }
    }

    /** The {@code ssh} object: each side's protocol and software version. */
    static final class Ssh
    {
        final AppText clientProto = new AppText();
        final AppText clientSoftware = new AppText();
        final AppText serverProto = new AppText();
        final AppText serverSoftware = new AppText();
        boolean logged;

        void reset()
        {
            clientProto.clear();
            clientSoftware.clear();
            serverProto.clear();
            serverSoftware.clear();
            logged = false;
        }

        private void release()
        {
            reset();
            clientProto.release();
            clientSoftware.release();
            serverProto.release();
            serverSoftware.release();
        }

        void banner(final boolean fromClient, final SshBanner banner)
        {
            final MemorySegment line = banner.line();
            (fromClient ? clientProto : serverProto).set(line, banner.protoOffset(), banner.protoLength());
            (fromClient ? clientSoftware : serverSoftware).set(line, banner.softwareOffset(),
                banner.softwareLength());
        }

        boolean complete()
        {
            return clientProto.present() && serverProto.present();
        }

        void write(final EveRecord json)
        {
            json.open("client");
            clientProto.write(json, "proto_version");
            clientSoftware.write(json, "software_version");
            json.close();
            json.open("server");
            serverProto.write(json, "proto_version");
            serverSoftware.write(json, "software_version");
            json.close();
        }
    }
}
