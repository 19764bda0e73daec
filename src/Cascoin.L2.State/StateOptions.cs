using Cascoin.L2.State.Smt;

namespace Cascoin.L2.State;

/// <summary>Policy of the L2 state: tree tuning and history, and dormant-account archiving.</summary>
public sealed record StateOptions
{
    public SmtOptions Tree { get; init; } = new();

    /// <summary>An account whose lastActivity is this many blocks old moves to the archive (SPEC §2: 1 year); null disables archiving.</summary>
    public ulong? ArchiveAfterBlocks { get; init; }

    /// <summary>The archive sweep runs on blocks that are a multiple of this (it scans the account records).</summary>
    public ulong ArchiveSweepInterval { get; init; } = 1000;

    /// <summary>At most this many accounts are archived in one block.</summary>
    public int ArchivePerBlock { get; init; } = 1000;

    /// <summary>Regtest: archive after 100 blocks, swept every 10.</summary>
    public static StateOptions Regtest { get; } = new() { ArchiveAfterBlocks = 100, ArchiveSweepInterval = 10 };
}
