using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Sequencing.Encryption;

/// <summary>
/// Checks the signed release that comes with a member's batch once its block is final here
/// (doc/encrypted-mempool.md, "Shares before finality"): the member signed it, and the certificate it
/// names certifies the block. A release whose certificate does not is evidence of shares made before
/// the block was final: this node posts it to the staking contract (<see cref="EarlySharesCall"/>),
/// which slashes the member.
/// </summary>
internal sealed class ShareReleaseCheck(L2Blockchain chain, IL1Client l1, PrivateKey key, NetworkParameters network, ILogger logger)
{
    private readonly Address _self = Address.FromPublicKey(key.PublicKey.AsSpan());

    public enum Outcome
    {
        Holds,

        /// <summary>Not signed by the member it names: nobody can be held to it, and the peer that sent it is scored.</summary>
        Unsigned,

        /// <summary>Signed, with a certificate that does not certify the block: reported on L1.</summary>
        Early,
    }

    /// <summary>Whether member <paramref name="member"/> of the epoch signed the release (no block needed: checked on arrival, so nobody can take a member's place with a batch of its own).</summary>
    public static bool IsSigned(DecryptionShareMessage message, int member, EpochKeyRecord record) =>
        member >= 1 && member <= record.Members.Count && SignatureSigners.Recover(message.Signature, message.ReleaseDigest.ToArray()) == record.Members[member - 1];

    /// <summary>
    /// Checks a member's batch message for <paramref name="block"/>, final here (its signature too,
    /// unless <paramref name="signed"/> says that was done on arrival); <paramref name="points"/> gives
    /// the points of the block's envelopes of the epoch, read only for evidence.
    /// </summary>
    public Outcome Check(DecryptionShareMessage message, int member, Block block, EpochKeyRecord record, Func<IReadOnlyList<byte[]>> points, bool signed)
    {
        var address = record.Members[member - 1];
        if (!signed && !IsSigned(message, member, record))
            return Outcome.Unsigned;
        if (chain.SetWeights?.Invoke(block.Number) is not { } weights || CertificateTally.Of(message.Certificate, chain.Parameters.ChainId, block.Header, weights).IsValid)
            return Outcome.Holds;
        logger.LogWarning("Member {Member} ({Address}) released its decryption shares of L2 block {Number} {Hash} with a certificate that does not certify it: shares released before finality; reporting it on L1",
            member, address, block.Number, block.Hash);
        Report(message, member, block, points());
        return Outcome.Early;
    }

    private void Report(DecryptionShareMessage message, int member, Block block, IReadOnlyList<byte[]> points)
    {
        if (chain.GetBlock(block.Number - 1) is not { } parent)
            return;
        var call = new EarlySharesCall(message.ChainId, message.Epoch, checked((ushort)member), block.Header, parent.Header, points, message.Share, message.Certificate, message.Signature);
        var payload = call.ToBytes();
        var transaction = L1Transaction.Sign(L1TransactionKind.ReportEarlyShares, l1.PendingNonce(_self), l1.Parameters.FeeFor(L1TransactionKind.ReportEarlyShares, payload.Length),
            payload, key, network);
        if (l1.Submit(transaction, refuseFailingCall: true) is { } refusal)
            logger.LogWarning("The evidence of member {Member}'s early shares of L2 block {Number} was refused: {Refusal}", member, block.Number, refusal);
        else
            logger.LogInformation("Posted the evidence of member {Member}'s early shares of L2 block {Number}: L1 transaction {Id}", member, block.Number, transaction.Id);
    }
}
