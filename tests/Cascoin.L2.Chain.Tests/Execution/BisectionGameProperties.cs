using Cascoin.L2.Chain.Execution.Steps;
using Cascoin.L2.Primitives;
using FsCheck.Xunit;

namespace Cascoin.L2.Chain.Tests.Execution;

/// <summary>
/// SPEC §9 properties 5 and 6 on the game's rules, with real blocks, real step commitments and real
/// one-step proofs (<see cref="ProvenBlock"/>): an honest defender of a correct block wins whatever the
/// challenger moves (random choices, slow moves, proofs of other transactions or from other states);
/// against any wrong claimed end, whatever the lying defenders post at each midpoint, an honest
/// challenger wins. Either way the game ends within <see cref="BisectionGame.MaxMoves"/> moves.
/// </summary>
public sealed class BisectionGameProperties
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
        var game = BisectionGame.Open(honest[0], honest[steps], steps, height, MoveBlocks);
        var moves = 0;
        while (!game.IsOver)
        {
            height += (ulong)random.Next(0, 2);
            switch (game.Phase)
            {
                case GamePhase.DefenderMoves:
                    game = game.Bisect(honest[game.MidIndex], height).Game!;
                    break;
                case GamePhase.ChallengerMoves when random.Next(8) == 0:
                    height += MoveBlocks + 1; // the challenger sleeps past its deadline
                    game = game.Timeout(height).Game!;
                    break;
                case GamePhase.ChallengerMoves:
                    game = game.Choose(random.Next(2) == 0, height).Game!;
                    break;
                default:
                    game = ChallengerTriesToProve(block, game, random, height);
                    break;
            }
            moves++;
        }
        Assert.Equal(GamePhase.DefenderWon, game.Phase);
        Assert.True(moves <= BisectionGame.MaxMoves(steps), $"{moves} moves for {steps} steps");
    }

    /// <summary>
    /// The challenger at the last step: first lies it might try (another transaction, another starting
    /// state, another step), which the rules refuse; then the true proof, which proves the defenders right;
    /// or it gives up and times out.
    /// </summary>
    private static BisectionGame ChallengerTriesToProve(ProvenBlock block, BisectionGame game, Random random, ulong height)
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
        var honest = block.Commitments;
        var steps = block.Steps.Count;
        // The defenders signed a wrong end; at each midpoint they post the truth or anything else, at random.
        var claimedEnd = Lie(random);
        var height = 1_000UL;
        var game = BisectionGame.Open(honest[0], claimedEnd, steps, height, MoveBlocks);
        var moves = 0;
        while (!game.IsOver)
        {
            height += (ulong)random.Next(0, 2);
            switch (game.Phase)
            {
                case GamePhase.DefenderMoves when random.Next(10) == 0:
                    height += MoveBlocks + 1;
                    game = game.Timeout(height).Game!;
                    break;
                case GamePhase.DefenderMoves:
                    game = game.Bisect(random.Next(2) == 0 ? honest[game.MidIndex] : Lie(random), height).Game!;
                    break;
                case GamePhase.ChallengerMoves:
                    // It disputes the lower half exactly when the midpoint is not the truth.
                    game = game.Choose(game.Mid != honest[game.MidIndex], height).Game!;
                    break;
                default:
                    Assert.Equal(honest[game.Lo], game.LoCommitment); // the challenger only ever agreed to the truth
                    var proof = block.Steps.ProofOf(game.Lo);
                    var (post, error) = proof.Verify(block.Frame);
                    Assert.Null(error);
                    game = game.Prove(proof, block.TransactionAt(game.Lo), post!.Value, height).Game!;
                    break;
            }
            moves++;
        }
        Assert.Equal(GamePhase.ChallengerWon, game.Phase);
        Assert.True(moves <= BisectionGame.MaxMoves(steps), $"{moves} moves for {steps} steps");
    }

    [Fact]
    public void Moves_grow_with_the_logarithm_of_the_steps()
    {
        Assert.Equal(1, BisectionGame.MaxMoves(1));
        Assert.Equal(3, BisectionGame.MaxMoves(2));
        Assert.Equal(5, BisectionGame.MaxMoves(3));
        Assert.Equal(29, BisectionGame.MaxMoves(10_001)); // 10,000 transactions and the fee split: 14 halvings
        Assert.Equal(23, BisectionGame.MaxMoves(1_429)); // a full 30 M gas block of transfers
    }

    private static Hash256 Lie(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return new Hash256(bytes);
    }
}
