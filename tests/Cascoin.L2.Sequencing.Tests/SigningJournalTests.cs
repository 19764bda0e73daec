using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Consensus;
using Cascoin.L2.Sequencing.Consensus.Bft;
using Cascoin.L2.Storage;
using Cascoin.L2.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascoin.L2.Sequencing.Tests;

/// <summary>
/// "Never slashable when honest" (SPEC §7): what a sequencer signed is on disk before it leaves, and
/// survives a restart (a real RocksDB reopened) and an L1 reorganization that makes the node decide
/// the height again on another parent.
/// </summary>
public sealed class SigningJournalTests
{
    private const ulong ChainId = 77;
    private static readonly Hash256 ParentA = SequencerKeys.RandomHash(new Random(1));
    private static readonly Hash256 ParentB = SequencerKeys.RandomHash(new Random(2));
    private static readonly Hash256 BlockX = SequencerKeys.RandomHash(new Random(3));
    private static readonly Hash256 BlockY = SequencerKeys.RandomHash(new Random(4));

    private static NodeDatabase Open(TestDirectory dir) => NodeDatabase.Open(dir.Combine("db"), new DatabaseOptions(), NullLogger.Instance);

    [Fact]
    public void A_second_different_message_for_one_height_round_and_step_is_refused_also_after_a_restart()
    {
        using var dir = TestDirectory.Create("signing-journal");
        using (var database = Open(dir))
        {
            var journal = new SigningJournal(database);
            Assert.True(journal.TryRecord(9, 2, VoteStep.Prevote, ParentA, BlockX));
            Assert.True(journal.TryRecord(9, 2, VoteStep.Prevote, ParentA, BlockX)); // the same again: a resend
            Assert.False(journal.TryRecord(9, 2, VoteStep.Prevote, ParentA, BlockY));
            Assert.False(journal.TryRecord(9, 2, VoteStep.Prevote, ParentA, Hash256.Zero)); // nil is a different message too
            Assert.True(journal.TryRecord(9, 2, VoteStep.Precommit, ParentA, Hash256.Zero));
            Assert.True(journal.TryRecord(9, 3, VoteStep.Prevote, ParentA, BlockY)); // another round is another message
        }
        using (var database = Open(dir))
        {
            var journal = new SigningJournal(database);
            Assert.False(journal.TryRecord(9, 2, VoteStep.Prevote, ParentB, BlockY));
            Assert.Equal(
                [new SignedStep(2, VoteStep.Prevote, BlockX), new SignedStep(2, VoteStep.Precommit, null), new SignedStep(3, VoteStep.Prevote, BlockY)],
                journal.SignedAt(9).Select(e => e.Signed));
            Assert.All(journal.SignedAt(9), e => Assert.Equal(ParentA, e.Parent));
            Assert.Empty(journal.SignedAt(10));
        }
        dir.Succeeded();
    }

    [Fact]
    public void Kept_prevotes_come_back_apart_from_the_signed_steps_and_pruning_drops_old_heights_only()
    {
        using var dir = TestDirectory.Create("signing-journal");
        using var database = Open(dir);
        var journal = new SigningJournal(database);
        var prevotes = Enumerable.Range(0, 3)
            .Select(i => new VoteMessage(SequencerKeys.AddressOf(i), SignedVote.Sign(ChainId, 9, 1, VoteStep.Prevote, BlockX, SequencerKeys.Key(i)))).ToList();
        journal.KeepJustification(9, prevotes);
        Assert.True(journal.TryRecord(9, 1, VoteStep.Precommit, ParentA, BlockX));
        Assert.True(journal.TryRecord(8, 0, VoteStep.Prevote, ParentA, BlockX));

        Assert.Equal(prevotes.Select(p => p.ToBytes()).Order(ByteOrder.Instance), journal.JustificationsAt(9).Select(p => p.ToBytes()).Order(ByteOrder.Instance));
        Assert.Equal([new SignedStep(1, VoteStep.Precommit, BlockX)], journal.SignedAt(9).Select(e => e.Signed));

        journal.PruneBelow(9);
        Assert.Empty(journal.SignedAt(8));
        Assert.Single(journal.SignedAt(9));
        Assert.Equal(3, journal.JustificationsAt(9).Count);
        dir.Succeeded();
    }

    /// <summary>
    /// The node signed at height 9 in rounds 0–2 on parent A; an L1 reorganization reverted the chain
    /// and height 9 is decided again on parent B. It resumes above round 2 with no lock from the dead
    /// branch, and whatever the state machine then asks it to sign, the journal never has to refuse.
    /// </summary>
    [Fact]
    public void After_an_L1_reorganization_a_height_decided_again_never_asks_to_sign_against_the_journal()
    {
        using var dir = TestDirectory.Create("signing-journal");
        using var database = Open(dir);
        var journal = new SigningJournal(database);
        foreach (var round in new[] { 0, 1, 2 })
        {
            Assert.True(journal.TryRecord(9, round, VoteStep.Prevote, ParentA, BlockX));
            Assert.True(journal.TryRecord(9, round, VoteStep.Precommit, ParentA, BlockX));
        }

        var (sameParent, firstRound, reopened) = journal.ResumeAt(9, ParentB);
        Assert.Empty(sameParent);
        Assert.Equal(3, firstRound);
        Assert.False(reopened);
        var set = Enumerable.Range(0, 4).ToDictionary(SequencerKeys.AddressOf, _ => (UInt128)10);
        var ranking = set.Keys.Order().ToList();
        var self = ranking[1];
        var node = new HeightConsensus(9, set, self, round => ranking[round % 4], BftTimeouts.FromLeaderTimeout(TimeSpan.FromSeconds(1)), sameParent, firstRound);

        var actions = node.Start().ToList();
        Assert.Equal(3, node.Round);
        Assert.Null(node.LockedBlock); // the lock on X died with parent A
        // The others prevote and precommit Y in round 3 (X is on the dead branch); then round 4 by timeouts.
        actions.AddRange(node.OnProposal(new RoundProposal(ranking[3], 3, -1, BlockY, true)));
        foreach (var voter in ranking.Where(a => a != self))
            actions.AddRange(node.OnVote(new RoundVote(voter, 3, VoteStep.Prevote, BlockY)));
        actions.AddRange(node.OnTimeout(RoundStep.Precommit, 3));
        actions.AddRange(node.OnTimeout(RoundStep.Propose, 4));
        actions.AddRange(node.OnTimeout(RoundStep.Prevote, 4));

        var signs = actions.OfType<SendVote>().ToList();
        Assert.NotEmpty(signs);
        Assert.All(signs, send => Assert.True(send.Round >= 3));
        Assert.All(signs, send => Assert.True(journal.TryRecord(9, send.Round, send.Step, ParentB, send.Block ?? Hash256.Zero), $"{send} was refused"));
        dir.Succeeded();
    }

    /// <summary>
    /// The height was decided and committed on parent A, then an L1 reorganization reverted it and it
    /// is decided again on the same parent: the old lock must not come back (the block it is on may be
    /// invalid now, which would hold the node forever), and the old rounds stay closed.
    /// </summary>
    [Fact]
    public void A_height_decided_before_and_reverted_resumes_above_its_rounds_without_the_old_lock()
    {
        using var dir = TestDirectory.Create("signing-journal");
        using var database = Open(dir);
        var journal = new SigningJournal(database);
        Assert.True(journal.TryRecord(9, 0, VoteStep.Proposal, ParentA, BlockX));
        Assert.True(journal.TryRecord(9, 0, VoteStep.Prevote, ParentA, BlockX));
        Assert.True(journal.TryRecord(9, 0, VoteStep.Precommit, ParentA, BlockX));
        var before = journal.ResumeAt(9, ParentA);
        Assert.Equal([new SignedStep(0, VoteStep.Proposal, BlockX), new SignedStep(0, VoteStep.Prevote, BlockX), new SignedStep(0, VoteStep.Precommit, BlockX)], before.SameParent);
        Assert.Equal(0, before.FirstRound);
        Assert.False(before.Reopened);

        journal.MarkDecided(9);
        journal.MarkDecided(9);
        var (sameParent, firstRound, reopened) = journal.ResumeAt(9, ParentA);
        Assert.Empty(sameParent);
        Assert.Equal(1, firstRound);
        Assert.True(reopened);
        Assert.Equal(3, journal.SignedAt(9).Count);
        Assert.Empty(journal.JustificationsAt(9));
        dir.Succeeded();
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
