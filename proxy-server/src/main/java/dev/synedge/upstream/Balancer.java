package dev.synedge.upstream;

import dev.synedge.config.ClusterConfig;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks an endpoint of a cluster for one exchange, among the candidates a
 * {@link LocalCluster} allows. One instance per cluster and event loop: its state (round
 * robin positions) is never shared between loops.
 */
sealed interface Balancer {

    /** Returns the chosen index, or -1 when no endpoint is a candidate. */
    int pick(LocalCluster cluster, int excluded);

    static Balancer of(ClusterConfig.LoadBalancing policy, int endpoints) {
        return switch (policy) {
            case ROUND_ROBIN -> new SmoothWeightedRoundRobin(endpoints);
            case LEAST_OUTSTANDING -> new PowerOfTwoChoices();
        };
    }

    /**
     * Weighted round robin that interleaves instead of bursting (weights 5:1:1 give
     * a a b a c a a, not a a a a a b c): each pick adds every candidate's weight to its
     * credit and takes the richest, who pays the total back.
     */
    final class SmoothWeightedRoundRobin implements Balancer {
        private final long[] credit;

        SmoothWeightedRoundRobin(int endpoints) {
            this.credit = new long[endpoints];
        }

        @Override
        public int pick(LocalCluster cluster, int excluded) {
            int best = -1;
            long total = 0;
            for (int i = 0; i < credit.length; i++) {
                if (i == excluded || !cluster.available(i)) {
                    continue;
                }
                int weight = cluster.endpoint(i).weight();
                credit[i] += weight;
                total += weight;
                if (best < 0 || credit[i] > credit[best]) {
                    best = i;
                }
            }
            if (best >= 0) {
                credit[best] -= total;
            }
            return best;
        }
    }

    /**
     * Power of two choices: two candidates drawn at random in proportion to weight, the one
     * with fewer exchanges in flight (relative to its weight) wins. Close to least-loaded
     * without scanning or herding.
     */
    final class PowerOfTwoChoices implements Balancer {

        @Override
        public int pick(LocalCluster cluster, int excluded) {
            int totalWeight = 0;
            int candidates = 0;
            int only = -1;
            for (int i = 0; i < cluster.size(); i++) {
                if (i != excluded && cluster.available(i)) {
                    totalWeight += cluster.endpoint(i).weight();
                    candidates++;
                    only = i;
                }
            }
            if (candidates <= 1) {
                return only;
            }
            int first = draw(cluster, excluded, totalWeight, -1);
            int second = draw(cluster, excluded, totalWeight - cluster.endpoint(first).weight(), first);
            long a = (long) cluster.outstanding(first) * cluster.endpoint(second).weight();
            long b = (long) cluster.outstanding(second) * cluster.endpoint(first).weight();
            return a <= b ? first : second;
        }

        private static int draw(LocalCluster cluster, int excluded, int totalWeight, int skip) {
            int ticket = ThreadLocalRandom.current().nextInt(totalWeight);
            for (int i = 0; i < cluster.size(); i++) {
                if (i == excluded || i == skip || !cluster.available(i)) {
                    continue;
                }
                ticket -= cluster.endpoint(i).weight();
                if (ticket < 0) {
                    return i;
                }
            }
            throw new AssertionError("weights changed during a pick");
        }
    }
}
