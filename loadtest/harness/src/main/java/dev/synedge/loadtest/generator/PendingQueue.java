package dev.synedge.loadtest.generator;

/**
 * Open-loop requests that are due but have no connection yet, oldest first: their intended
 * start times and whether they are measured. A growable ring, no allocation per request.
 */
final class PendingQueue {

    private long[] starts = new long[64];
    private boolean[] measured = new boolean[64];
    private int head;
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    void add(long start, boolean isMeasured) {
        if (size == starts.length) {
            grow();
        }
        int at = (head + size) & (starts.length - 1);
        starts[at] = start;
        measured[at] = isMeasured;
        size++;
    }

    long peekStart() {
        return starts[head];
    }

    boolean peekMeasured() {
        return measured[head];
    }

    void remove() {
        head = (head + 1) & (starts.length - 1);
        size--;
    }

    private void grow() {
        long[] newStarts = new long[starts.length * 2];
        boolean[] newMeasured = new boolean[starts.length * 2];
        for (int i = 0; i < size; i++) {
            int from = (head + i) & (starts.length - 1);
            newStarts[i] = starts[from];
            newMeasured[i] = measured[from];
        }
        starts = newStarts;
        measured = newMeasured;
        head = 0;
    }
}
