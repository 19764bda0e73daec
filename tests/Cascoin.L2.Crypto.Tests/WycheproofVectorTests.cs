using Xunit.Abstractions;

namespace Cascoin.L2.Crypto.Tests;

/// <summary>
/// A selection of Wycheproof's ecdsa_secp256k1_sha256_bitcoin vectors (the set libsecp256k1 ships
/// in src/wycheproof), DER signatures rewritten as r || s. The message "313233343030" is hashed
/// with SHA-256. "Bitcoin" means a signature with s &gt; n/2 is invalid.
/// </summary>
public class WycheproofVectorTests(ITestOutputHelper output)
{
    private const string Message = "313233343030";

    public sealed record Vector(int TcId, string PublicKey, string R, string S, bool Valid);

    private const string KeyGroup1 = "04b838ff44e5bc177bf21189d0766082fc9d843226887fc9760371100b7ee20a6f"
                                     + "f0c9d75bfba7b31a6bca1974496eeb56de357071955d83c4b1badaa0b21832e9";

    private static readonly Vector[] Vectors =
    [
        // tcId 1: signature malleability (s > n/2).
        new(1, KeyGroup1,
            "813ef79ccefa9a56f7ba805f0e478584fe5f0dd5f567bc09b5123ccbc9832365",
            "900e75ad233fcc908509dbff5922647db37c21f4afd3203ae8dc4ae7794b0f87", false),
        // tcId 2: the valid low-S twin.
        new(2, KeyGroup1,
            "813ef79ccefa9a56f7ba805f0e478584fe5f0dd5f567bc09b5123ccbc9832365",
            "6ff18a52dcc0336f7af62400a6dd9b810732baf1ff758000d6f613a556eb31ba", true),
        // tcId 378, 379: edge case modular inverse.
        new(378, "04777c8930b6e1d271100fe68ce93f163fa37612c5fff67f4a62fc3bafaf3d17a9"
                 + "ed73d86f60a51b5ed91353a3b054edc0aa92c9ebcbd0b75d188fdc882791d68d",
            "55555555555555555555555555555554e8e4f44ce51835693ff0ca2ef01215c1",
            "4a1e12831fbe93627b02d6e7f24bccdd6ef4b2d0f46739eaf3b1eaf0ca117770", true),
        new(379, "04eabc248f626e0a63e1eb81c43d461a39a1dba881eb6ee2152b07c32d71bcf470"
                 + "0603caa8b9d33db13af44c6efbec8a198ed6124ac9eb17eaafd2824a545ec000",
            "55555555555555555555555555555554e8e4f44ce51835693ff0ca2ef01215c1",
            "06c778d4dfff7dee06ed88bc4e0ed34fc553aad67caf796f2a1c6487c1b2e877", true),
        // tcId 386: point at infinity during verify.
        new(386, "04d533b789a4af890fa7a82a1fae58c404f9a62a50b49adafab349c513b4150874"
                 + "01b4171b803e76b34a9861e10f7bc289a066fd01bd29f84c987a10a5fb18c2d4",
            "7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0",
            "55555555555555555555555555555554e8e4f44ce51835693ff0ca2ef01215c0", false),
        // tcId 387: s = (n-1)/2 exactly, the largest low s.
        new(387, "043a3150798c8af69d1e6e981f3a45402ba1d732f4be8330c5164f49e10ec555b4"
                 + "221bd842bc5e4d97eff37165f60e3998a424d72a450cf95ea477c78287d0343a",
            "7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0",
            "7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0", true),
        // tcId 388: s = (n+1)/2, the smallest high s.
        new(388, "043b37df5fb347c69a0f17d85c0c7ca83736883a825e13143d0fcfc8101e851e80"
                 + "0de3c090b6ca21ba543517330c04b12f948c6badf14a63abffdf4ef8c7537026",
            "7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0",
            "7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a1", false),
        // tcId 389: u1 == 1.
        new(389, "04feb5163b0ece30ff3e03c7d55c4380fa2fa81ee2c0354942ff6f08c99d0cd82c"
                 + "e87de05ee1bda089d3e4e248fa0f721102acfffdf50e654be281433999df897e",
            "55555555555555555555555555555554e8e4f44ce51835693ff0ca2ef01215b8",
            "44a5ad0bd0636d9e12bc9e0a6bdd5e1bba77f523842193b3b82e448e05d5f11e", true),
    ];

    public static TheoryData<string, int> BackendAndVector => TestBackends.WithVectors(Vectors.Length);

    [Theory]
    [MemberData(nameof(BackendAndVector))]
    public void Verify_gives_the_published_result(string backendName, int index)
    {
        if (TestBackends.Get(backendName, output) is not { } backend)
            return;
        var vector = Vectors[index];
        var hash = Hashes.Sha256(Hex.Bytes(Message));
        var signature = Hex.Bytes(vector.R + vector.S);
        var uncompressed = Hex.Bytes(vector.PublicKey);

        Assert.Equal(vector.Valid, backend.Verify(hash, signature, uncompressed));

        var compressed = new byte[33];
        Assert.True(backend.TryNormalizePublicKey(uncompressed, compressed), $"tcId {vector.TcId}: public key");
        Assert.Equal(vector.Valid, backend.Verify(hash, signature, compressed));
    }
}
