using System.Text;

namespace Cascoin.L2.Crypto.Tests;

/// <summary>Published SHA-256, SHA-256d and Hash160 values (Bitcoin's HASH256 / HASH160).</summary>
public class HashVectorTests
{
    [Theory]
    [InlineData("hello", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")]
    public void Sha256_matches_published_value(string text, string expected)
    {
        Assert.Equal(expected, Hex.Of(Hashes.Sha256(Encoding.ASCII.GetBytes(text))));
    }

    [Theory]
    [InlineData("", "5df6e0e2761359d30a8275058e299fcc0381534545f55cf43e41983f5d4c9456")]
    [InlineData("abc", "4f8b42c22dd3729b519ba6f68d2da7cc5b2d606d05daed5ad5128cc03e6c6358")]
    [InlineData("hello", "9595c9df90075148eb06860365df33584b75bff782a510c6cd4883a419833d50")]
    public void Sha256d_matches_published_value(string text, string expected)
    {
        var data = Encoding.ASCII.GetBytes(text);
        Assert.Equal(expected, Hex.Of(Hashes.Sha256d(data)));
        Span<byte> output = stackalloc byte[32];
        Hashes.Sha256d(data, output);
        Assert.Equal(expected, Hex.Of(output));
    }

    [Theory]
    [InlineData("", "b472a266d0bd89c13706a4132ccfb16f7c3b9fcb")]
    [InlineData("hello", "b6a9c8c230722b7c748331a8b450f05566dc7d0f")]
    public void Hash160_matches_published_value(string text, string expected)
    {
        Assert.Equal(expected, Hex.Of(Hashes.Hash160(Encoding.ASCII.GetBytes(text))));
    }

    [Fact]
    public void Hash160_of_the_public_key_of_private_key_1_is_the_well_known_one()
    {
        var generator = Hex.Bytes("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
        Assert.Equal("751e76e8199196d454941c45d1b3a323f1433bd6", Hex.Of(Hashes.Hash160(generator)));
        Assert.True(PublicKey.TryParse(generator, out var key));
        Assert.Equal("751e76e8199196d454941c45d1b3a323f1433bd6", Hex.Of(key.Hash160()));
    }
}
