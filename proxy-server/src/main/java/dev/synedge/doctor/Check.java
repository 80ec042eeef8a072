package dev.synedge.doctor;

import java.util.List;

/**
 * One finding of the doctor.
 *
 * @param topic    what was checked, e.g. "TCP Fast Open, server side"
 * @param status   the verdict
 * @param details  what was seen, one fact per line
 * @param fix      the exact command or package that fixes a problem; empty when none is needed
 * @param required whether the configuration (or, without one, synedge's defaults) needs it
 */
public record Check(String topic, Status status, List<String> details, String fix, boolean required) {

    public enum Status { OK, WARN, MISSING }

    public Check {
        details = List.copyOf(details);
    }

    /** A problem that makes a required feature unusable: doctor exits non-zero. */
    public boolean blocking() {
        return required && status == Status.MISSING;
    }
}
