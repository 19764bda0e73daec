using System.Text.Json;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Rpc.Modules.L2;

/// <summary>Parsing of the domain values RPC callers pass as strings and numbers, with bitcoind's error codes.</summary>
internal static class RpcArguments
{
    public static Address Address(string text, NetworkParameters network, string name = "address") =>
        Primitives.Address.TryParse(text, network, out var address)
            ? address
            : throw new RpcException(RpcErrorCode.InvalidAddressOrKey, $"Invalid {name}: '{text}' is not a {network.Name} address (base58, bech32 or 0x + 40 hex)");

    /// <summary>An amount of CAS given as a JSON number (or a string of one), exact to the satoshi.</summary>
    public static Amount Amount(JsonElement value, string name = "amount")
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString(),
            _ => throw RpcException.InvalidParams($"parameter '{name}' must be an amount (number of CAS)"),
        };
        if (!Primitives.Amount.TryParse(text, out var amount))
            throw new RpcException(RpcErrorCode.TypeError, $"Invalid amount '{text}': at most 8 decimals, at most {Primitives.Amount.MaxMoney} CAS");
        if (amount < Primitives.Amount.Zero)
            throw new RpcException(RpcErrorCode.TypeError, "Amount out of range: negative");
        return amount;
    }

    /// <summary>A 32-byte id in display order (byte-reversed, like bitcoind txids and block hashes).</summary>
    public static Hash256 Hash(string text, string name) =>
        Hash256.TryParse(text, out var hash)
            ? hash
            : throw RpcException.InvalidParameter($"{name} must be 64 hex characters, got '{text}'");

    public static byte[] Hex(string text, string name)
    {
        var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw new RpcException(RpcErrorCode.DeserializationError, $"{name} is not hex");
        }
    }

    /// <summary>"latest", "pending" or a block number (JSON number, decimal string or 0x-hex string).</summary>
    public static BlockTag BlockTag(JsonElement? value, string name = "block")
    {
        if (value is not { } element || element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            return new BlockTag(null, false);
        if (element.ValueKind == JsonValueKind.Number && element.TryGetUInt64(out var number))
            return new BlockTag(number, false);
        if (element.ValueKind == JsonValueKind.String)
        {
            var text = element.GetString()!;
            if (text.Equals("latest", StringComparison.OrdinalIgnoreCase))
                return new BlockTag(null, false);
            if (text.Equals("pending", StringComparison.OrdinalIgnoreCase))
                return new BlockTag(null, true);
            if (ulong.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out number))
                return new BlockTag(number, false);
            if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                && ulong.TryParse(text.AsSpan(2), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out number))
                return new BlockTag(number, false);
        }
        throw RpcException.InvalidParameter($"{name} must be a block number, \"latest\" or \"pending\"");
    }

    /// <summary>Decodes serialized bytes with <paramref name="decode"/>; a failure is bitcoind's -22 "TX decode failed".</summary>
    public static T Decoded<T>(byte[] bytes, Func<byte[], T> decode)
    {
        ArgumentNullException.ThrowIfNull(decode);
        try
        {
            return decode(bytes);
        }
        catch (DecodeException ex)
        {
            throw new RpcException(RpcErrorCode.DeserializationError, $"TX decode failed: {ex.Message}");
        }
    }

    /// <summary>The RPC error for a refused transaction: -6 for funds, -26 otherwise; the message starts with the reason code.</summary>
    public static RpcException Rejected(TxRejection rejection) => new(rejection.Reason switch
    {
        TxRejectReason.InsufficientFunds => RpcErrorCode.WalletInsufficientFunds,
        _ => RpcErrorCode.VerifyRejected,
    }, rejection.ToString());
}

/// <summary>A block selector: a number, the tip (null), or the pending state.</summary>
internal readonly record struct BlockTag(ulong? Number, bool Pending);
