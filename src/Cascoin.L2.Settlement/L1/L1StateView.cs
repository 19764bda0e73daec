using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.State.Accounts;

namespace Cascoin.L2.Settlement.L1;

/// <summary>
/// The L1 state as one block sees it while executing: the parent's records, read through a
/// function, under this block's changes. Typed accessors for accounts and contract records.
/// Decoding failures of stored records are corruption, reported with the key.
/// </summary>
public sealed class L1StateView
{
    private readonly Func<Hash256, byte[]?> _parent;
    private readonly Dictionary<Hash256, byte[]?> _changes = [];

    public L1StateView(Func<Hash256, byte[]?> parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        _parent = parent;
    }

    public IReadOnlyDictionary<Hash256, byte[]?> Changes => _changes;

    public byte[]? Get(Hash256 key) => _changes.TryGetValue(key, out var value) ? value : _parent(key);

    public void Set(Hash256 key, byte[]? value) => _changes[key] = value;

    /// <summary>A restore point: undo everything after it with <see cref="Rollback"/> (a failed transaction keeps only its fee).</summary>
    public Dictionary<Hash256, byte[]?> Checkpoint() => new(_changes);

    public void Rollback(Dictionary<Hash256, byte[]?> checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        _changes.Clear();
        foreach (var (key, value) in checkpoint)
            _changes[key] = value;
    }

    public AccountState GetAccount(Address address) =>
        Get(StateKeys.ForAccount(address)) is { } bytes ? Decode(StateKeys.ForAccount(address), bytes, b => AccountState.FromBytes(b)) : AccountState.Empty;

    public void SetAccount(Address address, AccountState account) =>
        Set(StateKeys.ForAccount(address), account.IsEmpty ? null : account.ToBytes());

    public void Credit(Address address, Amount amount)
    {
        var account = GetAccount(address);
        SetAccount(address, account with { Balance = account.Balance + amount });
    }

    public ChainRecord? GetChain(ulong chainId) =>
        Get(SettlementKeys.Chain(chainId)) is { } bytes ? Decode(SettlementKeys.Chain(chainId), bytes, b => ChainRecord.FromBytes(b)) : null;

    public void SetChain(ChainRecord chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        Set(SettlementKeys.Chain(chain.ChainId), chain.ToBytes());
    }

    public IReadOnlyList<ulong> GetChainIds()
    {
        if (Get(SettlementKeys.ChainIndex) is not { } bytes)
            return [];
        if (bytes.Length % 8 != 0)
            throw new InvalidDataException($"corrupt L1 record {SettlementKeys.ChainIndex.ToHex()}: chain index length {bytes.Length}");
        return Enumerable.Range(0, bytes.Length / 8).Select(i => BitConverter.ToUInt64(bytes, i * 8)).ToList();
    }

    public void AddChainId(ulong chainId) =>
        Set(SettlementKeys.ChainIndex, [.. Get(SettlementKeys.ChainIndex) ?? [], .. BitConverter.GetBytes(chainId)]);

    public StakeRecord GetStake(ulong chainId, Address sequencer) =>
        Get(SettlementKeys.Stake(chainId, sequencer)) is { } bytes ? Decode(SettlementKeys.Stake(chainId, sequencer), bytes, b => StakeRecord.FromBytes(b)) : StakeRecord.None;

    public void SetStake(ulong chainId, Address sequencer, StakeRecord stake)
    {
        ArgumentNullException.ThrowIfNull(stake);
        Set(SettlementKeys.Stake(chainId, sequencer), stake.IsEmpty ? null : stake.ToBytes());
    }

    public AnchorRecord? GetAnchor(ulong chainId, ulong index) =>
        Get(SettlementKeys.Anchor(chainId, index)) is { } bytes ? Decode(SettlementKeys.Anchor(chainId, index), bytes, b => AnchorRecord.FromBytes(b)) : null;

    public L1Message? GetL1Message(ulong chainId, ulong sequence) =>
        Get(SettlementKeys.L1Message(chainId, sequence)) is { } bytes ? Decode(SettlementKeys.L1Message(chainId, sequence), bytes, b => L1Message.FromBytes(b)) : null;

    public L1Message? GetForced(ulong chainId, ulong sequence) =>
        Get(SettlementKeys.Forced(chainId, sequence)) is { } bytes ? Decode(SettlementKeys.Forced(chainId, sequence), bytes, b => L1Message.FromBytes(b)) : null;

    public bool IsMarked(Hash256 key) => Get(key) is not null;

    public void Mark(Hash256 key) => Set(key, [1]);

    private static T Decode<T>(Hash256 key, byte[] bytes, Func<byte[], T> decode)
    {
        try
        {
            return decode(bytes);
        }
        catch (Exception ex) when (ex is DecodeException or ArgumentException)
        {
            throw new InvalidDataException($"corrupt L1 state record {key.ToHex()}: {ex.Message}", ex);
        }
    }
}
