using Cascoin.L2.Primitives;

namespace Cascoin.L2.Primitives.Tests;

/// <summary>
/// Bitcoin's prefixes on top of our parameters, so Bitcoin Core's and the BIPs' published vectors
/// can be checked against the same code paths our own networks use.
/// </summary>
internal static class TestNetworks
{
    public static NetworkParameters BitcoinMain { get; } =
        NetworkParameters.Main with { PubKeyHashPrefix = 0, SecretKeyPrefix = 128, Bech32Hrp = "bc" };

    /// <summary>testnet4 and signet share these prefixes.</summary>
    public static NetworkParameters BitcoinTest { get; } =
        NetworkParameters.Test with { PubKeyHashPrefix = 111, SecretKeyPrefix = 239, Bech32Hrp = "tb" };

    public static NetworkParameters BitcoinRegtest { get; } =
        NetworkParameters.Regtest with { PubKeyHashPrefix = 111, SecretKeyPrefix = 239, Bech32Hrp = "bcrt" };

    public static NetworkParameters[] Bitcoin { get; } = [BitcoinMain, BitcoinTest, BitcoinRegtest];

    public static NetworkParameters[] Cascoin { get; } = [NetworkParameters.Main, NetworkParameters.Test, NetworkParameters.Regtest];

    public static NetworkParameters ForChain(string chain) => chain switch
    {
        "main" => BitcoinMain,
        "testnet4" or "signet" => BitcoinTest,
        "regtest" => BitcoinRegtest,
        _ => throw new ArgumentOutOfRangeException(nameof(chain), chain, "unknown chain"),
    };
}
