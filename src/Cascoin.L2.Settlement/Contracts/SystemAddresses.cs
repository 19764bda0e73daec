using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.Contracts;

/// <summary>
/// The fixed addresses of the system contracts (SPEC §6): 0x…01 registry, 0x…02 staking, 0x…03
/// bridge, 0x…04 anchors, 0x…05 fraud verifier, 0x…06 forced inclusion, 0x…07 reputation. No key
/// exists for them; value and messages sent to them are refused.
/// </summary>
public static class SystemAddresses
{
    public static Address Registry { get; } = Of(1);
    public static Address Staking { get; } = Of(2);
    public static Address Bridge { get; } = Of(3);
    public static Address Anchors { get; } = Of(4);
    public static Address FraudVerifier { get; } = Of(5);
    public static Address ForcedInclusion { get; } = Of(6);
    /// <summary>The L2 trusts score imports sent from this address (<see cref="Chain.Reputation.ReputationImport.Sender"/>, the same 0x…07).</summary>
    public static Address Reputation => Chain.Reputation.ReputationImport.Sender;

    public static bool IsSystem(Address address)
    {
        Span<byte> bytes = stackalloc byte[Address.Size];
        address.WriteTo(bytes);
        return bytes[..^1].IndexOfAnyExcept((byte)0) < 0 && bytes[^1] is >= 1 and <= 7;
    }

    private static Address Of(byte last)
    {
        var bytes = new byte[Address.Size];
        bytes[^1] = last;
        return new Address(bytes);
    }
}
