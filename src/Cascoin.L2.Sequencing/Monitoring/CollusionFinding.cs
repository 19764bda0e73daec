using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Monitoring;

/// <summary>What made a group of sequencers look like they act as one.</summary>
public enum CollusionKind
{
    /// <summary>Their votes arrive a fixed distance apart, to within a few ms: one machine (or one relay) sends them.</summary>
    VoteTiming = 1,

    /// <summary>They vote nil on the same heights while the others vote for the block, more often than chance explains.</summary>
    NilPattern = 2,

    /// <summary>Related addresses holding together more stake than one operator may.</summary>
    StakeConcentration = 3,

    /// <summary>As leaders they left out the same due forced-inclusion entries.</summary>
    ForcedEntrySkips = 4,
}

/// <summary>
/// One alert: <paramref name="Members"/> (sorted by address, at least two) look like one actor for the
/// reason <paramref name="Kind"/>. <paramref name="Score"/> is in [0, 1], higher is more suspicious;
/// its meaning per kind is on <see cref="CollusionDetector"/>. <paramref name="Evidence"/> is for an
/// operator to read. Equality compares the members element by element (not the list reference), so
/// two runs over the same observations compare equal.
/// </summary>
public sealed record CollusionFinding(CollusionKind Kind, IReadOnlyList<Address> Members, double Score, string Evidence)
{
    public bool Equals(CollusionFinding? other) =>
        other is not null
        && Kind == other.Kind
        && Members.SequenceEqual(other.Members)
        && Score.Equals(other.Score)
        && Evidence == other.Evidence;

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Kind);
        foreach (var member in Members)
            hash.Add(member);
        hash.Add(Score);
        hash.Add(Evidence);
        return hash.ToHashCode();
    }

    public override string ToString() => $"{Kind} [{string.Join(", ", Members)}] score {Score:0.000}: {Evidence}";
}
