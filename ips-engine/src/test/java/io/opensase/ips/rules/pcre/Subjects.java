package io.opensase.ips.rules.pcre;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Test helper: subjects for comparing regex engines on one expression. A third are generated from the
 * expression ({@link RegexSampler}, mostly matching), a half are those with one edit (a char dropped,
 * inserted or case-flipped, a newline added), the rest random bytes; some get bytes around them.
 */
final class Subjects
{
    private Subjects()
    {
    }

    static List<String> of(final PcreTranslator.Translation t, final Random random, final int count)
    {
        final RegexSampler sampler = new RegexSampler(t.javaRegex(), t.javaFlags(), random);
        final List<String> subjects = new ArrayList<>(count);
        for (int k = 0; k < count; k++)
        {
            final String base = k < count / 3 ? sampler.sample()
                : k < count * 5 / 6 ? mutateOnce(sampler.sample(), random) : randomBytes(random);
            subjects.add(surround(base, random, k));
        }
        return subjects;
    }

    private static String surround(final String s, final Random random, final int k)
    {
        return switch (k % 4)
        {
            case 1 -> randomBytes(random).substring(0, random.nextInt(3)) + s;
            case 2 -> s + "\n";
            case 3 -> s + randomBytes(random).substring(0, random.nextInt(3));
            default -> s;
        };
    }

    private static String mutateOnce(final String s, final Random random)
    {
        if (s.isEmpty())
        {
            return s;
        }
        final StringBuilder sb = new StringBuilder(s);
        final int at = random.nextInt(s.length());
        switch (random.nextInt(4))
        {
            case 0 -> sb.deleteCharAt(at);
            case 1 -> sb.setCharAt(at, Character.isUpperCase(s.charAt(at))
                ? Character.toLowerCase(s.charAt(at)) : Character.toUpperCase(s.charAt(at)));
            case 2 -> sb.insert(at, (char)random.nextInt(256));
            default -> sb.insert(at, '\n');
        }
        return sb.toString();
    }

    static String randomBytes(final Random random)
    {
        final char[] chars = new char[2 + random.nextInt(30)];
        for (int j = 0; j < chars.length; j++)
        {
            chars[j] = (char)(random.nextBoolean() ? 0x20 + random.nextInt(0x5F) : random.nextInt(256));
        }
        return new String(chars);
    }

    /** Printable form for failure messages. */
    static String show(final String subject)
    {
        final StringBuilder sb = new StringBuilder("\"");
        for (final char c : subject.toCharArray())
        {
            if (c >= 0x20 && c < 0x7F)
            {
                sb.append(c);
            }
            else
            {
                sb.append(String.format("\\x%02x", (int)c));
            }
            if (sb.length() > 160)
            {
                sb.append("...");
                break;
            }
        }
        return sb.append('"').toString();
    }
}
