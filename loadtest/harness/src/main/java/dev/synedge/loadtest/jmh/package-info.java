/**
 * JMH microbenchmarks: request-head parsing and rewriting, route matching, {@code TCP_INFO}
 * reads. Run them with {@code bin/synedge jmh [JMH options] [benchmark regex]}; figures go in
 * the READMEs and BENCHMARKS.md, never in tests.
 */
package dev.synedge.loadtest.jmh;
