using Cascoin.L2.DataAvailability.Erasure;

namespace Cascoin.L2.DataAvailability.Tests.Erasure;

/// <summary>
/// The published vectors of Backblaze's JavaReedSolomon (the reference klauspost/reedsolomon follows
/// too): its <c>GaloisTest.testWithPythonAnswers</c> and <c>testGenerateLogTable</c> and its
/// <c>ReedSolomonTest.testOneEncode</c> (5 data + 5 parity shards of 2 bytes).
/// </summary>
public sealed class PublishedVectorTests
{
    [Fact]
    public void The_field_matches_the_reference_products_and_powers()
    {
        Assert.Equal(12, GaloisField.Multiply(3, 4));
        Assert.Equal(21, GaloisField.Multiply(7, 7));
        Assert.Equal(41, GaloisField.Multiply(23, 45));
        Assert.Equal(4, GaloisField.Power(2, 2));
        Assert.Equal(235, GaloisField.Power(5, 20));
        Assert.Equal(43, GaloisField.Power(13, 7));
    }

    [Fact]
    public void Polynomial_29_is_the_first_of_the_sixteen_primitive_ones_the_reference_lists()
    {
        // The reference lists every polynomial (low 8 bits) under which 2 generates the field.
        int[] reference = [29, 43, 45, 77, 95, 99, 101, 105, 113, 135, 141, 169, 195, 207, 231, 245];
        var found = Enumerable.Range(0, 256).Where(GeneratesTheField).ToList();
        Assert.Equal(reference, found);
        Assert.Equal(GaloisField.Polynomial, 0x100 | reference[0]);
    }

    private static bool GeneratesTheField(int low)
    {
        var seen = new HashSet<int>();
        var x = 1;
        for (var i = 0; i < 255; i++)
        {
            if (!seen.Add(x))
                return false;
            x <<= 1;
            if (x >= 256)
                x ^= 0x100 | low;
        }
        return x == 1;
    }

    [Fact]
    public void Five_plus_five_parity_of_the_reference_test_one_encode()
    {
        var codec = new ReedSolomon(5, 5);
        byte[][] shards = [[0, 1], [4, 5], [2, 3], [6, 7], [8, 9], new byte[2], new byte[2], new byte[2], new byte[2], new byte[2]];
        codec.EncodeParity(shards);
        Assert.Equal([12, 13], shards[5]);
        Assert.Equal([10, 11], shards[6]);
        Assert.Equal([14, 15], shards[7]);
        Assert.Equal([90, 91], shards[8]);
        Assert.Equal([94, 95], shards[9]);
        Assert.True(codec.IsParityCorrect(shards));
        shards[8][0]++;
        Assert.False(codec.IsParityCorrect(shards));
    }

    [Fact]
    public void Field_arithmetic_is_a_field()
    {
        for (var a = 0; a < 256; a++)
        {
            Assert.Equal((byte)a, GaloisField.Multiply((byte)a, 1));
            if (a == 0)
                continue;
            var inverse = GaloisField.Divide(1, (byte)a);
            Assert.Equal(1, GaloisField.Multiply((byte)a, inverse));
            for (var b = 0; b < 256; b += 7)
            {
                Assert.Equal(GaloisField.Multiply((byte)a, (byte)b), GaloisField.Multiply((byte)b, (byte)a));
                Assert.Equal((byte)b, GaloisField.Divide(GaloisField.Multiply((byte)a, (byte)b), (byte)a));
            }
        }
        Assert.Throws<DivideByZeroException>(() => GaloisField.Divide(1, 0));
    }
}
