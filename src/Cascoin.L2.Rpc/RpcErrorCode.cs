namespace Cascoin.L2.Rpc;

/// <summary>
/// The one registry of JSON-RPC error codes: the JSON-RPC 2.0 standard codes and bitcoind's
/// application codes (src/rpc/protocol.h), so scripts written for bitcoind read our errors unchanged.
/// </summary>
public static class RpcErrorCode
{
    // JSON-RPC 2.0
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;

    // bitcoind general application errors
    public const int MiscError = -1;
    public const int TypeError = -3;
    public const int InvalidAddressOrKey = -5;
    public const int OutOfMemory = -7;
    public const int InvalidParameter = -8;
    public const int DatabaseError = -20;
    public const int DeserializationError = -22;
    public const int VerifyError = -25;
    public const int VerifyRejected = -26;
    public const int VerifyAlreadyInChain = -27;
    public const int InWarmup = -28;
    public const int MethodDeprecated = -32;

    // P2P client errors
    public const int ClientNotConnected = -9;
    public const int ClientInInitialDownload = -10;
    public const int ClientNodeAlreadyAdded = -23;
    public const int ClientNodeNotAdded = -24;

    // Wallet errors
    public const int WalletError = -4;
    public const int WalletInsufficientFunds = -6;
}
