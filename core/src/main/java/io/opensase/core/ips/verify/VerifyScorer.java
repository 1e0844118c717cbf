package io.opensase.core.ips.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Scores a case against the EVE file the engine wrote for it, as suricata-verify's runner does: every line is
 * one JSON event; a filter counts the events for which each field test holds, tried in order and stopping at
 * the first that fails; the check holds when that count equals the one required. A field the engine does not
 * emit is absent, equals nothing but a YAML null, and so fails the check that names it.
 */
public final class VerifyScorer
{
    /** Distinct values shown for the field test that cut a count short, each cut to this many characters. */
    private static final int SAMPLES = 5;
    private static final int SAMPLE_CHARS = 80;

    /** Lines that are not JSON named one by one; past this many, only counted. */
    private static final int BAD_LINES_NAMED = 10;

    /** Python's json.loads: accepts NaN and Infinity, refuses anything after the value. */
    private static final JsonMapper JSON = JsonMapper.builder()
        .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();

    private VerifyScorer()
    {
    }

    public static CaseResult score(final VerifyCase verifyCase, final Path eveFile) throws IOException
    {
        final List<String> problems = new ArrayList<>(verifyCase.unsupported());
        final List<Tally> tallies = new ArrayList<>();
        for (final Filter filter : verifyCase.filters())
        {
            tallies.add(new Tally(filter));
        }
        int events = 0;
        if (!Files.isRegularFile(eveFile))
        {
            problems.add(eveFile + " does not exist");
        }
        else
        {
            events = read(eveFile, tallies, problems);
        }
        final List<FilterResult> results = new ArrayList<>();
        for (final Tally tally : tallies)
        {
            results.add(tally.result());
        }
        return new CaseResult(verifyCase, results, problems, events);
    }

    private static int read(final Path eveFile, final List<Tally> tallies, final List<String> problems)
        throws IOException
    {
        int events = 0;
        int lineNumber = 0;
        int badLines = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(eveFile),
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT))))
        {
            for (String line = reader.readLine(); null != line; line = reader.readLine())
            {
                lineNumber++;
                final JsonNode event;
                try
                {
                    event = JSON.readTree(line);
                }
                catch (final JsonProcessingException ex)
                {
                    if (++badLines <= BAD_LINES_NAMED)
                    {
                        problems.add(eveFile + ":" + lineNumber + ": not a JSON value: " + ex.getOriginalMessage());
                    }
                    continue;
                }
                if (null == event || event.isMissingNode())
                {
                    if (++badLines <= BAD_LINES_NAMED)
                    {
                        problems.add(eveFile + ":" + lineNumber + ": an empty line is not a JSON value");
                    }
                    continue;
                }
                events++;
                for (final Tally tally : tallies)
                {
                    tally.accept(event, lineNumber);
                }
            }
        }
        catch (final CharacterCodingException ex)
        {
            problems.add(eveFile + ":" + (lineNumber + 1) + ": not UTF-8 text");
        }
        if (badLines > BAD_LINES_NAMED)
        {
            problems.add(eveFile + ": " + (badLines - BAD_LINES_NAMED) + " more lines are not JSON values");
        }
        return events;
    }

    /** The counts of one filter over the events read so far. */
    private static final class Tally
    {
        private final Filter filter;
        private final int[] reached;
        private final int[] matched;
        private final int[] absent;
        private final List<Set<String>> seen = new ArrayList<>();
        private int count;
        private String error;

        Tally(final Filter filter)
        {
            this.filter = filter;
            final int fields = filter.match().size();
            reached = new int[fields];
            matched = new int[fields];
            absent = new int[fields];
            for (int i = 0; i < fields; i++)
            {
                seen.add(new LinkedHashSet<>());
            }
        }

        void accept(final JsonNode event, final int lineNumber)
        {
            if (!filter.supported())
            {
                return;
            }
            final List<FieldMatch> match = filter.match();
            for (int i = 0; i < match.size(); i++)
            {
                reached[i]++;
                try
                {
                    final JsonNode found = match.get(i).lookup(event);
                    if (null == found || found.isNull())
                    {
                        absent[i]++;
                    }
                    else if (seen.get(i).size() < SAMPLES)
                    {
                        final String sample = found.toString();
                        seen.get(i).add(sample.length() <= SAMPLE_CHARS ? sample
                            : sample.substring(0, SAMPLE_CHARS) + "...");
                    }
                    if (!match.get(i).holds(found))
                    {
                        return;
                    }
                }
                catch (final FieldError ex)
                {
                    if (null == error)
                    {
                        error = "EVE line " + lineNumber + ": " + ex.getMessage();
                    }
                    return;
                }
                matched[i]++;
            }
            count++;
        }

        FilterResult result()
        {
            if (!filter.supported())
            {
                return new FilterResult(filter, filter.count(), -1, "", String.join("; ", filter.unsupported()));
            }
            return new FilterResult(filter, filter.count(), count, explanation(), error);
        }

        /** Each field test with how many of the events reaching it passed; details on the first one short. */
        private String explanation()
        {
            final List<FieldMatch> match = filter.match();
            if (match.isEmpty())
            {
                return "every event counts (empty match)";
            }
            final StringBuilder out = new StringBuilder();
            boolean explained = count >= filter.count();
            for (int i = 0; i < match.size(); i++)
            {
                out.append(i == 0 ? "" : ", ").append(match.get(i)).append(" (").append(matched[i]).append(" of ")
                    .append(reached[i]).append(i == 0 ? " events" : "");
                if (!explained && matched[i] < filter.count())
                {
                    explained = true;
                    if (reached[i] > 0 && absent[i] == reached[i])
                    {
                        out.append("; absent from all");
                    }
                    else if (!seen.get(i).isEmpty())
                    {
                        out.append("; seen: ").append(String.join(", ", seen.get(i)));
                        out.append(absent[i] > 0 ? "; absent from " + absent[i] : "");
                    }
                }
                out.append(')');
            }
            return out.toString();
        }
    }
}
