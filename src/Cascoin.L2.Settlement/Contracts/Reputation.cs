using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Chain.Reputation;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Contracts;

/// <summary>
/// The reputation contract: on regtest anyone sets an address's HAT v2 score (on a live chain the
/// reputation system's role); a change may move the chains the address stakes on in or out of ACTIVE.
/// An address's score flows to the L2 chains it follows (<c>importreputation</c>) as L1→L2 messages
/// sent by this contract's keyless address (<see cref="ReputationImport"/>): at the import, then at
/// every change, so every node of a chain applies the same scores at the same queue position, and
/// the fraud proofs cover them like any queue entry (doc/reputation.md).
/// </summary>
public sealed class Reputation : ISystemContract
{
    private Reputation()
    {
    }

    /// <summary>The contract as a unit of <see cref="SystemContracts"/>.</summary>
    public static Reputation Contract { get; } = new();

    public Address Address => SystemAddresses.Reputation;

    public IReadOnlyList<L1TransactionKind> Kinds { get; } = [L1TransactionKind.SetReputation, L1TransactionKind.ImportReputation];

    public L1Refusal? Apply(ContractContext context, L1Call request, out string? delivered)
    {
        ArgumentNullException.ThrowIfNull(context);
        delivered = null;
        return request switch
        {
            SetReputationCall reputation => Set(context, reputation),
            ImportReputationCall import => Import(context, import),
            _ => throw new ArgumentException($"not a reputation request: {request.Kind}", nameof(request)),
        };
    }

    private static L1Refusal? Set(ContractContext context, SetReputationCall reputation)
    {
        if (context.Network?.Kind != NetworkKind.Regtest)
            return new L1Refusal(L1RefuseReason.NotAllowed, "setreputation exists on regtest only; scores come from the HAT v2 reputation system");
        context.State.SetAccount(reputation.Subject, context.State.GetAccount(reputation.Subject) with { HatScore = reputation.Score });
        Registry.OnReputationChanged(context, reputation.Subject);
        foreach (var chainId in ReputationFollows.Of(context.State, reputation.Subject))
        {
            // A chain that closed meanwhile takes no more messages; the others get the new score.
            if (context.State.GetChain(chainId) is { } chain && Accepts(chain))
                Send(context, chain, reputation.Subject, reputation.Score);
        }
        return null;
    }

    private static L1Refusal? Import(ContractContext context, ImportReputationCall import)
    {
        if (context.State.GetChain(import.ChainId) is not { } chain)
            return L1Refusal.UnknownChain(import.ChainId);
        if (!Accepts(chain))
            return L1Refusal.Closed(import.ChainId, chain.Status, "it takes no more messages");
        var follows = ReputationFollows.Of(context.State, context.Sender);
        if (follows.Contains(import.ChainId))
            return new L1Refusal(L1RefuseReason.AlreadyDone, $"{context.Sender}'s score already flows to chain {import.ChainId}, at every change");
        if (follows.Count >= ReputationFollows.MaxChains)
            return new L1Refusal(L1RefuseReason.LimitExceeded, $"{context.Sender}'s score already flows to {ReputationFollows.MaxChains} chains, the most one address may follow");
        ReputationFollows.Set(context.State, context.Sender, [.. follows, import.ChainId]);
        Send(context, chain, context.Sender, context.ScoreOf(context.Sender));
        return null;
    }

    private static bool Accepts(ChainRecord chain) => chain.Status is not (ChainStatus.Emergency or ChainStatus.Deprecated);

    private static void Send(ContractContext context, ChainRecord chain, Address subject, byte score) =>
        Bridge.Queue(context, chain, L1MessageKind.Message, subject, Amount.Zero, ReputationImport.Encode(score), sender: SystemAddresses.Reputation);
}

/// <summary>The chains an address's L1 score flows to, in the order it chose them: a count byte, then the chain ids (u64 LE).</summary>
public static class ReputationFollows
{
    /// <summary>The most chains one address's score flows to: a score change queues one message per chain, and the sender of setreputation pays for none of them.</summary>
    public const int MaxChains = 16;

    public static IReadOnlyList<ulong> Of(L1StateView state, Address address)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Get(SettlementKeys.ReputationFollows(address)) is not { } bytes)
            return [];
        var reader = new SpanReader(bytes);
        var count = reader.ReadByte();
        var chains = new ulong[count];
        for (var i = 0; i < count; i++)
            chains[i] = reader.ReadUInt64();
        reader.EnsureEnd();
        return chains;
    }

    internal static void Set(L1StateView state, Address address, IReadOnlyList<ulong> chains)
    {
        var writer = new SpanWriter(1 + 8 * chains.Count);
        writer.WriteByte((byte)chains.Count);
        foreach (var chain in chains)
            writer.WriteUInt64(chain);
        state.Set(SettlementKeys.ReputationFollows(address), writer.ToArray());
    }
}
