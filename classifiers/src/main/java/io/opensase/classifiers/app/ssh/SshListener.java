package io.opensase.classifiers.app.ssh;

/** Hears each direction's banner; the {@link SshBanner} is reused after the call returns. */
@FunctionalInterface
public interface SshListener
{
    void onBanner(int flow, int direction, SshBanner banner);
}
