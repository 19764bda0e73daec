using System.Buffers.Binary;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Contracts;

/// <summary>
/// The circuit breaker of the registry (SPEC §6, seed task 30): more than 2/3 of a chain's sequencer
/// weight can pause its bridge — status PAUSED: deposits and withdrawal payments stop, while the L2
/// keeps producing and anchoring, and emergency exits by proof stay open should the chain stop — and
/// the same majority lifts the pause. One node, one key, or a minority can do neither. Each call
/// carries the chain's pause counter, which every success advances, so no signature counts twice.
/// </summary>
public sealed class CircuitBreaker : ISystemContract
{
    private CircuitBreaker()
    {
    }

    /// <summary>The contract as a unit of <see cref="SystemContracts"/>.</summary>
    public static CircuitBreaker Contract { get; } = new();

    public Address Address => SystemAddresses.Registry;

    public IReadOnlyList<L1TransactionKind> Kinds { get; } = [L1TransactionKind.SetBridgePause];

    public L1Refusal? Apply(ContractContext context, L1Call request, out string? delivered)
    {
        ArgumentNullException.ThrowIfNull(context);
        delivered = null;
        if (request is not BridgePauseCall call)
            throw new ArgumentException($"not a circuit-breaker request: {request.Kind}", nameof(request));
        if (context.State.GetChain(call.ChainId) is not { } chain)
            return L1Refusal.UnknownChain(call.ChainId);
        if (call.Pause ? chain.Status != ChainStatus.Active : chain.Status != ChainStatus.Paused)
            return new L1Refusal(L1RefuseReason.ChainStatus, call.Pause
                ? $"chain {call.ChainId} is {chain.Status.ToString().ToUpperInvariant()}: only an ACTIVE chain's bridge can be paused"
                : $"chain {call.ChainId} is {chain.Status.ToString().ToUpperInvariant()}, not PAUSED: there is no pause to lift");
        var nonce = NonceOf(context.State, call.ChainId);
        if (call.Nonce != nonce)
            return new L1Refusal(call.Nonce < nonce ? L1RefuseReason.AlreadyDone : L1RefuseReason.BadParameter,
                $"the pause counter of chain {call.ChainId} is {nonce}, the signatures are for {call.Nonce}");
        var weights = context.SequencerWeights(chain);
        var tally = CertificateTally.OfSigners(SignatureSigners.RecoverAll(call.Signatures, call.Digest.ToArray()), weights);
        if (tally.Fault != CertificateFault.None)
            return new L1Refusal(L1RefuseReason.BadCertificate, tally.Fault switch
            {
                CertificateFault.SignatureDoesNotRecover => "a signature does not recover",
                CertificateFault.RepeatedSigner => $"{tally.Culprit} signed twice",
                CertificateFault.SignerNotInSet => $"{tally.Culprit} is not an eligible sequencer of chain {call.ChainId}",
                _ => $"signed by {tally.Signers.Count} of {weights.Count} sequencers, not more than 2/3 of their stake × score: one node cannot {(call.Pause ? "pause" : "unpause")} the bridge",
            });
        context.State.SetChain(chain with { Status = call.Pause ? ChainStatus.Paused : ChainStatus.Active });
        var next = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(next, nonce + 1);
        context.State.Set(SettlementKeys.BridgePause(call.ChainId), next);
        delivered = $"bridge of chain {call.ChainId} {(call.Pause ? "PAUSED" : "unpaused")} by {tally.Signers.Count} of {weights.Count} sequencers";
        return null;
    }

    /// <summary>The pause counter the next pause or unpause of the chain must carry.</summary>
    public static ulong NonceOf(L1StateView state, ulong chainId)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Get(SettlementKeys.BridgePause(chainId)) is { Length: 8 } bytes ? BinaryPrimitives.ReadUInt64LittleEndian(bytes) : 0;
    }
}
