using Cascoin.L2.Chain.Execution.Steps;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Contracts.Fraud;

/// <summary>
/// The fraud verifier (SPEC §6, doc/fraud-proofs.md): anyone bonds <see cref="SettlementParameters.ChallengeBond"/>
/// to dispute the state root of a block of an anchor still in its challenge period; the anchor's
/// signers defend by cutting the block's steps (<see cref="DissectionGame"/>), the challenger names the
/// part it disputes, and at one step the challenger's one-step proof decides — re-executed here with
/// the chain's own execution over its witnesses. Every move has <see cref="SettlementParameters.MoveDeadline"/>
/// blocks; at the end of each block the side that stayed silent past it loses.
/// A proven fraud reverts the anchor and every later one, slashes the signers' whole stake (half to the
/// challenger, half burned), cuts their HAT score to 0, returns the bond, annuls the games on the
/// reverted anchors (their bonds go back), and puts the chain in emergency mode against the last final
/// anchor still standing: the set that decides the next block is fixed by its parent's L1 reference,
/// where the slashed signers still hold more than 2/3 of the weight, so the others cannot go on. A failed
/// challenge loses its bond: half to the signers, half burned; three lost in a row keep an address
/// from challenging for a day. An anchor with a game open on it, or on an anchor before it, is not final.
/// </summary>
public sealed class FraudVerifier : ISystemContract
{
    /// <summary>Lost challenges in a row after which an address waits a day before it challenges again.</summary>
    public const int LossesBeforeBan = 3;

    private FraudVerifier()
    {
    }

    public static FraudVerifier Contract { get; } = new();

    public Address Address => SystemAddresses.FraudVerifier;

    public IReadOnlyList<L1TransactionKind> Kinds { get; } = [L1TransactionKind.Challenge, L1TransactionKind.Dissect, L1TransactionKind.ChooseStep, L1TransactionKind.ProveStep];

    public L1Refusal? Apply(ContractContext context, L1Call request, out string? delivered)
    {
        delivered = null;
        return request switch
        {
            ChallengeCall challenge => Open(context, challenge),
            DissectCall dissect => Move(context, dissect.ChainId, dissect.Game, (record, _) =>
                IsSigner(context, record) ? Rule(record.Game.Dissect(dissect.Cuts, context.Height)) : (null, NotAllowed($"{context.Sender} did not sign anchor {record.AnchorIndex}: only its signers defend it"))),
            ChooseStepCall choose => Move(context, choose.ChainId, choose.Game, (record, _) =>
                context.Sender == record.Challenger ? Rule(record.Game.Choose(choose.Part, context.Height)) : (null, NotAllowed($"only the challenger {record.Challenger} chooses in game {record.Id}"))),
            ProveStepCall prove => Move(context, prove.ChainId, prove.Game, (record, chain) => Prove(context, chain, record, prove.Proof)),
            _ => throw new ArgumentException($"not a fraud verifier request: {request.Kind}", nameof(request)),
        };
    }

    /// <summary>Games whose side to move stayed silent past its deadline end here, that side losing.</summary>
    public void EndOfBlock(ContractContext context, ChainRecord chain)
    {
        foreach (var (id, _) in OpenOf(context.State, chain.ChainId).Open)
        {
            // A game an earlier one annulled (its anchor reverted) is closed already.
            if (!OpenOf(context.State, chain.ChainId).Open.Any(g => g.Id == id))
                continue;
            var record = GetGame(context.State, chain.ChainId, id)!;
            if (record.Game.Timeout(context.Height) is { Game: { } ended })
                Resolve(context, record with { Game = ended });
        }
    }

    /// <summary>Whether anchor <paramref name="anchorIndex"/> of the chain waits for a game on it or on an anchor before it (it is not final meanwhile).</summary>
    public static bool IsUnderChallenge(L1StateView state, ulong chainId, ulong anchorIndex)
    {
        ArgumentNullException.ThrowIfNull(state);
        return OpenOf(state, chainId).Holds(anchorIndex);
    }

    public static GameRecord? GetGame(L1StateView state, ulong chainId, ulong id)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Get(SettlementKeys.Game(chainId, id)) is { } bytes ? GameRecord.FromBytes(bytes) : null;
    }

    public static OpenGames OpenOf(L1StateView state, ulong chainId)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Get(SettlementKeys.OpenGames(chainId)) is { } bytes ? OpenGames.FromBytes(bytes) : OpenGames.None;
    }

    private static ChallengerRecord ChallengerOf(L1StateView state, Address address) =>
        state.Get(SettlementKeys.Challenger(address)) is { } bytes ? ChallengerRecord.FromBytes(bytes) : ChallengerRecord.None;

    private static L1Refusal? Open(ContractContext context, ChallengeCall call)
    {
        if (context.State.GetChain(call.ChainId) is not { } chain)
            return L1Refusal.UnknownChain(call.ChainId);
        if (chain.Status is not (ChainStatus.Active or ChainStatus.Paused))
            return L1Refusal.Closed(call.ChainId, chain.Status, "it takes no challenges");
        if (call.AnchorIndex >= chain.AnchorCount || context.State.GetAnchor(call.ChainId, call.AnchorIndex) is not { } anchor)
            return new L1Refusal(L1RefuseReason.UnknownAnchor, $"chain {call.ChainId} has no anchor {call.AnchorIndex}");
        if (anchor.IsFinalAt(context.Height, chain.ChallengePeriod))
            return new L1Refusal(L1RefuseReason.NotAllowed, $"anchor {anchor.Index} is final since L1 block {anchor.PostedHeight + chain.ChallengePeriod}: its challenge period is over");
        var challenger = ChallengerOf(context.State, context.Sender);
        if (challenger.BannedUntil > context.Height)
            return new L1Refusal(L1RefuseReason.NotAllowed, $"{context.Sender} lost {LossesBeforeBan} challenges in a row and may challenge again from L1 block {challenger.BannedUntil}");
        if (challenger.Open >= context.Parameters.MaxOpenChallengesPerAddress)
            return new L1Refusal(L1RefuseReason.LimitExceeded, $"{context.Sender} already has {challenger.Open} open challenges (at most {context.Parameters.MaxOpenChallengesPerAddress})");
        var (disputed, refusal) = DisputedBlock.Rebuild(context, chain, anchor, call.Block, call.Evidence);
        if (disputed is null)
            return refusal;
        var bond = context.Parameters.ChallengeBond;
        if (!context.TryDebitSender(bond))
            return new L1Refusal(L1RefuseReason.InsufficientBalance, $"a challenge bonds {bond} CAS");
        context.State.Credit(SystemAddresses.FraudVerifier, bond);

        var open = OpenOf(context.State, chain.ChainId);
        var game = DissectionGame.Open(disputed.StartCommitment, disputed.ClaimedEnd, disputed.Steps, context.Height, context.Parameters.MoveDeadline, context.Parameters.DissectionWidth);
        var record = new GameRecord(open.Count, chain.ChainId, anchor.Index, call.Block, context.Sender, bond, context.Height, call.ToBytes(), game);
        context.State.Set(SettlementKeys.Game(chain.ChainId, record.Id), record.ToBytes());
        context.State.Set(SettlementKeys.OpenGames(chain.ChainId), new OpenGames(open.Count + 1, [.. open.Open, (record.Id, anchor.Index)]).ToBytes());
        context.State.Set(SettlementKeys.Challenger(context.Sender), (challenger with { Open = challenger.Open + 1 }).ToBytes());
        return null;
    }

    /// <summary>A move in an open game: <paramref name="move"/> gives the game after it or why it is refused; a game it ends is resolved at once.</summary>
    private static L1Refusal NotAllowed(string message) => new(L1RefuseReason.NotAllowed, message);

    private static (DissectionGame? Game, L1Refusal? Refusal) Rule((DissectionGame? Game, string? Error) result) =>
        (result.Game, result.Error is null ? null : NotAllowed(result.Error));

    private static L1Refusal? Move(ContractContext context, ulong chainId, ulong id, Func<GameRecord, ChainRecord, (DissectionGame? Game, L1Refusal? Refusal)> move)
    {
        if (context.State.GetChain(chainId) is not { } chain)
            return L1Refusal.UnknownChain(chainId);
        if (GetGame(context.State, chainId, id) is not { } record || record.Game.IsOver)
            return new L1Refusal(L1RefuseReason.NotAllowed, $"chain {chainId} has no open game {id}");
        var (next, refusal) = move(record, chain);
        if (next is null)
            return refusal;
        var moved = record with { Game = next };
        if (next.IsOver)
            Resolve(context, moved);
        else
            context.State.Set(SettlementKeys.Game(chainId, id), moved.ToBytes());
        return null;
    }

    private static bool IsSigner(ContractContext context, GameRecord record) =>
        context.State.GetAnchor(record.ChainId, record.AnchorIndex) is { } anchor && anchor.Signers.Contains(context.Sender);

    /// <summary>The one-step proof, re-executed over the block's frame as L1 rebuilds it from the challenge's evidence.</summary>
    private static (DissectionGame? Game, L1Refusal? Refusal) Prove(ContractContext context, ChainRecord chain, GameRecord record, byte[] bytes)
    {
        OneStepProof proof;
        try
        {
            proof = OneStepProof.Decode(bytes);
        }
        catch (DecodeException ex)
        {
            return (null, L1Refusal.Malformed("not a one-step proof", ex));
        }
        if (context.State.GetAnchor(chain.ChainId, record.AnchorIndex) is not { } anchor)
            return (null, NotAllowed($"anchor {record.AnchorIndex} is gone"));
        var (disputed, refusal) = DisputedBlock.Rebuild(context, chain, anchor, record.Block, record.ChallengeCall.Evidence);
        if (disputed is null)
            return (null, refusal);
        // The cheap checks first: a proof of another step or transaction is refused before anything runs.
        if (proof.Step != record.Game.Lo || proof.Transaction?.Id != disputed.TransactionAt(record.Game.Lo) || proof.Pre.Commitment != record.Game.LoCommitment)
            return (null, new L1Refusal(L1RefuseReason.BadProof, $"game {record.Id} waits for the proof of step {record.Game.Lo} of the block from the agreed commitment {record.Game.LoCommitment}"));
        var (post, error) = proof.Verify(disputed.Frame);
        if (post is not { } verified)
            return (null, new L1Refusal(L1RefuseReason.BadProof, $"the proof proves nothing: {error}"));
        var (game, ruleError) = record.Game.Prove(proof, disputed.TransactionAt(record.Game.Lo), verified, context.Height);
        return (game, ruleError is null ? null : new L1Refusal(L1RefuseReason.BadProof, ruleError));
    }

    /// <summary>Closes an ended game and carries out its outcome (see the class summary).</summary>
    private static void Resolve(ContractContext context, GameRecord record)
    {
        var state = context.State;
        var open = OpenOf(state, record.ChainId);
        state.Set(SettlementKeys.OpenGames(record.ChainId), (open with { Open = open.Open.Where(g => g.Id != record.Id).ToList() }).ToBytes());
        state.Set(SettlementKeys.Game(record.ChainId, record.Id), record.ToBytes());
        var challenger = ChallengerOf(state, record.Challenger);
        challenger = challenger with { Open = Math.Max(0, challenger.Open - 1) };
        var held = state.GetAccount(SystemAddresses.FraudVerifier);
        state.SetAccount(SystemAddresses.FraudVerifier, held with { Balance = held.Balance - record.Bond });
        var anchor = state.GetAnchor(record.ChainId, record.AnchorIndex);
        var chain = state.GetChain(record.ChainId)!;
        if (record.Game.Phase == GamePhase.ChallengerWon && anchor is not null && record.AnchorIndex < chain.AnchorCount)
        {
            var award = Amount.Zero;
            foreach (var signer in anchor.Signers)
            {
                award += Amount.FromSat(Staking.Slash(context, record.ChainId, signer, 100).Sat / 2);
                state.SetAccount(signer, state.GetAccount(signer) with { HatScore = 0 });
            }
            state.Credit(record.Challenger, record.Bond + award);
            Revert(context, record.ChainId, record.AnchorIndex);
            challenger = challenger with { LostInARow = 0 };
        }
        else if (record.Game.Phase == GamePhase.DefenderWon && anchor is not null)
        {
            var half = Amount.FromSat(record.Bond.Sat / 2);
            var each = anchor.Signers.Count == 0 ? Amount.Zero : Amount.FromSat(half.Sat / anchor.Signers.Count);
            foreach (var signer in anchor.Signers)
                state.Credit(signer, each);
            var lost = challenger.LostInARow + 1;
            challenger = lost >= LossesBeforeBan
                ? challenger with { LostInARow = 0, BannedUntil = context.Height + context.Parameters.BlocksPerDay }
                : challenger with { LostInARow = lost };
        }
        else
        {
            // Annulled: the anchor was reverted by another game meanwhile. The bond goes back.
            state.Credit(record.Challenger, record.Bond);
            state.Set(SettlementKeys.Game(record.ChainId, record.Id), (record with { Game = record.Game with { Phase = GamePhase.Annulled } }).ToBytes());
        }
        state.Set(SettlementKeys.Challenger(record.Challenger), challenger.ToBytes());
    }

    /// <summary>
    /// Removes anchor <paramref name="index"/> and every later one: the chain is anchored up to the one
    /// before, games on the removed ones are annulled (bonds back), and the chain enters emergency mode
    /// against the last final anchor still standing.
    /// </summary>
    private static void Revert(ContractContext context, ulong chainId, ulong index)
    {
        var state = context.State;
        var chain = state.GetChain(chainId)!;
        for (var i = index; i < chain.AnchorCount; i++)
            state.Set(SettlementKeys.Anchor(chainId, i), null);
        var previous = index == 0 ? null : state.GetAnchor(chainId, index - 1);
        chain = chain with
        {
            AnchorCount = index,
            LastAnchoredBlock = previous?.LastBlock ?? 0,
            ForcedProcessed = previous?.ForcedProcessed ?? 0,
            LastAnchorHeight = context.Height,
        };
        // Games on the removed anchors are annulled (their anchors are gone): closed first, so finality below sees only live games.
        foreach (var (id, _) in OpenOf(state, chainId).Open.Where(g => g.AnchorIndex >= index).ToList())
            Resolve(context, GetGame(state, chainId, id)!);
        // The remaining sequencers cannot go on: the set that decides the next block is fixed by its
        // parent's L1 reference, and there the slashed signers still hold more than 2/3 of the weight
        // (they certified the anchor). So the chain enters emergency mode against the last final root.
        chain = chain with
        {
            Status = ChainStatus.Emergency,
            EmergencyAnchorCount = Anchors.LastFinal(state, chain, context.Height) is { } final ? final.Index + 1 : 0,
        };
        state.SetChain(chain);
    }
}
