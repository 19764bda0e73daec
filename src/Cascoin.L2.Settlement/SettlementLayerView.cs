using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement;

/// <summary>One L2 chain's view of its settlement layer: the confirmed L1 tip, the chain's L1 queues and its epoch keys.</summary>
public sealed class SettlementLayerView : ISettlementView
{
    private readonly IL1Client _l1;
    private readonly ulong _chainId;

    public SettlementLayerView(IL1Client l1, ulong chainId)
    {
        ArgumentNullException.ThrowIfNull(l1);
        _l1 = l1;
        _chainId = chainId;
    }

    public (ulong Height, Hash256 Hash) ConfirmedTip
    {
        get
        {
            var tip = _l1.Tip;
            var confirmations = _l1.Parameters.Confirmations;
            var height = tip.Height + 1 >= confirmations ? tip.Height + 1 - confirmations : 0;
            return (height, _l1.GetHash(height) ?? tip.Hash);
        }
    }

    public L1BlockReference? ConfirmedBlock(ulong height)
    {
        if (height > ConfirmedTip.Height || _l1.GetHeader(height) is not { } header)
            return null;
        return new L1BlockReference(header.Height, header.Hash, header.Timestamp);
    }

    public EpochKeyInfo? EpochKey(ulong epoch) =>
        _l1.GetEpochKey(_chainId, epoch) is { } record ? new EpochKeyInfo(record.Epoch, record.Key, record.CommittedHeight) : null;

    public L1Message? GetQueued(L1MessageKind kind, ulong sequence) => _l1.GetQueued(_chainId, kind, sequence);
}
