using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Reputation;

/// <summary>
/// The L1→L2 message that carries an address's L1 HAT score to a chain (doc/reputation.md): queued by
/// the L1 reputation contract, so its sender is the contract's keyless system address, which no user
/// can sign for; its recipient is the address, its data a version byte and the score.
/// </summary>
public static class ReputationImport
{
    private const byte Version = 1;

    /// <summary>The reputation contract's system address on L1 (0x…07).</summary>
    public static Address Sender { get; } = SystemAddress(7);

    public static byte[] Encode(byte score) => [Version, score];

    /// <summary>The score an L1 message carries, or null when it is not a reputation import (another sender, or not this format).</summary>
    public static byte? ScoreOf(L1Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Kind == L1MessageKind.Message && message.Sender == Sender && message.Data is [Version, <= 100 and var score] ? score : null;
    }

    private static Address SystemAddress(byte last)
    {
        var bytes = new byte[Address.Size];
        bytes[^1] = last;
        return new Address(bytes);
    }
}
