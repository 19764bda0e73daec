using Cascoin.L2.Network;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing;

/// <summary>The first two checks of every L2 message handler: the sender's flood limit (the excess is dropped unread), then the decoder.</summary>
internal static class PeerMessages
{
    /// <summary>
    /// The message, or null when the peer sent too many (<see cref="PeerOffence.Flood"/>) or bytes that
    /// do not decode (<paramref name="offence"/>); either way the peer is charged and the bytes dropped.
    /// </summary>
    public static T? Read<T>(P2PNode p2p, FloodLimit flood, Peer peer, byte[] payload, Func<byte[], T> decode, PeerOffence offence, string what)
        where T : class
    {
        if (!flood.TryTake(peer))
        {
            p2p.Misbehaving(peer, PeerPenalties.Points(PeerOffence.Flood), $"{what} flood");
            return null;
        }
        try
        {
            return decode(payload);
        }
        catch (DecodeException ex)
        {
            p2p.Misbehaving(peer, PeerPenalties.Points(offence), $"a {what} that does not decode: {ex.Message}");
            return null;
        }
    }
}
