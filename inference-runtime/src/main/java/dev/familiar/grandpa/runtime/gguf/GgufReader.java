package dev.familiar.grandpa.runtime.gguf;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads GGUF headers (versions 2 and 3): metadata and tensor infos, never tensor data, so a 320 GiB
 * model is profiled from a few megabytes. Every length read from the file is checked against what
 * is left of it, so a corrupt or truncated file fails with its name and the byte where it went
 * wrong instead of an out-of-memory error or a hang.
 */
public final class GgufReader {
    public static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    private static final int DEFAULT_ALIGNMENT = 32;
    private static final int MAX_DIMS = 4;
    private static final int MAX_ARRAY_DEPTH = 8;
    /** String arrays longer than this (vocabularies, merges) are walked, not kept. */
    private static final int KEEP_ARRAY_MAX = 4096;
    private static final Pattern SPLIT = Pattern.compile("(.*)-(\\d{5})-of-(\\d{5})\\.gguf");

    private GgufReader() {}

    /** Reads a whole model: the given file, and when it is the first part of a split model, every part. */
    public static GgufModel readModel(Path firstPart) {
        Matcher m = SPLIT.matcher(firstPart.getFileName().toString());
        if (!m.matches()) {
            GgufFile only = read(firstPart, 0);
            return new GgufModel(List.of(only));
        }
        if (Integer.parseInt(m.group(2)) != 1) {
            throw new GgufFormatException(firstPart, 0, "a split model is read from its first part (-00001-of-"
                    + m.group(3) + ".gguf)");
        }
        int count = Integer.parseInt(m.group(3));
        var parts = new ArrayList<GgufFile>(count);
        for (int i = 1; i <= count; i++) {
            Path part = firstPart.resolveSibling(String.format("%s-%05d-of-%05d.gguf", m.group(1), i, count));
            parts.add(read(part, i - 1));
        }
        return new GgufModel(parts);
    }

    public static GgufFile read(Path path) {
        return read(path, 0);
    }

    static GgufFile read(Path path, int part) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return new Parser(path, channel, part).parse();
        } catch (NoSuchFileException e) {
            throw new GgufFormatException(path, "no such file", e);
        } catch (IOException e) {
            throw new GgufFormatException(path, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** One pass over a header through a small buffer; positions are absolute file offsets. */
    private static final class Parser extends HeaderInput {
        private final int part;

        Parser(Path path, FileChannel channel, int part) throws IOException {
            super(path, channel);
            this.part = part;
        }

        GgufFile parse() throws IOException {
            if (size < 4 || u32() != MAGIC) {
                throw fail(0, "not a GGUF file (no GGUF magic)");
            }
            long versionAt = position();
            int version = (int) u32();
            if (version != 2 && version != 3) {
                throw fail(versionAt, "GGUF version " + version + " is not supported (2 and 3 are)");
            }
            long tensorCount = count(position(), u64(), 24, "tensor count");
            long kvCount = count(position(), u64(), 12, "metadata count");
            Map<String, Object> metadata = new LinkedHashMap<>();
            for (long i = 0; i < kvCount; i++) {
                String key = string();
                long typeAt = position();
                int type = (int) u32();
                metadata.put(key, value(type, typeAt, 0));
            }
            int alignment = DEFAULT_ALIGNMENT;
            if (metadata.get("general.alignment") instanceof Number a) {
                alignment = a.intValue();
                if (alignment <= 0 || (alignment & (alignment - 1)) != 0) {
                    throw fail(position(), "general.alignment " + alignment + " is not a power of two");
                }
            }
            record Raw(String name, long[] dims, int typeId, long offset, long at) {}
            var raws = new ArrayList<Raw>((int) Math.min(tensorCount, 100_000));
            for (long i = 0; i < tensorCount; i++) {
                long at = position();
                String name = string();
                long dimsAt = position();
                long nDims = u32();
                if (nDims < 1 || nDims > MAX_DIMS) {
                    throw fail(dimsAt, "tensor " + name + " has " + nDims + " dimensions (1 to 4 allowed)");
                }
                long[] dims = new long[(int) nDims];
                for (int d = 0; d < nDims; d++) {
                    long dimAt = position();
                    dims[d] = u64();
                    if (dims[d] < 0 || dims[d] > (1L << 40)) {
                        throw fail(dimAt, "tensor " + name + " has an impossible dimension " + Long.toUnsignedString(dims[d]));
                    }
                }
                int typeId = (int) u32();
                long offsetAt = position();
                long offset = u64();
                if (offset < 0 || offset % alignment != 0) {
                    throw fail(offsetAt, "tensor " + name + " has data offset " + Long.toUnsignedString(offset)
                            + ", not a multiple of the alignment " + alignment);
                }
                raws.add(new Raw(name, dims, typeId, offset, at));
            }
            long dataStart = align(position(), alignment);
            long dataSize = size - dataStart;
            if (dataSize < 0) {
                throw fail(size, "truncated: the header ends at byte " + dataStart + " but the file has " + size + " bytes");
            }
            // Sizes of unknown types come from where the next tensor starts.
            var byOffset = new ArrayList<>(raws);
            byOffset.sort(Comparator.comparingLong(Raw::offset));
            Map<String, Long> layoutSize = new HashMap<>();
            for (int i = 0; i < byOffset.size(); i++) {
                long end = i + 1 < byOffset.size() ? byOffset.get(i + 1).offset() : dataSize;
                layoutSize.put(byOffset.get(i).name(), end - byOffset.get(i).offset());
            }
            var tensors = new ArrayList<TensorInfo>(raws.size());
            for (Raw r : raws) {
                GgmlType type = GgmlType.byId(r.typeId());
                long bytes;
                try {
                    bytes = TensorInfo.bytesOf(type, r.dims());
                } catch (ArithmeticException e) {
                    throw fail(r.at(), "tensor " + r.name() + " is too large to address");
                }
                if (type != null && bytes < 0) {
                    throw fail(r.at(), "tensor " + r.name() + " of type " + type + " has rows of " + r.dims()[0]
                            + " weights, not a multiple of its block of " + type.blockSize());
                }
                if (bytes < 0) {
                    bytes = layoutSize.get(r.name());
                }
                if (r.offset() + bytes > dataSize) {
                    throw fail(size, "truncated: tensor " + r.name() + " ends at byte " + (dataStart + r.offset() + bytes)
                            + " but the file has " + size + " bytes");
                }
                tensors.add(new TensorInfo(r.name(), r.dims(), r.typeId(), type, r.offset(), bytes, part));
            }
            return new GgufFile(path(), version, metadata, tensors, alignment, dataStart, size);
        }

        private Object value(int type, long typeAt, int depth) throws IOException {
            return switch (type) {
                case 0 -> u8();
                case 1 -> (byte) u8();
                case 2 -> u16();
                case 3 -> (short) u16();
                case 4 -> u32();
                case 5 -> (int) u32();
                case 6 -> Float.intBitsToFloat((int) u32());
                case 7 -> bool();
                case 8 -> string();
                case 9 -> array(depth);
                case 10 -> u64();
                case 11 -> u64();
                case 12 -> Double.longBitsToDouble(u64());
                default -> throw fail(typeAt, "unknown metadata value type " + type);
            };
        }

        private Object array(int depth) throws IOException {
            if (depth >= MAX_ARRAY_DEPTH) {
                throw fail(position(), "metadata arrays nested deeper than " + MAX_ARRAY_DEPTH);
            }
            long typeAt = position();
            int elementType = (int) u32();
            int minSize = switch (elementType) {
                case 0, 1, 7 -> 1;
                case 2, 3 -> 2;
                case 4, 5, 6 -> 4;
                case 8, 10, 11, 12 -> 8;
                case 9 -> 12;
                default -> throw fail(typeAt, "unknown metadata array element type " + elementType);
            };
            long length = count(position(), u64(), minSize, "array length");
            if (elementType == 8 && length > KEEP_ARRAY_MAX) {
                for (long i = 0; i < length; i++) {
                    long at = position();
                    long n = u64();
                    if (n < 0 || n > remaining()) {
                        throw fail(at, "string of " + Long.toUnsignedString(n) + " bytes runs past the end of the file");
                    }
                    skip(n);
                }
                return new GgufFile.SkippedArray("string", length);
            }
            var values = new ArrayList<Object>((int) Math.min(length, KEEP_ARRAY_MAX));
            for (long i = 0; i < length; i++) {
                values.add(value(elementType, typeAt, depth + 1));
            }
            return values;
        }
    }

    private static long align(long position, int alignment) {
        return (position + alignment - 1) / alignment * alignment;
    }
}
