using Cascoin.L2.Storage;

namespace Cascoin.L2.State.Accounts;

/// <summary>Stores an <see cref="AccountState"/> as its canonical bytes (doc/state.md, "Account records").</summary>
public sealed class AccountStateCodec : IDbCodec<AccountState>
{
    /// <summary>The codec is stateless; one instance serves everyone.</summary>
    public static AccountStateCodec Instance { get; } = new();

    public byte[] Encode(AccountState value) => value.ToBytes();

    /// <exception cref="Primitives.DecodeException">when <paramref name="bytes"/> is not exactly one valid record.</exception>
    public AccountState Decode(ReadOnlySpan<byte> bytes) => AccountState.FromBytes(bytes);
}
