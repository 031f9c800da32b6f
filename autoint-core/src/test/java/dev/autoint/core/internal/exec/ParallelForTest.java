package dev.autoint.core.internal.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The contract of {@link ParallelFor}: fixed part-to-thread assignment, coverage, failures, interrupts, closing. */
class ParallelForTest {

    @Test
    void partZeroRunsOnTheCallerAndEveryOtherPartAlwaysOnItsOwnWorker() {
        try (ParallelFor pool = new ParallelFor(4, "test")) {
            Thread[] first = new Thread[4];
            pool.run(p -> first[p] = Thread.currentThread());
            assertThat(first[0]).isSameAs(Thread.currentThread());
            assertThat(first).doesNotContainNull().doesNotHaveDuplicates();
            for (int call = 0; call < 200; call++) {
                Thread[] now = new Thread[4];
                pool.run(p -> now[p] = Thread.currentThread());
                assertThat(now).containsExactly(first);
            }
            assertThat(first[3].getName()).isEqualTo("test-3");
            assertThat(first[3].isDaemon()).isTrue();
        }
    }

    @Test
    void forEachRunsEveryIndexExactlyOnceWithOneScratchPerPart() {
        try (ParallelFor pool = new ParallelFor(3, "test")) {
            for (int n : new int[] {0, 1, 7, 8, 9, 1000}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(n, 1));
                AtomicInteger scratches = new AtomicInteger();
                pool.forEach(n, p -> {
                    scratches.incrementAndGet();
                    return new int[] {p};
                }, (s, i) -> hits.incrementAndGet(i));
                for (int i = 0; i < n; i++) assertThat(hits.get(i)).as("n=%d index %d", n, i).isEqualTo(1);
                assertThat(scratches.get()).isBetween(n == 0 ? 0 : 1, 3);
            }
        }
        int[] out = new int[100];
        ParallelFor.forEach(out.length, 5, p -> null, (s, i) -> out[i] = i * i);
        for (int i = 0; i < out.length; i++) assertThat(out[i]).isEqualTo(i * i);
    }

    @Test
    void slicesCoverTheRangeContiguouslyWithSizesDifferingByAtMostOne() {
        for (int n : new int[] {0, 1, 5, 2048, 2049}) {
            for (int parts = 1; parts <= 7; parts++) {
                assertThat(ParallelFor.sliceStart(n, parts, 0)).isZero();
                assertThat(ParallelFor.sliceStart(n, parts, parts)).isEqualTo(n);
                for (int p = 0; p < parts; p++) {
                    int size = ParallelFor.sliceStart(n, parts, p + 1) - ParallelFor.sliceStart(n, parts, p);
                    assertThat(size).isBetween(n / parts, n / parts + 1);
                }
            }
        }
    }

    @Test
    void theLowestFailingPartIsRethrownAfterEveryPartFinished() {
        try (ParallelFor pool = new ParallelFor(3, "test")) {
            AtomicInteger finished = new AtomicInteger();
            assertThatThrownBy(() -> pool.run(p -> {
                try {
                    if (p == 2) {
                        Thread.sleep(50);
                        throw new IllegalArgumentException("part 2");
                    }
                    if (p == 1) throw new IllegalStateException("part 1");
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                } finally {
                    finished.incrementAndGet();
                }
            })).isInstanceOf(IllegalStateException.class).hasMessage("part 1");
            assertThat(finished.get()).isEqualTo(3);
            // the pool is usable after a failure
            AtomicInteger ran = new AtomicInteger();
            pool.run(p -> ran.incrementAndGet());
            assertThat(ran.get()).isEqualTo(3);
        }
    }

    @Test
    void forEachStopsHandingOutIndicesAfterAFailure() {
        try (ParallelFor pool = new ParallelFor(2, "test")) {
            AtomicInteger ran = new AtomicInteger();
            assertThatThrownBy(() -> pool.forEach(100_000, p -> null, (s, i) -> {
                ran.incrementAndGet();
                if (i == 10) throw new ArithmeticException("index 10");
            })).isInstanceOf(ArithmeticException.class);
            assertThat(ran.get()).isLessThan(100_000);
        }
    }

    @Test
    void anInterruptedCallerWaitsForTheWorkersThenThrowsCancellationWithTheFlagRestored() throws Exception {
        try (ParallelFor pool = new ParallelFor(2, "test")) {
            CountDownLatch workerStarted = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger workerDone = new AtomicInteger();
            Thread caller = Thread.currentThread();
            Thread interrupter = new Thread(() -> {
                try {
                    workerStarted.await();
                    caller.interrupt();
                    Thread.sleep(50);
                    release.countDown();
                } catch (InterruptedException e) {
                    release.countDown();
                }
            });
            interrupter.start();
            assertThatThrownBy(() -> pool.run(p -> {
                if (p == 1) {
                    workerStarted.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    workerDone.incrementAndGet();
                }
            })).isInstanceOf(CancellationException.class);
            assertThat(Thread.interrupted()).as("interrupt status restored (and cleared here)").isTrue();
            assertThat(workerDone.get()).as("the worker had finished when run threw").isEqualTo(1);
            interrupter.join();
        }
    }

    @Test
    void nestedCallsAreRefusedAndOneThreadNeedsNoWorker() {
        try (ParallelFor pool = new ParallelFor(2, "test")) {
            assertThatThrownBy(() -> pool.run(p -> {
                if (p == 0) pool.run(q -> { });
            })).isInstanceOf(IllegalStateException.class).hasMessageContaining("one caller at a time");
        }
        try (ParallelFor single = new ParallelFor(1, "test")) {
            Thread[] t = new Thread[1];
            single.run(p -> t[p] = Thread.currentThread());
            assertThat(t[0]).isSameAs(Thread.currentThread());
        }
        assertThatThrownBy(() -> new ParallelFor(0, "test")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeStopsTheWorkersAndRefusesLaterCalls() throws Exception {
        ParallelFor pool = new ParallelFor(3, "test");
        Thread[] threads = new Thread[3];
        pool.run(p -> threads[p] = Thread.currentThread());
        pool.close();
        threads[1].join(10_000);
        threads[2].join(10_000);
        assertThat(threads[1].isAlive()).isFalse();
        assertThat(threads[2].isAlive()).isFalse();
        assertThatThrownBy(() -> pool.run(p -> { })).isInstanceOf(IllegalStateException.class);
    }
}
