using Cascoin.L2.Crypto;
using Cascoin.L2.Crypto.Threshold;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.Contracts;

/// <summary>
/// The registry's epoch keys (doc/encrypted-mempool.md) on a real settlement chain with four staked
/// sequencers: a key their DKG made, signed by more than 2/3 of the set, is recorded as epoch 1 with
/// the set in address order; the attacks a single sequencer or a minority could try are refused —
/// too few signers, an outsider's signature, a repeated signer, a skipped or repeated epoch, a set
/// height that is stale or in the future, a verification key short or off the curve, fewer qualified
/// dealers than the threshold, a fee below the per-byte price.
/// </summary>
public sealed class EpochKeyTests
{
    private static readonly PrivateKey[] Others = [TestKeys.Key(81), TestKeys.Key(82), TestKeys.Key(83)];

    [Fact]
    public void A_key_signed_by_more_than_two_thirds_of_the_set_is_recorded_and_every_forgery_is_refused()
    {
        StakedChain.Run(nameof(A_key_signed_by_more_than_two_thirds_of_the_set_is_recorded_and_every_forgery_is_refused), Chain.Transactions.EncryptionPolicy.Optional, (l1, chainId) =>
        {
            var (keys, setHeight) = BondMembers(l1, chainId, Others);
            var key = Dkg(keys, chainId);
            EpochKeyCall Call(ulong epoch = 1, ulong? height = null, IReadOnlyList<byte[]>? verification = null, IReadOnlyList<ushort>? qualified = null) =>
                new(chainId, epoch, height ?? setHeight, key.PublicKey, verification ?? key.VerificationKeys, qualified ?? [1, 2, 3, 4], []);
            EpochKeyCall Signed(EpochKeyCall call, params PrivateKey[] by) =>
                call with { Signatures = by.Select(k => k.SignRecoverable(call.Digest.ToArray()).ToArray()).ToList() };
            string? Refusal(EpochKeyCall call) => l1.Execute(StakedChain.Sequencer, call).Error;

            Assert.Contains("no committed encryption key", new Application.SettlementQueries(l1.Chain, null).EpochKey(chainId).Error!.Message, StringComparison.Ordinal);
            Assert.Contains("not more than 2/3", Refusal(Signed(Call(), keys[0], keys[1])), StringComparison.Ordinal);
            Assert.Contains("not in the sequencer set", Refusal(Signed(Call(), keys[0], keys[1], TestKeys.Key(90))), StringComparison.Ordinal);
            Assert.Contains("twice", Refusal(Signed(Call(), keys[0], keys[1], keys[0])), StringComparison.Ordinal);
            Assert.Contains("next epoch", Refusal(Signed(Call(epoch: 2), keys[0], keys[1], keys[2])), StringComparison.Ordinal);
            Assert.Contains("set height", Refusal(Signed(Call(height: l1.Height + 1), keys[0], keys[1], keys[2])), StringComparison.Ordinal);
            Assert.Contains("3 verification keys", Refusal(Signed(Call(verification: key.VerificationKeys.Take(3).ToList()), keys[0], keys[1], keys[2])), StringComparison.Ordinal);
            var offCurve = key.VerificationKeys.Select((k, i) => i == 2 ? [2, .. new byte[32]] : k).ToList();
            Assert.Contains("compressed secp256k1 points", Refusal(Signed(Call(verification: offCurve), keys[0], keys[1], keys[2])), StringComparison.Ordinal);
            Assert.Contains("qualified dealers", Refusal(Signed(Call(qualified: [1, 4]), keys[0], keys[1], keys[2])), StringComparison.Ordinal);
            Assert.Contains("qualified dealers", Refusal(Signed(Call(qualified: [1, 3, 3, 4]), keys[0], keys[1], keys[2])), StringComparison.Ordinal);
            // A signature over another call (the signers agreed to another key) does not count for this one.
            var agreed = Signed(Call(), keys[0], keys[1], keys[2]);
            Assert.NotNull(Refusal(agreed with { PublicKey = key.VerificationKeys[0] }));

            // Its bytes pay their fee: one satoshi less is not taken.
            var fee = l1.Parameters.FeeFor(L1TransactionKind.CommitEpochKey, agreed.ToBytes().Length);
            Assert.True(fee > l1.Parameters.MinimumFee);
            Assert.NotNull(l1.Chain.Submit(l1.Sign(StakedChain.Sequencer, agreed, fee - Amount.FromSat(1))));

            var receipt = l1.Execute(StakedChain.Sequencer, agreed);
            Assert.True(receipt.Success, receipt.Error);
            var record = EpochKeys.Latest(l1.Chain.StateAtTip(), chainId)!;
            Assert.Equal(1UL, record.Epoch);
            Assert.Equal(3, record.Threshold);
            Assert.Equal(keys.Select(TestKeys.AddressOf), record.Members);
            Assert.Equal(key.PublicKey, record.PublicKey);
            Assert.Equal(key.VerificationKeys, record.VerificationKeys);
            Assert.Equal(setHeight, record.SetHeight);
            Assert.Equal(record.ToBytes(), new Application.SettlementQueries(l1.Chain, null).EpochKey(chainId).Value.ToBytes());

            // The recorded key works: encrypted to it, decrypted by any three members' shares checked against the recorded keys.
            var recorded = record.Key;
            var ciphertext = ThresholdEncryption.Encrypt(recorded.PublicKey, "transfer"u8, "header"u8);
            var shares = key.Shares.Skip(1).Select(s => ThresholdEncryption.CreateShare(s, ciphertext, "header"u8)!).ToList();
            Assert.Equal("transfer"u8.ToArray(), ThresholdEncryption.Combine(recorded, ciphertext, "header"u8, shares));

            // The same epoch again, or a set height not after the recorded one, is refused.
            Assert.Contains("next epoch", Refusal(Signed(Call(), keys[0], keys[1], keys[2])), StringComparison.Ordinal);
            Assert.Contains("set height", Refusal(Signed(Call(epoch: 2), keys[0], keys[1], keys[2])), StringComparison.Ordinal);
        }, Others);
    }

    [Fact]
    public void A_chain_without_an_encrypted_mempool_takes_no_key() =>
        StakedChain.Run(nameof(A_chain_without_an_encrypted_mempool_takes_no_key), (l1, chainId) =>
        {
            var setHeight = l1.Height;
            l1.Mine();
            var key = Dkg([StakedChain.Sequencer], chainId);
            var call = new EpochKeyCall(chainId, 1, setHeight, key.PublicKey, key.VerificationKeys, [1], []);
            call = call with { Signatures = [StakedChain.Sequencer.SignRecoverable(call.Digest.ToArray()).ToArray()] };
            Assert.Contains("without an encrypted mempool", l1.Execute(StakedChain.Sequencer, call).Error, StringComparison.Ordinal);
            Assert.Contains("deployed without an encrypted mempool", new Application.SettlementQueries(l1.Chain, null).EpochKey(chainId).Error!.Message, StringComparison.Ordinal);
        });

    /// <summary>
    /// Bonds <paramref name="others"/> beside the chain's sequencer and mines past the block they are
    /// in: the members in address order, each with its key (what a DKG runs over), and the set height.
    /// </summary>
    internal static (List<PrivateKey> Keys, ulong SetHeight) BondMembers(L1Node l1, ulong chainId, PrivateKey[] others)
    {
        foreach (var other in others)
        {
            l1.Submit(StakedChain.Sequencer, new SetReputationCall(TestKeys.AddressOf(other), 60));
            l1.Submit(other, new BondCall(chainId, l1.Parameters.MinimumSequencerStake));
        }
        l1.Mine();
        var setHeight = l1.Height;
        l1.Mine();
        return ([.. others.Prepend(StakedChain.Sequencer).OrderBy(k => TestKeys.AddressOf(k))], setHeight);
    }

    /// <summary>A DKG among the members, every one honest: the key, its verification keys and the shares.</summary>
    internal static (byte[] PublicKey, IReadOnlyList<byte[]> VerificationKeys, List<KeyShare> Shares) Dkg(List<PrivateKey> members, ulong chainId)
    {
        var context = BitConverter.GetBytes(chainId);
        var publicKeys = members.Select(m => m.PublicKey.ToArray()).ToList();
        var sessions = members.Select((m, i) => new DkgSession(context, publicKeys, ThresholdKey.ThresholdFor(members.Count), i + 1, m.ToArray())).ToList();
        var dealings = sessions.Select(s => s.Deal()).ToList();
        foreach (var session in sessions)
            dealings.ForEach(d => Assert.Null(session.Receive(d)));
        var exposures = sessions.Select(s => s.Expose()!).ToList();
        foreach (var session in sessions)
            exposures.ForEach(e => Assert.Null(session.ReceiveExposure(e)));
        var results = sessions.Select(s => s.Finish()!).ToList();
        return (results[0].Key.PublicKey, results[0].Key.VerificationKeys, results.Select(r => r.Share!).ToList());
    }
}
