package dev.autoint.core.internal.exec;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * The library's one parallel-for: a persistent pool of {@code T − 1} daemon threads plus the calling thread,
 * which runs {@code T} <em>parts</em> of a piece of work and waits for all of them. Internal: this package is
 * exported only to autoint-eval.
 *
 * <p><b>Parts and threads.</b> {@link #run} calls {@code part.accept(p)} once for every {@code p} in
 * {@code [0, T)}: the caller runs part 0 and worker thread {@code p} always runs part {@code p}. So whatever a
 * part indexes by {@code p} (a workspace, a gradient buffer, a partial sum) is touched by one thread only,
 * and the assignment is the same on every call. {@link #forEach} runs indices {@code [0, n)} instead, handed
 * out in small chunks from a shared counter (load-balanced, so which part runs an index varies between runs):
 * results are deterministic when each index writes only its own output slots and reads only its part's scratch.
 *
 * <p><b>Failures.</b> Both wait for every part to finish, even after a failure or an interrupt, so no worker
 * still writes when they return or throw. Then they throw the failure of the lowest-numbered part that failed
 * (a {@link RuntimeException} or {@link Error} as it is, anything else wrapped in an
 * {@link IllegalStateException}). In {@link #forEach}, parts stop taking new indices once one has failed. If
 * the calling thread is interrupted while it waits, it keeps waiting, restores its interrupt status afterwards
 * and, when no part failed, throws {@link CancellationException}.
 *
 * <p><b>Use.</b> One thread at a time calls {@link #run} or {@link #forEach} (a concurrent or nested call
 * throws {@link IllegalStateException}); {@link #close} stops the workers. A pool of one thread runs
 * everything on the caller and starts no thread. Memory effects: everything the caller did before a call
 * happens-before every part, and every part happens-before the call's return.
 *
 * <p><b>Training</b> (the trainer's {@code ParallelStep}) opens one pool per {@code fit} and runs each phase of a
 * step with {@link #run}: part {@code t} does forward and backward over slice
 * {@code [from + sliceStart(size, T, t), from + sliceStart(size, T, t + 1))} of the batch into its own
 * workspace and gradient buffer, then its part of the step's regions in the reduction and the update.
 *
 * <p><b>Evaluation</b> (one task per user, scratch per thread) uses the one-shot
 * {@link #forEach(int, int, IntFunction, IndexTask)}.
 */
public final class ParallelFor implements AutoCloseable {

    /** The work of one index of {@link #forEach}, with its part's scratch object. */
    @FunctionalInterface
    public interface IndexTask<S> {
        /**
         * Does the work of one index.
         *
         * @param scratch the scratch object of the part running it (made once per part and call)
         * @param index   the index, in {@code [0, n)}
         */
        void run(S scratch, int index);
    }

    /** Indices a part takes from the shared counter at a time in {@link #forEach}. */
    public static final int CHUNK = 8;

    private final int threads;
    private final Thread[] workers; // workers[p] runs part p; workers[0] is unused (the caller runs part 0)
    private final Throwable[] failures;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile IntConsumer body;
    private volatile long generation;
    private volatile Thread waiter;
    private volatile boolean closed;

    /**
     * Starts {@code threads − 1} daemon worker threads named {@code name-1}, {@code name-2}, ...
     *
     * @param threads the number of parts, the caller included (at least 1)
     * @param name    the workers' name prefix
     */
    public ParallelFor(int threads, String name) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.failures = new Throwable[threads];
        this.workers = new Thread[threads];
        for (int p = 1; p < threads; p++) {
            final int part = p;
            Thread t = new Thread(() -> work(part), name + "-" + p);
            t.setDaemon(true);
            workers[p] = t;
        }
        for (int p = 1; p < threads; p++) workers[p].start();
    }

    /**
     * The number of parts, the calling thread included.
     *
     * @return {@code T}
     */
    public int threads() {
        return threads;
    }

    /**
     * The first index of part {@code part} when {@code n} indices are cut into {@code parts} contiguous slices
     * of sizes differing by at most one: slice {@code p} is {@code [sliceStart(n, parts, p), sliceStart(n,
     * parts, p + 1))}.
     *
     * @param n     the number of indices
     * @param parts the number of slices
     * @param part  a slice number in {@code [0, parts]}
     * @return {@code floor(n · part / parts)}
     */
    public static int sliceStart(int n, int parts, int part) {
        return (int) ((long) n * part / parts);
    }

    /**
     * Runs {@code part.accept(p)} for every part {@code p} in {@code [0, threads())}: part 0 on the calling
     * thread, part {@code p} on worker {@code p}; returns when all have finished (see the class comment for
     * failures and interrupts).
     *
     * @param part the work of one part
     */
    public void run(IntConsumer part) {
        if (closed) throw new IllegalStateException("this ParallelFor is closed");
        if (threads == 1) {
            part.accept(0);
            return;
        }
        if (!busy.compareAndSet(false, true)) {
            throw new IllegalStateException("ParallelFor.run called while a call is running (one caller at a time, no nesting)");
        }
        try {
            java.util.Arrays.fill(failures, null);
            waiter = Thread.currentThread();
            body = part;
            pending.set(threads - 1);
            generation++; // publishes body and pending to the workers
            for (int p = 1; p < threads; p++) LockSupport.unpark(workers[p]);
            try {
                part.accept(0);
            } catch (Throwable e) {
                failures[0] = e;
            }
            boolean interrupted = false;
            spinWhile(() -> pending.get() != 0);
            while (pending.get() != 0) {
                LockSupport.park(this);
                if (Thread.interrupted()) interrupted = true; // keep waiting: a worker may still be writing
            }
            body = null;
            if (interrupted) Thread.currentThread().interrupt();
            for (Throwable f : failures) {
                if (f instanceof RuntimeException re) throw re;
                if (f instanceof Error err) throw err;
                if (f != null) throw new IllegalStateException(f);
            }
            if (interrupted) throw new CancellationException("interrupted while waiting for the parallel parts");
        } finally {
            busy.set(false);
        }
    }

    /**
     * Runs {@code task} for every index in {@code [0, n)} on all parts, each part taking {@link #CHUNK}
     * indices at a time from a shared counter, and returns when all are done.
     *
     * @param n       the number of indices (at least 0)
     * @param scratch makes a part's scratch object, given the part number; called at most once per part and
     *                call, on the thread of that part, before its first index (so it may return a
     *                per-part object the caller keeps, or a new one)
     * @param task    the work of one index
     * @param <S>     the scratch type
     */
    public <S> void forEach(int n, IntFunction<? extends S> scratch, IndexTask<? super S> task) {
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        run(part -> {
            S s = null;
            try {
                for (int start; !failed.get() && (start = next.getAndAdd(CHUNK)) < n; ) {
                    if (s == null) s = scratch.apply(part);
                    int end = Math.min(n, start + CHUNK);
                    for (int i = start; i < end; i++) task.run(s, i);
                }
            } catch (Throwable e) {
                failed.set(true);
                throw e;
            }
        });
    }

    /**
     * {@link #forEach(int, IntFunction, IndexTask)} on a pool made for this call and closed after it, with
     * {@code min(threads, ⌈n / CHUNK⌉)} parts (at least 1; one part runs on the caller alone).
     *
     * @param n       the number of indices
     * @param threads the most threads to use, the caller included (at least 1)
     * @param scratch makes a part's scratch object, given the part number
     * @param task    the work of one index
     * @param <S>     the scratch type
     */
    public static <S> void forEach(int n, int threads, IntFunction<? extends S> scratch, IndexTask<? super S> task) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        int t = Math.max(1, Math.min(threads, (n + CHUNK - 1) / CHUNK));
        try (ParallelFor pool = new ParallelFor(t, "autoint-parallel")) {
            pool.forEach(n, scratch, task);
        }
    }

    /** Stops the workers (they finish at once: no call is running). Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (int p = 1; p < threads; p++) LockSupport.unpark(workers[p]);
    }

    /**
     * How long a thread that waits (a worker for the next call, the caller for its workers) checks in a loop
     * before it parks. The phases of a training step follow each other within microseconds, while waking a
     * parked thread on a VM whose idle vCPU has halted can take tens to hundreds; with no more threads than
     * cores, the spin only uses a core that would otherwise idle.
     */
    static final long SPIN_NANOS = 100_000;

    /** Returns once {@code waiting} is false or after {@link #SPIN_NANOS}, whichever comes first. */
    private static void spinWhile(java.util.function.BooleanSupplier waiting) {
        long start = System.nanoTime();
        for (int i = 1; waiting.getAsBoolean(); i++) {
            Thread.onSpinWait();
            if ((i & 63) == 0 && System.nanoTime() - start > SPIN_NANOS) return;
        }
    }

    private void work(int part) {
        long seen = 0;
        while (true) {
            long g;
            final long last = seen;
            spinWhile(() -> generation == last && !closed);
            while ((g = generation) == seen) {
                if (closed) return;
                LockSupport.park(this);
            }
            seen = g;
            try {
                body.accept(part);
            } catch (Throwable e) {
                failures[part] = e;
            }
            if (pending.decrementAndGet() == 0) LockSupport.unpark(waiter);
        }
    }
}
