package io.opensase.core.control.api;

import io.opensase.core.control.ReloadOutcome;
import io.opensase.core.report.JsonWriter;

import java.util.Locale;

/** The JSON the API writes itself: error bodies and reload outcomes. The engine's views come as text. */
final class ApiJson
{
    private ApiJson()
    {
    }

    static String error(final String message)
    {
        return new JsonWriter().beginObject().field("error", message).endObject() + "\n";
    }

    /**
     * {@code status} (lower case), {@code generation}, {@code error} (null unless invalid or failed),
     * {@code needs_restart} (setting names), {@code digest}, and {@code ips_load} (the IPS load report's lines
     * when the IPS rules were loaded, else null).
     */
    static String outcome(final ReloadOutcome outcome)
    {
        final String error = null == outcome.error() && ReloadOutcome.Status.FAILED == outcome.status()
            ? "the configuration file could not be read or written"
            : outcome.error();
        final String head = new JsonWriter().beginObject()
            .field("status", outcome.status().name().toLowerCase(Locale.ROOT))
            .field("generation", outcome.generation())
            .field("error", error)
            .toString();
        // JsonWriter writes arrays of objects only; the list of setting names is written here.
        final StringBuilder out = new StringBuilder(head).append(",\n  \"needs_restart\": [");
        for (int i = 0; i < outcome.needsRestart().size(); i++)
        {
            out.append(i == 0 ? "" : ", ");
            quote(out, outcome.needsRestart().get(i));
        }
        out.append("],\n  \"digest\": ");
        if (null == outcome.digest())
        {
            out.append("null");
        }
        else
        {
            quote(out, outcome.digest());
        }
        out.append(",\n  \"ips_load\": ");
        if (null == outcome.ipsLoad())
        {
            out.append("null");
        }
        else
        {
            final String[] lines = outcome.ipsLoad().strip().split("\n");
            out.append('[');
            for (int i = 0; i < lines.length; i++)
            {
                out.append(i == 0 ? "" : ", ");
                quote(out, lines[i]);
            }
            out.append(']');
        }
        return out.append("\n}\n").toString();
    }

    private static void quote(final StringBuilder out, final String text)
    {
        out.append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\')
            {
                out.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                out.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                out.append(c);
            }
        }
        out.append('"');
    }
}
