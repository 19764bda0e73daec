using System.Security.Cryptography;
using Cascoin.L2.Chain;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Node.Configuration;

/// <summary>
/// The regtest development chain that a fresh `cascoind -regtest` runs until chains are deployed on
/// the settlement layer: chain id 1 and a genesis funding one well-known development account.
/// Its key is public (README.md prints its WIF), like the test accounts of other development
/// chains: never send anything of value to it.
/// </summary>
public static class DevelopmentChain
{
    public const ulong ChainId = 1;

    /// <summary>2026-01-01T00:00:00Z: fixed, so every regtest node derives the same genesis block.</summary>
    public const ulong GenesisTimestamp = 1_767_225_600_000;

    public static readonly Amount DevelopmentBalance = Amount.FromCas(1_000_000);

    /// <summary>SHA-256 of a published phrase: anyone can rebuild the key, which is the point.</summary>
    private static byte[] DevelopmentKeyBytes() => SHA256.HashData("cascoin-l2 regtest development account"u8);

    public static PrivateKey DevelopmentKey() => PrivateKey.FromBytes(DevelopmentKeyBytes())
        ?? throw new InvalidOperationException("the development key phrase does not give a valid key");

    public static Address DevelopmentAddress
    {
        get
        {
            using var key = DevelopmentKey();
            return Address.FromPublicKey(key.PublicKey.AsSpan());
        }
    }

    public static string DevelopmentWif(NetworkParameters network) => Wif.Encode(DevelopmentKeyBytes(), compressed: true, network);

    public static GenesisSpec Genesis => new(GenesisTimestamp, [new GenesisAllocation(DevelopmentAddress, DevelopmentBalance)]);
}
