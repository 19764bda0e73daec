namespace Cascoin.L2.DataAvailability.Erasure;

/// <summary>
/// GF(2⁸) with the generating polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D) and generator 2 — the field of
/// Backblaze's JavaReedSolomon and klauspost/reedsolomon, so their published vectors apply. Addition is
/// XOR; multiplication is a table lookup (a full 256 × 256 table, 64 KiB, so a coding loop multiplies
/// a shard by a constant through one row).
/// </summary>
public static class GaloisField
{
    public const int Polynomial = 0x11D;

    private static readonly byte[] Exp = new byte[510];
    private static readonly int[] Log = new int[256];
    private static readonly byte[] Products = new byte[256 * 256];

    static GaloisField()
    {
        var x = 1;
        for (var i = 0; i < 255; i++)
        {
            Exp[i] = Exp[i + 255] = (byte)x;
            Log[x] = i;
            x <<= 1;
            if (x >= 256)
                x ^= Polynomial;
        }
        for (var a = 1; a < 256; a++)
        {
            for (var b = 1; b < 256; b++)
                Products[(a << 8) | b] = Exp[Log[a] + Log[b]];
        }
    }

    public static byte Add(byte a, byte b) => (byte)(a ^ b);

    public static byte Multiply(byte a, byte b) => Products[(a << 8) | b];

    /// <summary>The 256 products of <paramref name="factor"/> with every byte: a coding loop's lookup row.</summary>
    public static ReadOnlySpan<byte> MultiplicationRow(byte factor) => Products.AsSpan(factor << 8, 256);

    public static byte Divide(byte a, byte b)
    {
        if (b == 0)
            throw new DivideByZeroException("division by zero in GF(2^8)");
        return a == 0 ? (byte)0 : Exp[Log[a] - Log[b] + 255];
    }

    /// <summary><paramref name="a"/> to the power <paramref name="n"/>; 0⁰ is 1.</summary>
    public static byte Power(byte a, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (n == 0)
            return 1;
        return a == 0 ? (byte)0 : Exp[(int)((long)Log[a] * n % 255)];
    }
}
