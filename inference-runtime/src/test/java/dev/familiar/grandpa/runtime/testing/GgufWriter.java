package dev.familiar.grandpa.runtime.testing;

import dev.familiar.grandpa.runtime.gguf.GgmlType;
import dev.familiar.grandpa.runtime.gguf.GgufReader;
import dev.familiar.grandpa.runtime.gguf.TensorInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes GGUF version 3 files: metadata of every value type, tensor infos, and tensor data, which may
 * be left as a hole (a sparse file) so that a header shaped like a 300 GiB model costs no disk.
 */
public final class GgufWriter {
    /** A metadata value with its GGUF type, for values whose Java type does not say it. */
    public record Typed(int type, Object value) {}

    private record Tensor(String name, long[] dims, int typeId, long bytes, byte[] data) {}

    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private final int alignment;

    public GgufWriter() {
        this(32);
    }

    public GgufWriter(int alignment) {
        this.alignment = alignment;
        if (alignment != 32) {
            metadata.put("general.alignment", new Typed(4, alignment));
        }
    }

    /**
     * Values: String, Boolean, Integer (int32), Long (uint64), Float (float32), Double (float64),
     * a List of those, or a {@link Typed} value for the other GGUF types (uint32 is 4).
     */
    public GgufWriter put(String key, Object value) {
        metadata.put(key, value);
        return this;
    }

    public GgufWriter putU32(String key, long value) {
        return put(key, new Typed(4, value));
    }

    /** A tensor whose data is left as zeros (a hole when the file is written sparse). */
    public GgufWriter tensor(String name, GgmlType type, long... dims) {
        long bytes = TensorInfo.bytesOf(type, dims);
        if (bytes < 0) {
            throw new IllegalArgumentException(name + ": rows of " + dims[0] + " do not fit blocks of " + type.blockSize());
        }
        tensors.add(new Tensor(name, dims, type.id(), bytes, null));
        return this;
    }

    public GgufWriter tensor(String name, GgmlType type, byte[] data, long... dims) {
        long bytes = TensorInfo.bytesOf(type, dims);
        if (bytes != data.length) {
            throw new IllegalArgumentException(name + ": " + data.length + " bytes given, " + bytes + " expected");
        }
        tensors.add(new Tensor(name, dims, type.id(), bytes, data));
        return this;
    }

    /** Writes the file; tensor data without bytes given is left unwritten (sparse). */
    public void write(Path path) {
        byte[] header = header();
        long dataStart = align(header.length);
        try (var file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(0);
            file.write(header);
            long offset = 0;
            for (Tensor t : tensors) {
                if (t.data() != null) {
                    file.seek(dataStart + offset);
                    file.write(t.data());
                }
                offset = align(offset + t.bytes());
            }
            file.setLength(dataStart + offset);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    private byte[] header() {
        var out = new Out();
        out.u32(GgufReader.MAGIC);
        out.u32(3);
        out.u64(tensors.size());
        out.u64(metadata.size());
        metadata.forEach((key, value) -> {
            out.string(key);
            out.value(value, true);
        });
        long offset = 0;
        for (Tensor t : tensors) {
            out.string(t.name());
            out.u32(t.dims().length);
            for (long d : t.dims()) {
                out.u64(d);
            }
            out.u32(t.typeId());
            out.u64(offset);
            offset = align(offset + t.bytes());
        }
        return out.bytes();
    }

    private long align(long n) {
        return (n + alignment - 1) / alignment * alignment;
    }

    private static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        void u8(int v) {
            bytes.write(v);
        }

        void u16(int v) {
            scratch.clear().putShort((short) v);
            bytes.write(scratch.array(), 0, 2);
        }

        void u32(long v) {
            scratch.clear().putInt((int) v);
            bytes.write(scratch.array(), 0, 4);
        }

        void u64(long v) {
            scratch.clear().putLong(v);
            bytes.write(scratch.array(), 0, 8);
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            bytes.write(b, 0, b.length);
        }

        /** Writes the value, preceded by its type when {@code typed}. */
        void value(Object value, boolean typed) {
            int type = typeOf(value);
            if (typed) {
                u32(type);
            }
            Object v = value instanceof Typed t ? t.value() : value;
            switch (type) {
                case 0, 1 -> u8(((Number) v).intValue());
                case 2, 3 -> u16(((Number) v).intValue());
                case 4, 5 -> u32(((Number) v).longValue());
                case 6 -> u32(Float.floatToIntBits(((Number) v).floatValue()));
                case 7 -> u8((Boolean) v ? 1 : 0);
                case 8 -> string((String) v);
                case 9 -> {
                    List<?> list = (List<?>) v;
                    u32(list.isEmpty() ? 8 : typeOf(list.getFirst()));
                    u64(list.size());
                    list.forEach(e -> value(e, false));
                }
                case 10, 11 -> u64(((Number) v).longValue());
                case 12 -> u64(Double.doubleToLongBits(((Number) v).doubleValue()));
                default -> throw new IllegalArgumentException("GGUF value type " + type);
            }
        }

        static int typeOf(Object value) {
            return switch (value) {
                case Typed t -> t.type();
                case String s -> 8;
                case Boolean b -> 7;
                case Integer i -> 5;
                case Long l -> 10;
                case Float f -> 6;
                case Double d -> 12;
                case List<?> l -> 9;
                default -> throw new IllegalArgumentException("no GGUF type for " + value.getClass());
            };
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}
