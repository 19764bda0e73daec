using System.Diagnostics.CodeAnalysis;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.State.Accounts;

/// <summary>
/// The state of one account (SPEC §4): the value stored in the sparse Merkle tree under
/// <see cref="StateKeys.ForAccount"/>. An account that was never written reads as <see cref="Empty"/>
/// (all zero), which is also <c>default(AccountState)</c>.
/// </summary>
/// <remarks>
/// Every value of this type is valid: <see cref="Balance"/> is within 0..<see cref="Amount.MaxMoney"/> and
/// <see cref="HatScore"/> within 0..<see cref="MaxHatScore"/>, enforced by the constructor and by
/// <c>with</c> expressions, so every value encodes and every encoding decodes back to it.
/// The canonical bytes (doc/state.md, "Account records") are fixed-size: 1 version byte, then
/// balance i64 LE, nonce u64 LE, codeHash 32, storageRoot 32, hatScore u8, lastActivity u64 LE.
/// </remarks>
public readonly record struct AccountState
{
    /// <summary>The version byte that starts every record of this layout.</summary>
    public const byte FormatVersion = 1;

    /// <summary>Length of the canonical encoding: 1 + 8 + 8 + 32 + 32 + 1 + 8.</summary>
    public const int EncodedSize = 1 + 8 + 8 + Hash256.Size + Hash256.Size + 1 + 8;

    /// <summary>The highest HAT (human-activity trust) score; scores are 0..100.</summary>
    public const byte MaxHatScore = 100;

    private readonly Amount _balance;
    private readonly byte _hatScore;

    /// <exception cref="ArgumentOutOfRangeException">when <paramref name="balance"/> is outside 0..MaxMoney or
    /// <paramref name="hatScore"/> is above 100.</exception>
    public AccountState(Amount balance, ulong nonce, Hash256 codeHash, Hash256 storageRoot, byte hatScore, ulong lastActivity)
    {
        Balance = balance;
        Nonce = nonce;
        CodeHash = codeHash;
        StorageRoot = storageRoot;
        HatScore = hatScore;
        LastActivity = lastActivity;
    }

    /// <summary>What an unknown account reads as: zero balance, nonce, hashes, score and activity.</summary>
    public static AccountState Empty => default;

    /// <summary>Spendable balance, 0..<see cref="Amount.MaxMoney"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">on init, when outside that range.</exception>
    public Amount Balance
    {
        get => _balance;
        init
        {
            if (!value.IsMoneyRange)
                throw new ArgumentOutOfRangeException(nameof(Balance), value, "a balance is within 0..MaxMoney");
            _balance = value;
        }
    }

    /// <summary>Number of transactions sent from this account.</summary>
    public ulong Nonce { get; init; }

    /// <summary>SHA-256 of the account's contract code; zero for an account without code.</summary>
    public Hash256 CodeHash { get; init; }

    /// <summary>Root of the account's contract storage; zero when it has none.</summary>
    public Hash256 StorageRoot { get; init; }

    /// <summary>HAT trust score, 0..<see cref="MaxHatScore"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">on init, when above 100.</exception>
    public byte HatScore
    {
        get => _hatScore;
        init
        {
            if (value > MaxHatScore)
                throw new ArgumentOutOfRangeException(nameof(HatScore), value, "a HAT score is within 0..100");
            _hatScore = value;
        }
    }

    /// <summary>L2 block number of the account's last activity.</summary>
    public ulong LastActivity { get; init; }

    /// <summary>True when every field is zero, i.e. the account reads the same as one that does not exist.</summary>
    public bool IsEmpty =>
        _balance.Sat == 0 && Nonce == 0 && CodeHash.IsZero && StorageRoot.IsZero && _hatScore == 0 && LastActivity == 0;

    /// <summary>Writes the canonical encoding (<see cref="EncodedSize"/> bytes).</summary>
    public void WriteTo(SpanWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte(FormatVersion);
        writer.WriteAmount(_balance);
        writer.WriteUInt64(Nonce);
        writer.WriteHash256(CodeHash);
        writer.WriteHash256(StorageRoot);
        writer.WriteByte(_hatScore);
        writer.WriteUInt64(LastActivity);
    }

    /// <summary>The canonical encoding: <see cref="EncodedSize"/> bytes.</summary>
    public byte[] ToBytes()
    {
        var writer = new SpanWriter(EncodedSize);
        WriteTo(writer);
        return writer.ToArray();
    }

    /// <summary>Reads one record from <paramref name="reader"/>, leaving whatever follows it.</summary>
    /// <exception cref="DecodeException">on a wrong version, truncated data, a balance outside 0..MaxMoney or a HAT score above 100.</exception>
    public static AccountState ReadFrom(ref SpanReader reader)
    {
        var offset = reader.Position;
        return TryRead(ref reader, out var state, out var error)
            ? state
            : throw new DecodeException($"invalid account record at offset {offset}: {error}");
    }

    /// <summary>Decodes exactly one record: <paramref name="bytes"/> must hold nothing else.</summary>
    /// <exception cref="DecodeException">as <see cref="ReadFrom"/>, and on trailing bytes.</exception>
    public static AccountState FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var state = ReadFrom(ref reader);
        reader.EnsureEnd();
        return state;
    }

    /// <summary>Like <see cref="FromBytes"/>, but answers false instead of throwing.</summary>
    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, out AccountState state)
    {
        var reader = new SpanReader(bytes);
        if (TryRead(ref reader, out state, out _) && reader.Remaining == 0)
            return true;
        state = default;
        return false;
    }

    // The length is checked before reading, so the reader never throws here.
    private static bool TryRead(ref SpanReader reader, out AccountState state, [NotNullWhen(false)] out string? error)
    {
        state = default;
        if (reader.Remaining < 1)
        {
            error = "empty";
            return false;
        }
        var version = reader.ReadByte();
        if (version != FormatVersion)
        {
            error = $"unsupported version {version} (expected {FormatVersion})";
            return false;
        }
        if (reader.Remaining < EncodedSize - 1)
        {
            error = $"truncated: {EncodedSize} bytes needed, {reader.Remaining + 1} present";
            return false;
        }
        var balance = reader.ReadAmount();
        var nonce = reader.ReadUInt64();
        var codeHash = reader.ReadHash256();
        var storageRoot = reader.ReadHash256();
        var hatScore = reader.ReadByte();
        var lastActivity = reader.ReadUInt64();
        if (!balance.IsMoneyRange)
        {
            error = $"balance {balance.Sat} sat is outside 0..{Amount.MaxMoneySat}";
            return false;
        }
        if (hatScore > MaxHatScore)
        {
            error = $"HAT score {hatScore} is above {MaxHatScore}";
            return false;
        }
        state = new AccountState(balance, nonce, codeHash, storageRoot, hatScore, lastActivity);
        error = null;
        return true;
    }
}
