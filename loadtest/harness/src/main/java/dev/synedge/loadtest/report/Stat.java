package dev.synedge.loadtest.report;

import java.util.Arrays;

/**
 * Median, minimum and maximum of a figure over rounds (NaN values, from failed runs or
 * figures a run does not have, are left out).
 */
public record Stat(double median, double min, double max, int n) {

    public static final Stat NONE = new Stat(Double.NaN, Double.NaN, Double.NaN, 0);

    public static Stat of(double... values) {
        double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) {
            return NONE;
        }
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return new Stat(median, v[0], v[v.length - 1], v.length);
    }

    public boolean present() {
        return n > 0;
    }
}
