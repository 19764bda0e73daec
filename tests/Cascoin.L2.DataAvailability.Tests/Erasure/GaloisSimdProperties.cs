using Cascoin.L2.DataAvailability.Erasure;
using FsCheck.Xunit;

namespace Cascoin.L2.DataAvailability.Tests.Erasure;

/// <summary>The shuffle-based multiply gives the field's products byte for byte, at every length and offset.</summary>
public sealed class GaloisSimdProperties
{
    [Property(MaxTest = 300)]
    public void Shuffled_products_equal_the_table_products(byte factor, byte[] input, byte[] start)
    {
        input ??= [];
        var output = new byte[input.Length];
        for (var i = 0; i < output.Length; i++)
            output[i] = start is { Length: > 0 } ? start[i % start.Length] : (byte)i;
        var expected = output.Select((o, i) => (byte)(o ^ GaloisField.Multiply(factor, input[i]))).ToArray();

        var done = GaloisSimd.MultiplyAdd(factor, input, output);
        for (var i = done; i < input.Length; i++)
            output[i] ^= GaloisField.Multiply(factor, input[i]);

        Assert.Equal(expected, output);
    }

    [Fact]
    public void Every_factor_times_every_byte_matches_in_one_vector_run()
    {
        var input = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        for (var factor = 0; factor < 256; factor++)
        {
            var output = new byte[256];
            var done = GaloisSimd.MultiplyAdd((byte)factor, input, output);
            for (var i = 0; i < done; i++)
                Assert.Equal(GaloisField.Multiply((byte)factor, (byte)i), output[i]);
        }
    }
}
