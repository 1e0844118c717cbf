package io.opensase.core.events;

/**
 * Rewrites a value's bytes in place as an {@link EveRecord} copies them in, before any line is made of them:
 * hides what must not be logged in clear (the IPS stage masks what its DLP detectors match). Runs on the
 * thread building the record; must not keep {@code bytes}.
 */
@FunctionalInterface
public interface EveValueMask
{
    void mask(byte[] bytes, int offset, int length);
}
