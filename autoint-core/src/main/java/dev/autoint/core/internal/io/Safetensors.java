package dev.autoint.core.internal.io;

import dev.autoint.core.io.ModelFileException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, N bytes of
 * JSON mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets into
 * the data that follows) plus an optional {@code "__metadata__"} string map, then the raw little-endian
 * tensor bytes. Python reads these files with {@code safetensors.numpy.load_file} or a few lines of numpy
 * ({@code tools/read_safetensors.py}). Tensors are F32 ({@code float[]}), I32 ({@code int[]}) or I64
 * ({@code long[]}): model weights are F32, the columns of stored datasets use all three.
 *
 * <p>On write, the SHA-256 of the data section goes into the metadata as {@value #SHA256_KEY}; on read it
 * is verified, so flipped bytes are reported instead of loaded as weights.
 */
public final class Safetensors {

    public static final String SHA256_KEY = "autoint.data_sha256";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    /**
     * One tensor: name, shape and values, a {@code float[]} (F32), {@code int[]} (I32) or {@code long[]} (I64).
     */
    public record Tensor(String name, int[] shape, Object data) {
        public Tensor {
            if (!(data instanceof float[] || data instanceof int[] || data instanceof long[])) {
                throw new IllegalArgumentException("tensor '" + name + "': values must be float[], int[] or long[]");
            }
        }

        /** A one-dimensional tensor. */
        public static Tensor vector(String name, Object data) {
            return new Tensor(name, new int[] {java.lang.reflect.Array.getLength(data)}, data);
        }

        /** The F32 values; IllegalStateException for another dtype. */
        public float[] values() {
            if (data instanceof float[] f) return f;
            throw new IllegalStateException("tensor '" + name + "' is " + dtype() + ", not F32");
        }

        /** The I32 values; IllegalStateException for another dtype. */
        public int[] ints() {
            if (data instanceof int[] i) return i;
            throw new IllegalStateException("tensor '" + name + "' is " + dtype() + ", not I32");
        }

        /** The I64 values; IllegalStateException for another dtype. */
        public long[] longs() {
            if (data instanceof long[] l) return l;
            throw new IllegalStateException("tensor '" + name + "' is " + dtype() + ", not I64");
        }

        /** "F32", "I32" or "I64". */
        public String dtype() {
            return data instanceof float[] ? "F32" : data instanceof int[] ? "I32" : "I64";
        }

        int length() {
            return java.lang.reflect.Array.getLength(data);
        }

        int elementBytes() {
            return data instanceof long[] ? 8 : 4;
        }
    }

    /** A file's tensors (in file order) and metadata. */
    public record Contents(List<Tensor> tensors, Map<String, String> metadata) {
        public Tensor get(String name) {
            for (Tensor t : tensors) if (t.name.equals(name)) return t;
            return null;
        }
    }

    private Safetensors() {
    }

    /** Writes the tensors atomically. */
    public static void write(Path file, List<Tensor> tensors, Map<String, String> metadata) throws IOException {
        long dataBytes = 0;
        for (Tensor t : tensors) {
            long size = 1;
            for (int d : t.shape) size *= d;
            if (size != t.length()) {
                throw new IllegalArgumentException("tensor '" + t.name + "': shape " + java.util.Arrays.toString(t.shape)
                        + " needs " + size + " values, got " + t.length());
            }
            dataBytes += (long) t.elementBytes() * size;
        }
        if (dataBytes > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("tensors exceed 2 GiB");
        ByteBuffer data = ByteBuffer.allocate((int) dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        ObjectNode header = JSON.createObjectNode();
        long pos = 0;
        for (Tensor t : tensors) {
            ObjectNode e = header.putObject(t.name);
            e.put("dtype", t.dtype());
            ArrayNode shape = e.putArray("shape");
            for (int d : t.shape) shape.add(d);
            ArrayNode off = e.putArray("data_offsets");
            off.add(pos);
            pos += (long) t.elementBytes() * t.length();
            off.add(pos);
            if (t.data instanceof float[] f) {
                for (float v : f) data.putFloat(v);
            } else if (t.data instanceof int[] a) {
                for (int v : a) data.putInt(v);
            } else {
                for (long v : (long[]) t.data) data.putLong(v);
            }
        }
        ObjectNode meta = header.putObject("__metadata__");
        metadata.forEach(meta::put);
        meta.put(SHA256_KEY, Digests.sha256(data.array()));
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) & ~7; // align the data section to 8 bytes, padding with spaces
        byte[] head = new byte[8 + padded];
        ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        System.arraycopy(json, 0, head, 8, json.length);
        for (int i = 8 + json.length; i < head.length; i++) head[i] = ' ';
        AtomicFiles.write(file, out -> {
            out.write(head);
            out.write(data.array());
        });
    }

    /** Reads and validates a whole file. */
    public static Contents read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelFileException(file, "no such file");
        }
        if (bytes.length < 8) {
            throw new ModelFileException(file, "truncated: " + bytes.length + " bytes, not even a safetensors header length");
        }
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n <= 0 || n > MAX_HEADER || n > bytes.length - 8L) {
            throw new ModelFileException(file, "truncated or not a safetensors file: header length " + n
                    + " with " + (bytes.length - 8) + " bytes after it");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ModelFileException(file, "the safetensors header is not valid JSON: " + e.getMessage(), e);
        }
        if (header == null || !header.isObject()) {
            throw new ModelFileException(file, "the safetensors header is not a JSON object");
        }
        int dataStart = 8 + (int) n;
        int dataLen = bytes.length - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Tensor> tensors = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long maxEnd = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (name.equals("__metadata__")) {
                v.fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            String dtype = v.path("dtype").asText("");
            JsonNode shapeNode = v.path("shape");
            JsonNode offs = v.path("data_offsets");
            int elementBytes = switch (dtype) {
                case "F32", "I32" -> 4;
                case "I64" -> 8;
                default -> 0;
            };
            if (elementBytes == 0) {
                problems.add("tensor '" + name + "' has dtype '" + dtype + "', expected F32, I32 or I64");
                continue;
            }
            if (!shapeNode.isArray() || !offs.isArray() || offs.size() != 2) {
                problems.add("tensor '" + name + "' lacks a shape or data_offsets");
                continue;
            }
            int[] shape = new int[shapeNode.size()];
            long size = 1;
            boolean badShape = false;
            for (int i = 0; i < shape.length; i++) {
                long d = shapeNode.get(i).asLong(-1);
                if (d < 0 || d > Integer.MAX_VALUE) badShape = true;
                shape[i] = (int) d;
                size *= Math.max(d, 0);
            }
            long begin = offs.get(0).asLong(-1), end = offs.get(1).asLong(-1);
            if (badShape || begin < 0 || end < begin || end - begin != elementBytes * size) {
                problems.add("tensor '" + name + "': data_offsets [" + begin + ", " + end + "] do not fit shape "
                        + java.util.Arrays.toString(shape));
                continue;
            }
            maxEnd = Math.max(maxEnd, end);
            if (end > dataLen) {
                continue; // reported below as truncation
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes, dataStart + (int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
            Object values;
            switch (dtype) {
                case "F32" -> {
                    float[] f = new float[(int) size];
                    buf.asFloatBuffer().get(f);
                    values = f;
                }
                case "I32" -> {
                    int[] a = new int[(int) size];
                    buf.asIntBuffer().get(a);
                    values = a;
                }
                default -> {
                    long[] l = new long[(int) size];
                    buf.asLongBuffer().get(l);
                    values = l;
                }
            }
            tensors.add(new Tensor(name, shape, values));
        }
        if (maxEnd > dataLen) {
            throw new ModelFileException(file, "truncated: the header describes " + maxEnd + " data bytes but only "
                    + dataLen + " follow it");
        }
        if (!problems.isEmpty()) {
            throw new ModelFileException(file, String.join("; ", problems));
        }
        String expected = metadata.get(SHA256_KEY);
        if (expected != null) {
            byte[] data = java.util.Arrays.copyOfRange(bytes, dataStart, bytes.length);
            String actual = Digests.sha256(data);
            if (!actual.equals(expected)) {
                throw new ModelFileException(file, "corrupted: the tensor data's SHA-256 is " + actual
                        + ", the header records " + expected);
            }
        }
        return new Contents(tensors, metadata);
    }
}
