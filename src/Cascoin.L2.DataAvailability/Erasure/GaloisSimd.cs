using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cascoin.L2.DataAvailability.Erasure;

/// <summary>
/// Multiplying a run of bytes by one constant in GF(2⁸) with byte shuffles: c·b = c·(b &amp; 15) ⊕ c·(b &amp; 240),
/// each half looked up in a 16-entry table by PSHUFB, 32 bytes at a time (AVX2) or 16 (SSSE3) — the
/// technique of ISA-L and klauspost/reedsolomon. The tables come from <see cref="GaloisField"/>, so
/// the results are the scalar ones (a property test compares them).
/// </summary>
internal static class GaloisSimd
{
    /// <summary>For each factor: c·x for x = 0..15, then c·(x &lt;&lt; 4) for x = 0..15.</summary>
    private static readonly byte[] Tables = BuildTables();

    private static byte[] BuildTables()
    {
        var tables = new byte[256 * 32];
        for (var c = 0; c < 256; c++)
        {
            for (var x = 0; x < 16; x++)
            {
                tables[c * 32 + x] = GaloisField.Multiply((byte)c, (byte)x);
                tables[c * 32 + 16 + x] = GaloisField.Multiply((byte)c, (byte)(x << 4));
            }
        }
        return tables;
    }

    /// <summary>output[i] ^= factor × input[i] for as many leading bytes as the vector width covers; returns how many were done.</summary>
    public static int MultiplyAdd(byte factor, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (output.Length < input.Length)
            throw new ArgumentException("the output is shorter than the input", nameof(output));
        ref var tables = ref Tables[factor * 32];
        var low128 = Unsafe.ReadUnaligned<Vector128<byte>>(ref tables);
        var high128 = Unsafe.ReadUnaligned<Vector128<byte>>(ref Unsafe.Add(ref tables, 16));
        ref var source = ref MemoryMarshal.GetReference(input);
        ref var target = ref MemoryMarshal.GetReference(output);
        var done = 0;
        if (Avx2.IsSupported)
        {
            var low = Vector256.Create(low128, low128);
            var high = Vector256.Create(high128, high128);
            var mask = Vector256.Create((byte)0x0F);
            for (; done + 32 <= input.Length; done += 32)
            {
                var bytes = Unsafe.ReadUnaligned<Vector256<byte>>(ref Unsafe.Add(ref source, done));
                var product = Avx2.Shuffle(low, bytes & mask) ^ Avx2.Shuffle(high, Avx2.ShiftRightLogical(bytes.AsUInt16(), 4).AsByte() & mask);
                ref var slot = ref Unsafe.Add(ref target, done);
                Unsafe.WriteUnaligned(ref slot, Unsafe.ReadUnaligned<Vector256<byte>>(ref slot) ^ product);
            }
        }
        if (Ssse3.IsSupported)
        {
            var mask = Vector128.Create((byte)0x0F);
            for (; done + 16 <= input.Length; done += 16)
            {
                var bytes = Unsafe.ReadUnaligned<Vector128<byte>>(ref Unsafe.Add(ref source, done));
                var product = Ssse3.Shuffle(low128, bytes & mask) ^ Ssse3.Shuffle(high128, Sse2.ShiftRightLogical(bytes.AsUInt16(), 4).AsByte() & mask);
                ref var slot = ref Unsafe.Add(ref target, done);
                Unsafe.WriteUnaligned(ref slot, Unsafe.ReadUnaligned<Vector128<byte>>(ref slot) ^ product);
            }
        }
        return done;
    }
}
