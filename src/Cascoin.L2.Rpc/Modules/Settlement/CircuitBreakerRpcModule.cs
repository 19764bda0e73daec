using System.Text.Json;
using Cascoin.L2.Crypto;
using Cascoin.L2.Rpc.Modules.L2;
using Cascoin.L2.Settlement.Application;

namespace Cascoin.L2.Rpc.Modules.Settlement;

[RpcModule("l2 circuit breaker")]
public interface ICircuitBreakerRpc
{
    [RpcMethod("l2_signbridgepause", "This node's share of a circuit-breaker call for its chain: a signature over pausing (or unpausing) the bridge at the chain's current pause counter, by the sequencer key (or a wallet key). Collect those of sequencers holding more than 2/3 of the set's stake × score and pass them to l2_setbridgepause on any node.",
        Returns = "{ chainid, action, nonce, signer, signature }")]
    BridgePauseSignatureDto SignBridgePause([RpcParam("\"pause\" or \"unpause\"")] string action, [RpcParam("the signing address (a wallet key; default: the sequencer key)")] string? address = null);

    [RpcMethod("l2_setbridgepause", "Pauses the bridge of this node's chain on L1, or lifts the pause, with the signatures of sequencers holding more than 2/3 of the set's stake × score (l2_signbridgepause). PAUSED: deposits and withdrawal payments wait; the L2 and emergency exits go on. One node's signature alone is refused.",
        Returns = "\"txid\" (L1)")]
    string SetBridgePause([RpcParam("\"pause\" or \"unpause\"")] string action, [RpcParam("the signatures, hex (an array, or one string separated by commas)")] JsonElement signatures);
}

public sealed record BridgePauseSignatureDto(ulong ChainId, string Action, ulong Nonce, string Signer, string Signature);

/// <summary>The circuit breaker over RPC: binds, asks the settlement application layer, maps.</summary>
public sealed class CircuitBreakerRpcModule(SettlementCommands commands, RpcNodeContext node) : IRpcModule, ICircuitBreakerRpc
{
    public BridgePauseSignatureDto SignBridgePause(string action, string? address = null)
    {
        var pause = Action(action);
        var signer = address is null ? (Primitives.Address?)null : RpcArguments.Address(address, node.Network);
        var signed = commands.SignBridgePause(pause, signer).OrThrow();
        return new BridgePauseSignatureDto(signed.ChainId, action.ToLowerInvariant(), signed.Nonce, signed.Signer.ToBase58(node.Network), Convert.ToHexStringLower(signed.Signature));
    }

    public string SetBridgePause(string action, JsonElement signatures)
    {
        var pause = Action(action);
        IEnumerable<string?> texts = signatures.ValueKind switch
        {
            JsonValueKind.Array => signatures.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : null),
            JsonValueKind.String => signatures.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            _ => throw RpcException.InvalidParameter("signatures must be an array of hex strings, or one string separated by commas"),
        };
        var parsed = texts.Select((text, i) => text is null ? throw RpcException.InvalidParameter($"signature {i} is not a string") : RpcArguments.Hex(text, $"signature {i}")).ToList();
        if (parsed.Count is 0 or > 256)
            throw RpcException.InvalidParameter("give 1..256 signatures");
        if (parsed.FirstOrDefault(s => s.Length != RecoverableSignature.Size) is { } bad)
            throw RpcException.InvalidParameter($"a signature is {RecoverableSignature.Size} bytes (130 hex digits), not {bad.Length}");
        return commands.SetBridgePause(pause, parsed).OrThrow().ToString();
    }

    private static bool Action(string action) => action?.ToLowerInvariant() switch
    {
        "pause" => true,
        "unpause" => false,
        _ => throw RpcException.InvalidParameter($"action must be pause or unpause, not \"{action}\""),
    };
}
