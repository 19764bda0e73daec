using System.Buffers.Binary;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Crypto;
using Cascoin.L2.Crypto.Threshold;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Contracts;

/// <summary>
/// The registry's record of each epoch's encryption key (doc/encrypted-mempool.md): users and nodes
/// learn the key from L1, not from one node, and shares are checked against verification keys that
/// more than 2/3 of the set signed. Epochs count from 1, one after another; each names a recent L1
/// height whose sequencer set (in address order) is the key's member set.
/// </summary>
public static class EpochKeys
{
    /// <summary>The newest committed key of <paramref name="chainId"/>, or null.</summary>
    public static EpochKeyRecord? Latest(L1StateView state, ulong chainId)
    {
        ArgumentNullException.ThrowIfNull(state);
        return LatestEpoch(state, chainId) is var epoch and > 0 ? Get(state, chainId, epoch) : null;
    }

    public static EpochKeyRecord? Get(L1StateView state, ulong chainId, ulong epoch)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Get(SettlementKeys.EpochKey(chainId, epoch)) is { } bytes ? EpochKeyRecord.FromBytes(bytes) : null;
    }

    private static ulong LatestEpoch(L1StateView state, ulong chainId) =>
        state.Get(SettlementKeys.LatestEpoch(chainId)) is { Length: 8 } bytes ? BinaryPrimitives.ReadUInt64LittleEndian(bytes) : 0;

    public static L1Refusal? Commit(ContractContext context, EpochKeyCall call)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(call);
        if (context.State.GetChain(call.ChainId) is not { } chain)
            return L1Refusal.UnknownChain(call.ChainId);
        if (chain.Status is not (ChainStatus.Active or ChainStatus.Paused))
            return L1Refusal.Closed(call.ChainId, chain.Status, "it takes no new encryption key");
        if (chain.Encryption == Chain.Transactions.EncryptionPolicy.Off)
            return Bad($"chain {call.ChainId} was deployed without an encrypted mempool: it takes no encryption key");
        var latest = Latest(context.State, call.ChainId);
        if (call.Epoch != (latest?.Epoch ?? 0) + 1)
            return Bad($"the next epoch of chain {call.ChainId} is {(latest?.Epoch ?? 0) + 1}, not {call.Epoch}");
        if (call.SetHeight >= context.Height || call.SetHeight + context.Parameters.MaxAnchorL1Age < context.Height || call.SetHeight <= (latest?.SetHeight ?? 0) && latest is not null)
            return new L1Refusal(L1RefuseReason.BadL1Reference,
                $"the key's set height {call.SetHeight} must be one of the last {context.Parameters.MaxAnchorL1Age} L1 blocks and after the previous epoch's ({latest?.SetHeight})");
        if (context.SequencerWeightsAt(call.ChainId, call.SetHeight) is not { } weights)
            return new L1Refusal(L1RefuseReason.BadL1Reference, $"the sequencer set of L1 height {call.SetHeight} is not known");
        var members = weights.Keys.Order().ToList();
        if (members.Count == 0)
            return Bad($"chain {call.ChainId} has no eligible sequencer at L1 height {call.SetHeight}");
        if (call.VerificationKeys.Count != members.Count)
            return Bad($"the set of L1 height {call.SetHeight} has {members.Count} members, the key {call.VerificationKeys.Count} verification keys");
        if (!IsPoint(call.PublicKey) || !call.VerificationKeys.All(IsPoint))
            return Bad("the key and every verification key must be compressed secp256k1 points");
        var threshold = ThresholdKey.ThresholdFor(members.Count);
        if (call.Qualified.Count < threshold || call.Qualified.Any(d => d < 1 || d > members.Count) || !call.Qualified.Zip(call.Qualified.Skip(1)).All(p => p.First < p.Second))
            return Bad($"the qualified dealers must be at least {threshold} distinct members in 1..{members.Count}, in order");
        if (SignersError(call, weights) is { } unsigned)
            return unsigned;
        var record = new EpochKeyRecord(call.ChainId, call.Epoch, call.SetHeight, members, threshold, call.PublicKey, call.VerificationKeys, call.Qualified, context.Height);
        context.State.Set(SettlementKeys.EpochKey(call.ChainId, call.Epoch), record.ToBytes());
        var epoch = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(epoch, call.Epoch);
        context.State.Set(SettlementKeys.LatestEpoch(call.ChainId), epoch);
        return null;
    }

    /// <summary>Distinct members holding more than 2/3 of the set's weight signed the call's digest (the count anchors use).</summary>
    private static L1Refusal? SignersError(EpochKeyCall call, IReadOnlyDictionary<Address, UInt128> weights)
    {
        var tally = CertificateTally.OfSigners(SignatureSigners.RecoverAll(call.Signatures, call.Digest.ToArray()), weights);
        return tally.Fault switch
        {
            CertificateFault.None => null,
            CertificateFault.SignatureDoesNotRecover => new L1Refusal(L1RefuseReason.BadCertificate, "a signature of the epoch key does not recover"),
            CertificateFault.RepeatedSigner => new L1Refusal(L1RefuseReason.BadCertificate, $"{tally.Culprit} signed the epoch key twice"),
            CertificateFault.SignerNotInSet => new L1Refusal(L1RefuseReason.BadCertificate, $"{tally.Culprit} is not in the sequencer set of L1 height {call.SetHeight}"),
            _ => new L1Refusal(L1RefuseReason.BadCertificate,
                $"the epoch key is signed by {tally.Signers.Count} of {weights.Count} sequencers, not more than 2/3 of their weight"),
        };
    }

    private static bool IsPoint(byte[] bytes) => bytes.Length == EpochKeyCall.PointSize && bytes[0] is 2 or 3 && PublicKey.TryParse(bytes, out _);

    private static L1Refusal Bad(string message) => new(L1RefuseReason.BadParameter, message);
}
