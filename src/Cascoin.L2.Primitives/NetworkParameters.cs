namespace Cascoin.L2.Primitives;

/// <summary>The networks a node can run on; the name is what RPC and the data directory show.</summary>
public enum NetworkKind
{
    Main,
    Test,
    Regtest,
}

/// <summary>
/// The fixed parameters of one network (SPEC §2): ports, the P2P message start, and the
/// prefixes of base58 addresses, WIF keys and bech32 strings.
/// </summary>
public sealed record NetworkParameters
{
    public required NetworkKind Kind { get; init; }

    /// <summary>"main", "test" or "regtest": getblockchaininfo's "chain" and the data directory's sub-folder.</summary>
    public required string Name { get; init; }


    public required int DefaultP2PPort { get; init; }
    public required int DefaultRpcPort { get; init; }
    public required ReadOnlyMemory<byte> MessageStart { get; init; }
    public required byte PubKeyHashPrefix { get; init; }
    public required byte ScriptPrefix { get; init; }
    public required byte SecondaryScriptPrefix { get; init; }
    public required byte SecretKeyPrefix { get; init; }
    public required string Bech32Hrp { get; init; }

    public static NetworkParameters Main { get; } = new()
    {
        Kind = NetworkKind.Main,
        Name = "main",
        DefaultP2PPort = 22222,
        DefaultRpcPort = 62457,
        MessageStart = new byte[] { 0xca, 0x5c, 0x01, 0xcf },
        PubKeyHashPrefix = 40,
        ScriptPrefix = 8,
        SecondaryScriptPrefix = 50,
        SecretKeyPrefix = 188,
        Bech32Hrp = "cas",
    };

    public static NetworkParameters Test { get; } = new()
    {
        Kind = NetworkKind.Test,
        Name = "test",
        DefaultP2PPort = 22223,
        DefaultRpcPort = 62455,
        MessageStart = new byte[] { 0xfc, 0xc1, 0xb7, 0xdc },
        PubKeyHashPrefix = 111,
        ScriptPrefix = 196,
        SecondaryScriptPrefix = 58,
        SecretKeyPrefix = 239,
        Bech32Hrp = "tcas",
    };

    public static NetworkParameters Regtest { get; } = new()
    {
        Kind = NetworkKind.Regtest,
        Name = "regtest",
        DefaultP2PPort = 22224,
        DefaultRpcPort = 19443,
        MessageStart = new byte[] { 0xfa, 0xbf, 0xb5, 0xda },
        PubKeyHashPrefix = 111,
        ScriptPrefix = 196,
        SecondaryScriptPrefix = 58,
        SecretKeyPrefix = 239,
        Bech32Hrp = "rcas",
    };

    public static NetworkParameters For(NetworkKind kind) => kind switch
    {
        NetworkKind.Main => Main,
        NetworkKind.Test => Test,
        NetworkKind.Regtest => Regtest,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown network"),
    };
}
