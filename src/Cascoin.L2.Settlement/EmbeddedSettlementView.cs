using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement;

/// <summary>One L2 chain's view of the embedded settlement chain: its confirmed tip and its L1 queues.</summary>
public sealed class EmbeddedSettlementView : ISettlementView
{
    private readonly L1Chain _l1;
    private readonly ulong _chainId;

    public EmbeddedSettlementView(L1Chain l1, ulong chainId)
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
            var height = tip.Height + 1 >= _l1.Parameters.Confirmations ? tip.Height + 1 - _l1.Parameters.Confirmations : 0;
            return (height, _l1.GetHash(height) ?? tip.Hash);
        }
    }

    public L1Message? GetQueued(L1MessageKind kind, ulong sequence)
    {
        var state = _l1.StateAtTip();
        return kind == L1MessageKind.Forced ? state.GetForced(_chainId, sequence) : state.GetL1Message(_chainId, sequence);
    }
}
