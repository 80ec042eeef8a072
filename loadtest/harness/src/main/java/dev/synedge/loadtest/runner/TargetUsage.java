package dev.synedge.loadtest.runner;

/**
 * What a target's process tree used while one run was measured.
 *
 * @param cpuSeconds   user + system CPU seconds between the start and the end of measuring
 * @param rssStart     resident bytes when measuring started
 * @param rssEnd       resident bytes when measuring ended
 * @param rssPeak      largest resident size seen (sampled every 200 ms, and at both ends)
 * @param processes    processes summed (nginx: master + workers)
 */
public record TargetUsage(double cpuSeconds, long rssStart, long rssEnd, long rssPeak, int processes) {}
