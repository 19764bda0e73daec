namespace Cascoin.L2.Crypto.Threshold;

/// <summary>
/// The public side of a threshold key (one epoch's encryption key): the joint public key Y = x·G, the
/// threshold t (any t members' shares decrypt, fewer reveal nothing), the members' indices (the
/// points 1..n of the sharing polynomial; a disqualified dealer's member keeps its index) and each
/// member's verification key Y_j = x_j·G, against which its decryption shares are checked.
/// </summary>
public sealed record ThresholdKey(byte[] PublicKey, int Threshold, IReadOnlyList<int> Members, IReadOnlyList<byte[]> VerificationKeys)
{
    /// <summary>Member indices are 1..this (two bytes in a share).</summary>
    public const int MaxMembers = 1024;

    /// <summary>⌈2n/3⌉: the threshold of a set of n members (SPEC §7a).</summary>
    public static int ThresholdFor(int members)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        return (2 * members + 2) / 3;
    }

    /// <summary>The verification key of member <paramref name="index"/>, or null when it is not a member.</summary>
    public byte[]? VerificationKeyOf(int index)
    {
        for (var i = 0; i < Members.Count; i++)
        {
            if (Members[i] == index)
                return VerificationKeys[i];
        }
        return null;
    }
}

/// <summary>A member's secret share x_j of an epoch key (32 bytes), at its index j.</summary>
public sealed record KeyShare(int Index, byte[] Secret)
{
    /// <summary>Never the secret.</summary>
    public override string ToString() => $"key share of member {Index}";
}
