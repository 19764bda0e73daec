using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Execution.Steps;

/// <summary>Whose move a bisection game waits for, or how it ended.</summary>
public enum GamePhase : byte
{
    /// <summary>The defenders (the anchor's signers) post the commitment at the midpoint.</summary>
    DefenderMoves = 0,

    /// <summary>The challenger names the half it disputes.</summary>
    ChallengerMoves = 1,

    /// <summary>One step is left: the challenger proves it (<see cref="OneStepProof"/>).</summary>
    OneStep = 2,

    DefenderWon = 3,

    ChallengerWon = 4,
}

/// <summary>
/// The rules of a bisection game over one block's step commitments (doc/fraud-proofs.md), apart from
/// where they run (the L1 contract keeps this record). Index i is the state before step i; index
/// <see cref="Hi"/> starts at the block's step count (its end, the root the defenders signed). The
/// invariant: the commitment at <see cref="Lo"/> is agreed, the one at <see cref="Hi"/> is disputed.
/// Each round the defenders post the commitment at the midpoint and the challenger keeps the half it
/// disputes, until one step is left; the challenger then proves that step from the agreed commitment,
/// and wins if it does not lead to the defenders' claim. Whoever is to move and stays silent past the
/// deadline loses.
/// </summary>
public sealed record BisectionGame(int Lo, int Hi, Hash256 LoCommitment, Hash256 HiCommitment, Hash256? Mid, GamePhase Phase, ulong Deadline, ulong MoveBlocks)
{
    /// <summary>A game over a block of <paramref name="steps"/> steps from the agreed <paramref name="start"/> to the disputed <paramref name="claimedEnd"/>, opened at L1 height <paramref name="height"/>.</summary>
    public static BisectionGame Open(Hash256 start, Hash256 claimedEnd, int steps, ulong height, ulong moveBlocks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(moveBlocks, 1UL);
        return new BisectionGame(0, steps, start, claimedEnd, null, steps == 1 ? GamePhase.OneStep : GamePhase.DefenderMoves, height + moveBlocks, moveBlocks);
    }

    /// <summary>The most moves a game over <paramref name="steps"/> steps takes: a midpoint and a choice per halving, and the proof.</summary>
    public static int MaxMoves(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        var rounds = 0;
        for (var span = steps; span > 1; span = (span + 1) / 2)
            rounds++;
        return 2 * rounds + 1;
    }

    /// <summary>The index whose commitment the defenders post next.</summary>
    public int MidIndex => Lo + (Hi - Lo) / 2;

    public bool IsOver => Phase is GamePhase.DefenderWon or GamePhase.ChallengerWon;

    /// <summary>The defenders post the commitment at <see cref="MidIndex"/>.</summary>
    public (BisectionGame? Game, string? Error) Bisect(Hash256 midpoint, ulong height)
    {
        if (Phase != GamePhase.DefenderMoves)
            return (null, $"the game waits for {Waiting}, not a midpoint");
        if (height > Deadline)
            return (null, $"the defenders' deadline (L1 block {Deadline}) has passed");
        return (this with { Mid = midpoint, Phase = GamePhase.ChallengerMoves, Deadline = height + MoveBlocks }, null);
    }

    /// <summary>The challenger keeps the half it disputes: the lower one (<paramref name="lower"/>: it disputes the midpoint) or the upper one (it agrees with it).</summary>
    public (BisectionGame? Game, string? Error) Choose(bool lower, ulong height)
    {
        if (Phase != GamePhase.ChallengerMoves || Mid is not { } mid)
            return (null, $"the game waits for {Waiting}, not a choice");
        if (height > Deadline)
            return (null, $"the challenger's deadline (L1 block {Deadline}) has passed");
        var next = lower ? this with { Hi = MidIndex, HiCommitment = mid } : this with { Lo = MidIndex, LoCommitment = mid };
        return (next with { Mid = null, Phase = next.Hi - next.Lo == 1 ? GamePhase.OneStep : GamePhase.DefenderMoves, Deadline = height + MoveBlocks }, null);
    }

    /// <summary>
    /// The challenger's proof of step <see cref="Lo"/> is in: <paramref name="proof"/> starts from the
    /// agreed commitment and runs the block's own step (<paramref name="stepTransaction"/>: the id of
    /// the block's transaction at that index, null for the fee split), and <paramref name="post"/> is
    /// what it verified to (<see cref="OneStepProof.Verify"/>). The challenger wins when that is not the
    /// defenders' claim. A proof of any other transaction is refused: it would prove another block.
    /// </summary>
    public (BisectionGame? Game, string? Error) Prove(OneStepProof proof, Hash256? stepTransaction, Hash256 post, ulong height)
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
    public (BisectionGame? Game, string? Error) Timeout(ulong height)
    {
        if (IsOver)
            return (null, "the game is over");
        if (height <= Deadline)
            return (null, $"{Waiting} may still move until L1 block {Deadline}");
        return (this with { Phase = Phase == GamePhase.DefenderMoves ? GamePhase.ChallengerWon : GamePhase.DefenderWon }, null);
    }

    private string Waiting => Phase switch
    {
        GamePhase.DefenderMoves => "the defenders' midpoint",
        GamePhase.ChallengerMoves => "the challenger's choice",
        GamePhase.OneStep => "the challenger's one-step proof",
        _ => "nothing (it is over)",
    };
}
