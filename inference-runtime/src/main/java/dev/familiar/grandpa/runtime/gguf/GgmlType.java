package dev.familiar.grandpa.runtime.gguf;

import java.util.HashMap;
import java.util.Map;

/**
 * Tensor data types of ggml and of ik_llama.cpp, with the numbers that make tensor sizes exact:
 * weights per block, bytes per block, and bytes of per-row metadata (ik_llama.cpp's *_KS and *_KT
 * types keep a row scale before the blocks of each row).
 *
 * <p>Row-interleaved variants (_R4, _R8) have the sizes of their base types. A type id that is not
 * here is still read; its tensor's size then comes from the file's layout instead.
 */
public enum GgmlType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
    Q4_1(3, 32, 20),
    Q5_0(6, 32, 22),
    Q5_1(7, 32, 24),
    Q8_0(8, 32, 34),
    Q8_1(9, 32, 36),
    Q2_K(10, 256, 84),
    Q3_K(11, 256, 110),
    Q4_K(12, 256, 144),
    Q5_K(13, 256, 176),
    Q6_K(14, 256, 210),
    Q8_K(15, 256, 292),
    IQ2_XXS(16, 256, 66),
    IQ2_XS(17, 256, 74),
    IQ3_XXS(18, 256, 98),
    IQ1_S(19, 256, 50),
    IQ4_NL(20, 32, 18),
    IQ3_S(21, 256, 110),
    IQ2_S(22, 256, 82),
    IQ4_XS(23, 256, 136),
    I8(24, 1, 1),
    I16(25, 1, 2),
    I32(26, 1, 4),
    I64(27, 1, 8),
    F64(28, 1, 8),
    IQ1_M(29, 256, 56),
    BF16(30, 1, 2),
    TQ1_0(34, 256, 54),
    TQ2_0(35, 256, 66),
    MXFP4(39, 32, 17),
    // ik_llama.cpp
    Q6_0(133, 32, 26),
    IQ1_BN(134, 64, 13, 2),
    IQ2_BN(135, 64, 16, 4),
    IQ2_K(137, 256, 76),
    IQ3_K(138, 256, 110),
    IQ4_K(139, 256, 144),
    IQ5_K(140, 256, 176),
    IQ6_K(141, 256, 212),
    IQ4_KS(144, 256, 136, 4),
    IQ2_KS(145, 256, 70, 2),
    IQ4_KSS(146, 256, 128, 4),
    IQ5_KS(152, 256, 168, 4),
    IQ2_KT(153, 256, 68, 4),
    IQ3_KT(154, 256, 100, 4),
    IQ4_KT(155, 256, 128, 4),
    IQ3_KS(156, 256, 102, 2),
    IQ2_KL(157, 256, 86, 2),
    IQ1_KT(158, 256, 56, 4),
    Q4_0_R8(202, 32, 18),
    Q5_0_R4(206, 32, 22),
    Q8_0_R8(208, 32, 34),
    Q2_K_R4(210, 256, 84),
    Q3_K_R4(211, 256, 110),
    Q4_K_R4(212, 256, 144),
    Q5_K_R4(213, 256, 176),
    Q6_K_R4(214, 256, 210),
    IQ4_NL_R4(220, 32, 18),
    IQ4_XS_R8(223, 256, 136),
    Q6_0_R4(233, 32, 26),
    IQ2_K_R4(337, 256, 76),
    IQ3_K_R4(338, 256, 110),
    IQ4_K_R4(339, 256, 144),
    IQ5_K_R4(340, 256, 176),
    IQ4_KS_R4(344, 256, 136, 4);

    private static final Map<Integer, GgmlType> BY_ID = new HashMap<>();

    static {
        for (GgmlType t : values()) {
            BY_ID.put(t.id, t);
        }
    }

    private final int id;
    private final int blockSize;
    private final int typeSize;
    private final int rowMetaSize;

    GgmlType(int id, int blockSize, int typeSize) {
        this(id, blockSize, typeSize, 0);
    }

    GgmlType(int id, int blockSize, int typeSize, int rowMetaSize) {
        this.id = id;
        this.blockSize = blockSize;
        this.typeSize = typeSize;
        this.rowMetaSize = rowMetaSize;
    }

    /** The type with this id, or null when it is not known here. */
    public static GgmlType byId(int id) {
        return BY_ID.get(id);
    }

    public int id() {
        return id;
    }

    /** Weights per block. */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int typeSize() {
        return typeSize;
    }

    /** Bytes stored once per row before its blocks. */
    public int rowMetaSize() {
        return rowMetaSize;
    }

    /** Bytes of one row of {@code n} weights; -1 when {@code n} is not a whole number of blocks. */
    public long rowBytes(long n) {
        if (n % blockSize != 0) {
            return -1;
        }
        return rowMetaSize + n / blockSize * typeSize;
    }
}
