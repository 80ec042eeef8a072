package dev.synedge.listener;

import dev.synedge.net.AddressText;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A listener could not listen on its address. Says whether the address is in use, the usual
 * case (another synedge, or anything else, listens there), so that the command line can say
 * what to do about it in one line rather than print a stack trace.
 */
public final class CannotListen extends IOException {

    private final String listener;
    private final InetSocketAddress address;
    private final boolean addressInUse;

    CannotListen(String listener, InetSocketAddress address, boolean addressInUse, String why, Throwable cause) {
        super("listener " + listener + " cannot listen on " + AddressText.of(address) + ": " + why, cause);
        this.listener = listener;
        this.address = address;
        this.addressInUse = addressInUse;
    }

    /** The listener's name in the configuration. */
    public String listener() {
        return listener;
    }

    public InetSocketAddress address() {
        return address;
    }

    public boolean addressInUse() {
        return addressInUse;
    }
}
