using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Execution.Steps;

/// <summary>Whose move a dissection game waits for, or how it ended.</summary>
public enum GamePhase : byte
{
    /// <summary>The defenders (the anchor's signers) post the commitments that cut the disputed range.</summary>
    DefenderMoves = 0,

    /// <summary>The challenger names the half it disputes.</summary>
    ChallengerMoves = 1,

    /// <summary>One step is left: the challenger proves it (<see cref="OneStepProof"/>).</summary>
    OneStep = 2,

    DefenderWon = 3,

    ChallengerWon = 4,

    /// <summary>Ended without a winner: what it disputed was reverted by another game meanwhile.</summary>
    Annulled = 5,
}

/// <summary>
/// The rules of a dissection game over one block's step commitments (doc/fraud-proofs.md), apart from
/// where they run (the L1 contract keeps this record). Index i is the state before step i; index
/// <see cref="Hi"/> starts at the block's step count (its end, the root the defenders signed). The
/// invariant: the commitment at <see cref="Lo"/> is agreed, the one at <see cref="Hi"/> is disputed.
/// Each round the defenders post the commitments that cut [Lo, Hi] into <see cref="Width"/> equal parts
/// (fewer when fewer steps are left) and the challenger names the part whose end it disputes, until one
/// step is left; the challenger then proves that step from the agreed commitment, and wins if it does
/// not lead to the defenders' claim. Whoever is to move and stays silent past the deadline loses.
/// Width 2 is bisection (a midpoint per round); a wider cut takes fewer rounds, which is what lets a
/// short challenge period hold a whole game.
/// </summary>
public sealed record DissectionGame(int Lo, int Hi, Hash256 LoCommitment, Hash256 HiCommitment, IReadOnlyList<Hash256>? Cuts, GamePhase Phase,
    ulong Deadline, ulong MoveBlocks, int Width)
{
    /// <summary>A game over a block of <paramref name="steps"/> steps from the agreed <paramref name="start"/> to the disputed <paramref name="claimedEnd"/>, opened at L1 height <paramref name="height"/>.</summary>
    public static DissectionGame Open(Hash256 start, Hash256 claimedEnd, int steps, ulong height, ulong moveBlocks, int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(moveBlocks, 1UL);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 2);
        return new DissectionGame(0, steps, start, claimedEnd, null, steps == 1 ? GamePhase.OneStep : GamePhase.DefenderMoves, height + moveBlocks, moveBlocks, width);
    }

    /// <summary>The most moves a game over <paramref name="steps"/> steps takes at <paramref name="width"/>: the cuts and a choice per round, and the proof.</summary>
    public static int MaxMoves(int steps, int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 2);
        var rounds = 0;
        for (var span = steps; span > 1; rounds++)
        {
            var parts = Math.Min(width, span);
            span = (span + parts - 1) / parts;
        }
        return 2 * rounds + 1;
    }

    /// <summary>How many parts this round cuts [Lo, Hi] into.</summary>
    public int Parts => Math.Min(Width, Hi - Lo);

    /// <summary>The index of boundary <paramref name="i"/> (0..<see cref="Parts"/>) of this round.</summary>
    public int Boundary(int i) => Lo + (int)((long)(Hi - Lo) * i / Parts);

    public bool IsOver => Phase is GamePhase.DefenderWon or GamePhase.ChallengerWon or GamePhase.Annulled;

    /// <summary>The defenders post the commitments at boundaries 1..<see cref="Parts"/> − 1.</summary>
    public (DissectionGame? Game, string? Error) Dissect(IReadOnlyList<Hash256> cuts, ulong height)
    {
        ArgumentNullException.ThrowIfNull(cuts);
        if (Phase != GamePhase.DefenderMoves)
            return (null, $"the game waits for {Waiting}, not the defenders' cuts");
        if (height > Deadline)
            return (null, $"the defenders' deadline (L1 block {Deadline}) has passed");
        if (cuts.Count != Parts - 1)
            return (null, $"this round cuts steps {Lo}..{Hi} into {Parts} parts: {Parts - 1} commitments, not {cuts.Count}");
        return (this with { Cuts = cuts.ToArray(), Phase = GamePhase.ChallengerMoves, Deadline = height + MoveBlocks }, null);
    }

    /// <summary>The challenger names the part (0..<see cref="Parts"/> − 1) whose end it disputes, having agreed to its start.</summary>
    public (DissectionGame? Game, string? Error) Choose(int part, ulong height)
    {
        if (Phase != GamePhase.ChallengerMoves || Cuts is not { } cuts)
            return (null, $"the game waits for {Waiting}, not a choice");
        if (height > Deadline)
            return (null, $"the challenger's deadline (L1 block {Deadline}) has passed");
        if (part < 0 || part >= Parts)
            return (null, $"this round has parts 0..{Parts - 1}, not {part}");
        var (lo, hi) = (Boundary(part), Boundary(part + 1));
        var next = this with
        {
            Lo = lo,
            Hi = hi,
            LoCommitment = part == 0 ? LoCommitment : cuts[part - 1],
            HiCommitment = part == Parts - 1 ? HiCommitment : cuts[part],
            Cuts = null,
            Phase = hi - lo == 1 ? GamePhase.OneStep : GamePhase.DefenderMoves,
            Deadline = height + MoveBlocks,
        };
        // Nothing follows a refused step: every commitment after one is Invalid. A range that starts at
        // Invalid ends the game at once, as no proof can start there: the defenders lose when they claim
        // a state at its end, the challenger when it disputes Invalid. Without this rule, defenders who
        // cut at Invalid after the refused step would lead the challenger where it cannot prove.
        if (next.LoCommitment == StepState.Invalid)
            return (next with { Phase = next.HiCommitment == StepState.Invalid ? GamePhase.DefenderWon : GamePhase.ChallengerWon }, null);
        return (next, null);
    }

    /// <summary>
    /// The challenger's proof of step <see cref="Lo"/> is in: <paramref name="proof"/> starts from the
    /// agreed commitment and runs the block's own step (<paramref name="stepTransaction"/>: the id of
    /// the block's transaction at that index, null for the fee split), and <paramref name="post"/> is
    /// what it verified to (<see cref="OneStepProof.Verify"/>). The challenger wins when that is not the
    /// defenders' claim. A proof of any other transaction is refused: it would prove another block.
    /// </summary>
    public (DissectionGame? Game, string? Error) Prove(OneStepProof proof, Hash256? stepTransaction, Hash256 post, ulong height)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (Phase != GamePhase.OneStep)
            return (null, $"the game waits for {Waiting}, not a one-step proof");
        if (height > Deadline)
            return (null, $"the challenger's deadline (L1 block {Deadline}) has passed");
        if (proof.Step != Lo)
            return (null, $"the disputed step is {Lo}, the proof is of step {proof.Step}");
        if (proof.Transaction?.Id != stepTransaction)
            return (null, stepTransaction is { } id
                ? $"step {Lo} of the block is transaction {id}, the proof runs {proof.Transaction?.Id.ToString() ?? "the fee split"}"
                : $"step {Lo} of the block is its fee split, the proof runs transaction {proof.Transaction!.Id}");
        if (proof.Pre.Commitment != LoCommitment)
            return (null, $"the proof starts from {proof.Pre.Commitment}, not the agreed commitment {LoCommitment}");
        return (this with { Phase = post == HiCommitment ? GamePhase.DefenderWon : GamePhase.ChallengerWon }, null);
    }

    /// <summary>After the deadline, the side that was to move loses.</summary>
    public (DissectionGame? Game, string? Error) Timeout(ulong height)
    {
        if (IsOver)
            return (null, "the game is over");
        if (height <= Deadline)
            return (null, $"{Waiting} may still move until L1 block {Deadline}");
        return (this with { Phase = Phase == GamePhase.DefenderMoves ? GamePhase.ChallengerWon : GamePhase.DefenderWon }, null);
    }

    private string Waiting => Phase switch
    {
        GamePhase.DefenderMoves => "the defenders' cuts",
        GamePhase.ChallengerMoves => "the challenger's choice",
        GamePhase.OneStep => "the challenger's one-step proof",
        _ => "nothing (it is over)",
    };
}
