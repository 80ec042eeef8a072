package dev.synedge.accesslog;

/** Whether a connection's SYN carried data (TCP Fast Open), as far as TCP_INFO tells. */
public enum SynData {
    YES, NO, UNKNOWN;

    /** {@code yes}, {@code no} or {@code unknown}, as logged. */
    String text() {
        return switch (this) {
            case YES -> "yes";
            case NO -> "no";
            case UNKNOWN -> "unknown";
        };
    }
}
