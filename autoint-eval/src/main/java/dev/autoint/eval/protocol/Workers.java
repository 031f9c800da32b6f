package dev.autoint.eval.protocol;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs a task over indices 0..n-1 on a fixed number of threads, each with its own scratch
 * object. Every index writes only its own output slots, so results do not depend on scheduling.
 */
final class Workers {

    interface Task<S> {
        void run(S scratch, int index);
    }

    private static final int CHUNK = 8;

    private Workers() {
    }

    static <S> void forEach(int n, int threads, Supplier<S> scratch, Task<S> task) {
        int t = Math.max(1, Math.min(threads, (n + CHUNK - 1) / CHUNK));
        if (t == 1) {
            S s = scratch.get();
            for (int i = 0; i < n; i++) {
                task.run(s, i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] pool = new Thread[t];
        for (int w = 0; w < t; w++) {
            pool[w] = new Thread(() -> {
                try {
                    S s = scratch.get();
                    while (failure.get() == null) {
                        int start = next.getAndAdd(CHUNK);
                        if (start >= n) {
                            break;
                        }
                        int end = Math.min(n, start + CHUNK);
                        for (int i = start; i < end; i++) {
                            task.run(s, i);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "autoint-eval-" + w);
            pool[w].setDaemon(true);
            pool[w].start();
        }
        for (Thread th : pool) {
            boolean interrupted = false;
            while (true) {
                try {
                    th.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException re) {
            throw re;
        }
        if (f instanceof Error er) {
            throw er;
        }
        if (f != null) {
            throw new IllegalStateException(f);
        }
    }
}
