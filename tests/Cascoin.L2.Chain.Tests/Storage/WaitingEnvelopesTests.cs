using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Chain.Tests.Transactions;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Crypto.Threshold;
using Cascoin.L2.Primitives;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Chain.Tests.Storage;

/// <summary>
/// The waiting envelopes at the head, which a node reads once per block and then only the new ones:
/// on a real chain (RocksDB) whose blocks order a random number of envelopes and open a random prefix
/// of the waiting ones, and across a revert, they always equal a full read of the head's state.
/// </summary>
public sealed class WaitingEnvelopesTests
{
    private static readonly Lazy<(ThresholdKey Key, List<KeyShare> Shares)> EpochKey = new(() => EnvelopeProperties.Dkg(4));
    private static readonly PrivateKey AliceKey = TestKeys.Key(1);
    private static readonly GenesisSpec Genesis = new(TestChains.GenesisTime, [new GenesisAllocation(TestKeys.AddressOf(AliceKey), Amount.FromCas(100))]);

    /// <summary>The settlement port of a chain whose L1 holds epoch 1's key and nothing else.</summary>
    private sealed class EpochOneOnly : ISettlementView
    {
        public (ulong Height, Hash256 Hash) ConfirmedTip => (0, Hash256.Zero);

        public L1BlockReference? ConfirmedBlock(ulong height) => height == 0 ? new L1BlockReference(0, Hash256.Zero, 0) : null;

        public EpochKeyInfo? EpochKey(ulong epoch) => epoch == 1 ? new EpochKeyInfo(1, WaitingEnvelopesTests.EpochKey.Value.Key, 0) : null;

        public L1Message? GetQueued(L1MessageKind kind, ulong sequence) => null;
    }

    /// <summary>The opening the leader would make for a waiting envelope: the secret t members' batch shares give.</summary>
    private static Transaction OpeningOf(ulong sequence, Cascoin.L2.Chain.Execution.QueuedEnvelope queued)
    {
        var (epoch, ciphertext) = Envelope.Parse(queued.Envelope)!.Value;
        var batch = CiphertextBatch.Of([ciphertext], [Envelope.LabelOf(queued.Envelope, queued.Sender, epoch)], [1])!;
        var key = EpochKey.Value.Key;
        var secret = BatchDecryptionShare.CombineSecrets(key, batch, EpochKey.Value.Shares.Take(key.Threshold).Select(s => BatchDecryptionShare.Create(s, batch)))![0]!;
        return Decryption.WithSecret(Tx.ChainId, sequence, secret);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_waiting_envelopes_always_equal_a_full_read_of_the_head(int seed)
    {
        using var directory = TestDirectory.Create($"waiting-envelopes-{seed}");
        using (var node = ChainNode.Open(directory.Combine("db"), TestChains.Default with { Encryption = EncryptionPolicy.Optional }))
        {
            var chain = node.Chain;
            chain.EnsureGenesis(Genesis);
            chain.Settlement = new EpochOneOnly();
            var random = new Random(seed);
            var opens = 0;
            // Each block opens a random prefix of what waits: sometimes none (shares late), sometimes all.
            chain.OpenEnvelopes = waiting => [.. waiting.Take(opens).Select(w => OpeningOf(w.Sequence, w.Envelope))];
            ulong nonce = 0;
            List<Transaction> Envelopes(int count, int recipient)
            {
                var sealedOnes = Enumerable.Range(0, count)
                    .Select(i => Envelope.Seal(Tx.Transfer(AliceKey, nonce + (ulong)i, TestKeys.AddressAt(recipient), 1), 1, EpochKey.Value.Key.PublicKey, 20, 2, AliceKey))
                    .ToList();
                nonce += (ulong)count;
                return sealedOnes;
            }
            for (var block = 0; block < 14; block++)
            {
                var waiting = chain.WaitingEnvelopes();
                opens = random.Next(waiting.Count + 1);
                L2BlockchainTests.ProduceAndCommit(chain, Envelopes(random.Next(4), 2));
                AssertSame(chain);
                if (block == 9)
                {
                    // A revert takes the head back two blocks, and two other blocks, unread (nothing opens
                    // them), order other envelopes under the same sequences: what was read at the undone
                    // head must not be reused.
                    var undone = chain.Head;
                    chain.RevertTo(undone.Number - 2);
                    nonce = chain.GetAccount(TestKeys.AddressOf(AliceKey)).Nonce;
                    var open = chain.OpenEnvelopes;
                    chain.OpenEnvelopes = null;
                    L2BlockchainTests.ProduceAndCommit(chain, Envelopes(3, 3));
                    L2BlockchainTests.ProduceAndCommit(chain, Envelopes(3, 3));
                    chain.OpenEnvelopes = open;
                    Assert.Equal(undone.Number, chain.Head.Number);
                    AssertSame(chain);
                }
            }
            Assert.True(chain.Envelopes.Next > 10, $"the run ordered only {chain.Envelopes.Next} envelopes");
            Assert.True(chain.Envelopes.Opened > 0, "the run opened none");
        }
        directory.Succeeded();
    }

    private static void AssertSame(L2Blockchain chain)
    {
        var expected = chain.ReadAllWaiting();
        var actual = chain.WaitingEnvelopes();
        Assert.Equal(expected.Select(w => (w.Sequence, w.Envelope.Envelope.Id)), actual.Select(w => (w.Sequence, w.Envelope.Envelope.Id)));
    }
}
