package dev.autoint.eval.bundle;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.internal.exec.ParallelFor;
import dev.autoint.core.internal.io.AtomicFiles;
import dev.autoint.core.model.Predictor;
import dev.autoint.data.table.DelimitedFormat;
import dev.autoint.data.table.DelimitedReader;
import dev.autoint.data.table.TableEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;

/**
 * Scores every row of a delimited file with a bundle trained on a schema and writes {@code line,probability}
 * (the file line a row starts on, the click probability with six decimals) to a CSV file, atomically.
 * Memory does not grow with the file: a reader thread parses and encodes {@code chunkRows} rows at a time
 * ({@link DelimitedReader#stream}) while the calling thread and {@code threads - 1} workers score the
 * previous chunk, at most two chunks ahead. The label column is not needed.
 */
public final class FilePredictor {

    /**
     * What a run did: rows scored, seconds taken.
     *
     * @param rows    rows scored
     * @param seconds wall-clock seconds, reading and writing included
     */
    public record Result(long rows, double seconds) {
        /**
         * Throughput of the run.
         *
         * @return {@code rows / seconds}
         */
        public double rowsPerSecond() {
            return rows / seconds;
        }
    }

    /** Rows per chunk unless told otherwise. */
    public static final int DEFAULT_CHUNK = 16_384;

    private record Chunk(EncodedDataset rows, long[] lines, Throwable failure) {
    }

    private static final Chunk END = new Chunk(null, null, null);

    private FilePredictor() {
    }

    /**
     * Scores every row of {@code in} and writes {@code out}. Nothing is written to {@code out} when a row
     * cannot be read or scoring fails.
     *
     * @param bundle    a bundle whose encoder is a {@link TableEncoder}
     * @param in        the rows to score, in the bundle's schema (the label column may be absent)
     * @param format    how {@code in} is delimited
     * @param out       the CSV file to write (replaced atomically when complete)
     * @param threads   scoring threads (at least 1), besides the reader
     * @param chunkRows rows per chunk (at least 1)
     * @return the rows scored and the time taken
     * @throws IllegalArgumentException if the bundle has no table encoder, or {@code threads} or {@code chunkRows} is below 1
     * @throws dev.autoint.data.DataFormatException if {@code in} is missing, empty or holds a bad line
     * @throws IOException              if a file cannot be read or written
     */
    public static Result predict(ModelBundle bundle, Path in, DelimitedFormat format, Path out, int threads, int chunkRows)
            throws IOException {
        if (!(bundle.encoder() instanceof TableEncoder enc)) {
            throw new IllegalArgumentException("scoring a file needs a bundle trained with a schema (a table encoder)");
        }
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (chunkRows < 1) throw new IllegalArgumentException("chunkRows must be >= 1, got " + chunkRows);
        Objects.requireNonNull(format, "format");
        long t0 = System.nanoTime();
        Predictor p = bundle.predictor();
        BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(2);
        Thread reader = new Thread(() -> {
            Chunk last = END;
            try {
                DelimitedReader.stream(in, enc.schema(), format, chunkRows, (raw, lines) -> put(queue, new Chunk(enc.encode(raw), lines, null)));
            } catch (Throwable e) {
                last = new Chunk(null, null, e);
            }
            put(queue, last);
        }, "autoint-predict-reader");
        reader.setDaemon(true);
        long[] count = new long[1];
        try (ParallelFor pool = new ParallelFor(threads, "autoint-predict")) {
            reader.start();
            AtomicFiles.write(out, os -> {
                byte[] line = new byte[64];
                os.write("line,probability\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                float[] probs = new float[0];
                while (true) {
                    Chunk c = take(queue);
                    if (c == END) break;
                    if (c.failure != null) throw rethrow(c.failure);
                    int n = c.rows.size();
                    if (probs.length < n) probs = new float[n];
                    score(p, c.rows, probs, pool);
                    for (int i = 0; i < n; i++) {
                        int len = format(c.lines[i], probs[i], line);
                        os.write(line, 0, len);
                    }
                    count[0] += n;
                }
            });
        } finally {
            reader.interrupt();
        }
        return new Result(count[0], (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Rows per unit of work: {@link ParallelFor#forEach} hands out {@link ParallelFor#CHUNK} units (1,024 rows)
     * at a time until the chunk is done, so no thread waits on a slow one (a worker preempted by the reader).
     */
    private static final int UNIT = 128;

    private static void score(Predictor p, EncodedDataset rows, float[] out, ParallelFor pool) throws IOException {
        int n = rows.size();
        int units = (n + UNIT - 1) / UNIT;
        try {
            pool.forEach(units, part -> null, (s, u) -> {
                int from = u * UNIT;
                p.predict(rows, null, from, Math.min(UNIT, n - from), out, from, true);
            });
        } catch (CancellationException e) {
            throw new java.io.InterruptedIOException("interrupted while scoring");
        }
    }

    /** Writes {@code line,0.dddddd\n} as ASCII into {@code buf}; returns the length. */
    static int format(long line, float p, byte[] buf) {
        int pos = 0;
        String l = Long.toString(line);
        for (int i = 0; i < l.length(); i++) buf[pos++] = (byte) l.charAt(i);
        buf[pos++] = ',';
        long micro = Math.round((double) p * 1_000_000.0);
        if (micro < 0) micro = 0;
        if (micro > 1_000_000) micro = 1_000_000;
        buf[pos++] = (byte) ('0' + micro / 1_000_000);
        buf[pos++] = '.';
        long frac = micro % 1_000_000;
        for (int d = 100_000; d >= 1; d /= 10) {
            buf[pos++] = (byte) ('0' + frac / d % 10);
        }
        buf[pos++] = '\n';
        return pos;
    }

    private static void put(BlockingQueue<Chunk> q, Chunk c) {
        try {
            q.put(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted"));
        }
    }

    private static Chunk take(BlockingQueue<Chunk> q) throws IOException {
        try {
            return q.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading");
        }
    }

    private static IOException rethrow(Throwable t) {
        if (t instanceof IOException io) return io;
        if (t instanceof UncheckedIOException u) return u.getCause();
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        return new IOException(t);
    }

}
