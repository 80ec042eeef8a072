package dev.synedge.net;

import java.io.IOException;

/**
 * A system call failed. The message names the call, what it was applied to and errno's
 * symbolic name, e.g. {@code setsockopt(TCP_FASTOPEN_KEY): EINVAL}.
 */
public final class NativeException extends IOException {

    private final String call;
    private final String subject;
    private final int errno;

    public NativeException(String call, String subject, int errno) {
        super(call + "(" + subject + "): " + Errno.name(errno));
        this.call = call;
        this.subject = subject;
        this.errno = errno;
    }

    /** The system call, e.g. {@code setsockopt}. */
    public String call() {
        return call;
    }

    /** What the call was applied to: an option name, an address, a size. */
    public String subject() {
        return subject;
    }

    public int errno() {
        return errno;
    }

    public String errnoName() {
        return Errno.name(errno);
    }
}
