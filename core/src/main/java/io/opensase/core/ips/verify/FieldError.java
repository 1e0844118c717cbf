package io.opensase.core.ips.verify;

/**
 * A field test that suricata-verify's runner cannot evaluate on an event (its Python raises, and the check
 * fails as an internal error): a name looked up inside a number, {@code __find} on a list, and the like.
 */
final class FieldError extends Exception
{
    FieldError(final String message)
    {
        super(message, null, false, false);
    }
}
