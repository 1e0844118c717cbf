package io.opensase.dpdk;

/** Linux errno values that DPDK returns and the wrappers explain; constants only. */
final class Errno
{
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EIO = 5;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int EPIPE = 32;
    static final int ENAMETOOLONG = 36;
    static final int ENOTSUP = 95;
    static final int ENOBUFS = 105;
    static final int EALREADY = 114;

    private Errno()
    {
    }
}
