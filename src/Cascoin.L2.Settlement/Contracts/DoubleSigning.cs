using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Contracts;

/// <summary>
/// Slashing for double signing (SPEC §7): anyone may post two headers of one L2 height with one
/// sequencer's seal on each. The contract checks everything itself — same height, different
/// headers, both seals recover to the same address over the chain's seal hash (which binds the chain
/// id), and that address has stake on the chain — and burns <see cref="SettlementParameters.DoubleSignSlashPercent"/>
/// of its bond and unbonding stake. One slash per sequencer and height: several honest nodes
/// reporting the same equivocation cannot slash it twice.
/// </summary>
public static class DoubleSigning
{
    public static string? Report(ContractContext context, DoubleSignCall call)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(call);
        if (context.State.GetChain(call.ChainId) is null)
            return $"unknown chain {call.ChainId}";
        if (call.First.Number != call.Second.Number)
            return $"the headers are at different heights ({call.First.Number} and {call.Second.Number}): not double signing";
        if (call.First.Hash == call.Second.Hash)
            return "both seals are on the same header: not double signing";
        if (SealerOf(call.ChainId, call.First, call.FirstSeal) is not { } first || SealerOf(call.ChainId, call.Second, call.SecondSeal) is not { } second)
            return $"a seal does not recover over chain {call.ChainId}'s seal hash of its header";
        if (first != second)
            return $"the seals are by different sequencers ({first}, {second})";
        var key = SettlementKeys.DoubleSignSlashed(call.ChainId, first, call.First.Number);
        if (context.State.IsMarked(key))
            return $"sequencer {first} was already slashed for double signing at L2 height {call.First.Number}";
        var stake = context.State.GetStake(call.ChainId, first);
        if (stake.Bonded == Amount.Zero && stake.Unbonding == Amount.Zero)
            return $"{first} has no stake on chain {call.ChainId}";
        Staking.Slash(context, call.ChainId, first, context.Parameters.DoubleSignSlashPercent);
        context.State.Mark(key);
        return null;
    }

    /// <summary>Who sealed <paramref name="header"/> for chain <paramref name="chainId"/>, or null when the seal recovers no key.</summary>
    private static Address? SealerOf(ulong chainId, BlockHeader header, byte[] seal) =>
        new Block(header, [], [seal]).RecoverSigners(chainId) is [var sealer] ? sealer : null;
}
