package dev.synedge.loadtest.proc;

/**
 * CPU time and resident memory of a process tree at one moment.
 *
 * @param cpuNanos  user + system CPU time of every process in the tree, since each started
 * @param rssBytes  sum of the processes' resident set sizes ({@code VmRSS}; pages shared
 *                  between them, like nginx's code, count once per process)
 * @param processes how many processes were summed
 */
public record ProcessUsage(long cpuNanos, long rssBytes, int processes) {

    public static final ProcessUsage NONE = new ProcessUsage(0, 0, 0);

    public double cpuSeconds() {
        return cpuNanos / 1e9;
    }
}
