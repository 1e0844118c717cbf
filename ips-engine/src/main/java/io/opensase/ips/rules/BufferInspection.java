package io.opensase.ips.rules;

import java.util.List;

/**
 * The payload keywords of a rule that inspect one buffer, in rule order. A relative keyword
 * ({@code distance}, {@code within}, {@code pcre /R}, {@code isdataat ...,relative}, {@code byte_* relative})
 * is relative to the end of the match of the keyword before it in this list; the first keyword of the
 * list is relative to the start of the buffer. All keywords of the list must hold (on the same value, for
 * a {@linkplain Buffer#multi() multi-buffer}).
 */
public record BufferInspection(Buffer buffer, List<BufferMatch> matches)
{
    public BufferInspection
    {
        matches = List.copyOf(matches);
    }
}
