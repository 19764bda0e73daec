using Cascoin.L2.Chain.Execution.Steps;
using Cascoin.L2.Primitives;
using FsCheck.Xunit;

namespace Cascoin.L2.Chain.Tests.Execution;

/// <summary>
/// SPEC §9 properties 5 and 6 on the game's rules, with real blocks, real step commitments and real
/// one-step proofs (<see cref="ProvenBlock"/>), at random widths (2 is bisection): an honest defender
/// of a correct block wins whatever the challenger moves (random choices, slow moves, proofs of other
/// transactions or of other steps); against any wrong claimed end, whatever the lying defenders post at
/// each cut, an honest challenger wins. Either way the game ends within <see cref="DissectionGame.MaxMoves"/> moves.
/// </summary>
public sealed class DissectionGameProperties
{
    private const ulong MoveBlocks = 3;

    [Property(Arbitrary = [typeof(ChainGenerators)], MaxTest = 100)]
    public void An_honest_defender_of_a_correct_block_wins_whatever_the_challenger_moves(Seed seed)
    {
        var random = new Random(seed.Value);
        using var block = ProvenBlock.Random(random, "bisection-honest-defender");
        var honest = block.Commitments;
        var steps = block.Steps.Count;
        var height = 1_000UL;
        var game = DissectionGame.Open(honest[0], honest[steps], steps, height, MoveBlocks, Widths[random.Next(Widths.Length)]);
        var moves = 0;
        while (!game.IsOver)
        {
            height += (ulong)random.Next(0, 2);
            switch (game.Phase)
            {
                case GamePhase.DefenderMoves:
                    game = game.Dissect(Cuts(game, i => honest[i]), height).Game!;
                    break;
                case GamePhase.ChallengerMoves when random.Next(8) == 0:
                    height += MoveBlocks + 1; // the challenger sleeps past its deadline
                    game = game.Timeout(height).Game!;
                    break;
                case GamePhase.ChallengerMoves:
                    game = game.Choose(random.Next(game.Parts), height).Game!;
                    break;
                default:
                    game = ChallengerTriesToProve(block, game, random, height);
                    break;
            }
            moves++;
        }
        Assert.Equal(GamePhase.DefenderWon, game.Phase);
        Assert.True(moves <= DissectionGame.MaxMoves(steps, game.Width), $"{moves} moves for {steps} steps at width {game.Width}");
    }

    /// <summary>
    /// The challenger at the last step: first lies it might try (another transaction, another starting
    /// state, another step), which the rules refuse; then the true proof, which proves the defenders right;
    /// or it gives up and times out.
    /// </summary>
    private static DissectionGame ChallengerTriesToProve(ProvenBlock block, DissectionGame game, Random random, ulong height)
    {
        var proof = block.Steps.ProofOf(game.Lo);
        var expected = block.TransactionAt(game.Lo);
        foreach (var transaction in block.Transactions.Where(t => t.Id != expected).Take(2))
        {
            var other = proof with { Transaction = transaction };
            if (other.Verify(block.Frame).Post is { } post)
                Assert.Null(game.Prove(other, expected, post, height).Game);
        }
        if (game.Lo + 1 < block.Steps.Count)
        {
            var later = block.Steps.ProofOf(game.Lo + 1);
            Assert.Null(game.Prove(later, block.TransactionAt(game.Lo + 1), later.Verify(block.Frame).Post!.Value, height).Game);
        }
        if (random.Next(6) == 0)
            return game.Timeout(height + MoveBlocks + 1).Game!;
        var (verified, error) = proof.Verify(block.Frame);
        Assert.Null(error);
        return game.Prove(proof, expected, verified!.Value, height).Game!;
    }

    [Property(Arbitrary = [typeof(ChainGenerators)], MaxTest = 100)]
    public void An_honest_challenger_wins_against_any_wrong_claim_whatever_the_defenders_post(Seed seed)
    {
        var random = new Random(seed.Value);
        using var block = ProvenBlock.Random(random, "bisection-honest-challenger");
        // The defenders signed a wrong end; at each midpoint they post the truth or anything else, at random, or sleep.
        HonestChallengerWins(block, random, sleepingDefenders: true, i => random.Next(2) == 0 ? block.Commitments[i] : Lie(random));
    }

    /// <summary>
    /// A block holding a transaction the chain refuses, signed with any end: whatever the defenders post
    /// at each cut (the truth, Invalid, or a made-up state), an honest challenger wins — by a proof of
    /// the refused step or an earlier one, or at once when the range it disputes starts at Invalid (the
    /// defenders' trap: a range after the refusal, where no proof could start).
    /// </summary>
    [Property(Arbitrary = [typeof(ChainGenerators)], MaxTest = 100)]
    public void An_honest_challenger_wins_against_a_block_with_a_refused_transaction_whatever_the_defenders_post(Seed seed)
    {
        var random = new Random(seed.Value);
        using var block = ProvenBlock.Random(random, "bisection-invalid-block", invalid: true);
        HonestChallengerWins(block, random, sleepingDefenders: false,
            i => random.Next(3) switch { 0 => block.Commitments[i], 1 => StepState.Invalid, _ => Lie(random) });
    }

    /// <summary>
    /// A game over a wrong claimed end, the defenders cutting with <paramref name="cut"/> at each boundary
    /// index (and, if <paramref name="sleepingDefenders"/>, sometimes sleeping past their deadline)
    /// against an honest challenger, who names the first part whose end is not the truth and proves the
    /// last step: the challenger wins, within the most moves, and is never asked a proof after a refused step.
    /// </summary>
    private static void HonestChallengerWins(ProvenBlock block, Random random, bool sleepingDefenders, Func<int, Hash256> cut)
    {
        var honest = block.Commitments;
        var steps = block.Steps.Count;
        var height = 1_000UL;
        var game = DissectionGame.Open(honest[0], Lie(random), steps, height, MoveBlocks, Widths[random.Next(Widths.Length)]);
        var moves = 0;
        while (!game.IsOver)
        {
            height += (ulong)random.Next(0, 2);
            switch (game.Phase)
            {
                case GamePhase.DefenderMoves when sleepingDefenders && random.Next(10) == 0:
                    height += MoveBlocks + 1;
                    game = game.Timeout(height).Game!;
                    break;
                case GamePhase.DefenderMoves:
                    game = game.Dissect(Cuts(game, cut), height).Game!;
                    break;
                case GamePhase.ChallengerMoves:
                    // It names the first part whose end is not the truth (the start of each part it agreed to).
                    var part = 0;
                    while (part < game.Parts - 1 && game.Cuts![part] == honest[game.Boundary(part + 1)])
                        part++;
                    game = game.Choose(part, height).Game!;
                    break;
                default:
                    Assert.Equal(honest[game.Lo], game.LoCommitment); // the challenger only ever agreed to the truth
                    Assert.True(block.Refused is null || game.Lo <= block.Refused, $"a proof is asked of step {game.Lo}, after the refused step {block.Refused}");
                    var proof = block.Steps.ProofOf(game.Lo);
                    var (post, error) = proof.Verify(block.Frame);
                    Assert.Null(error);
                    game = game.Prove(proof, block.TransactionAt(game.Lo), post!.Value, height).Game!;
                    break;
            }
            moves++;
        }
        Assert.Equal(GamePhase.ChallengerWon, game.Phase);
        Assert.True(moves <= DissectionGame.MaxMoves(steps, game.Width), $"{moves} moves for {steps} steps at width {game.Width}");
    }

    [Fact]
    public void A_range_that_starts_at_invalid_ends_the_game_at_once()
    {
        var (valid, other) = (new Hash256(new byte[32]), new Hash256(Enumerable.Repeat((byte)7, 32).ToArray()));
        var game = DissectionGame.Open(valid, other, 8, 100, MoveBlocks, 2).Dissect([StepState.Invalid], 100).Game!;
        // The defenders claim a state after Invalid: they lose.
        Assert.Equal(GamePhase.ChallengerWon, game.Choose(1, 101).Game!.Phase);
        // A challenger that disputes Invalid after Invalid loses.
        var both = DissectionGame.Open(valid, other, 8, 100, MoveBlocks, 4).Dissect([valid, StepState.Invalid, StepState.Invalid], 100).Game!;
        Assert.Equal(GamePhase.DefenderWon, both.Choose(2, 101).Game!.Phase);
        Assert.Equal(GamePhase.DefenderMoves, both.Choose(0, 101).Game!.Phase);
    }

    [Fact]
    public void Moves_grow_with_the_logarithm_of_the_steps_in_the_width()
    {
        Assert.Equal(1, DissectionGame.MaxMoves(1, 2));
        Assert.Equal(3, DissectionGame.MaxMoves(2, 2));
        Assert.Equal(5, DissectionGame.MaxMoves(3, 2));
        Assert.Equal(29, DissectionGame.MaxMoves(10_001, 2)); // 10,000 transactions and the fee split: 14 halvings
        Assert.Equal(23, DissectionGame.MaxMoves(1_429, 2)); // a full 30 M gas block of transfers
        Assert.Equal(5, DissectionGame.MaxMoves(2_429, 64)); // the most steps a block holds (1,428 transfers, 1,000 queue entries, the fee split)
        Assert.Equal(3, DissectionGame.MaxMoves(64, 64));
    }

    /// <summary>Widths the properties play at: bisection, odd cuts, and regtest's wide one.</summary>
    private static readonly int[] Widths = [2, 3, 7, 64];

    /// <summary>The commitments a defender posts this round, from <paramref name="at"/> each boundary index.</summary>
    private static List<Hash256> Cuts(DissectionGame game, Func<int, Hash256> at) =>
        Enumerable.Range(1, game.Parts - 1).Select(i => at(game.Boundary(i))).ToList();

    private static Hash256 Lie(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return new Hash256(bytes);
    }
}
