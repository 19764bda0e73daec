using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.State.Accounts;

/// <summary>
/// The 32-byte sparse Merkle tree keys of state records (SPEC §4, doc/state.md "Keys").
/// Accounts: SHA-256 of the 20 address bytes. Other namespaces: SHA-256(tag ‖ 0x00 ‖ id), with a
/// printable-ASCII tag (which therefore holds no 0x00, so tag and id are never ambiguous).
/// </summary>
public static class StateKeys
{
    /// <summary>The longest namespace tag accepted.</summary>
    public const int MaxTagLength = 64;

    /// <summary>SHA-256 of the 20 address bytes.</summary>
    public static Hash256 ForAccount(Address address)
    {
        Span<byte> bytes = stackalloc byte[Address.Size];
        address.WriteTo(bytes);
        Span<byte> key = stackalloc byte[Hash256.Size];
        Sha256Fast.Hash(bytes, key);
        return new Hash256(key);
    }

    /// <summary>SHA-256(<paramref name="tag"/> as ASCII ‖ 0x00 ‖ <paramref name="id"/>): the key of a record in a
    /// namespace other than accounts, e.g. <c>ForNamespace("storage", address ‖ slot)</c>.</summary>
    /// <exception cref="ArgumentException">when <paramref name="tag"/> is empty, longer than 64 characters or not
    /// printable ASCII (0x20..0x7e), or when tag ‖ 0x00 ‖ id would be exactly 20 bytes long: such a preimage
    /// could equal an address and its key that account's key.</exception>
    public static Hash256 ForNamespace(string tag, ReadOnlySpan<byte> id)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (tag.Length is 0 or > MaxTagLength)
            throw new ArgumentException($"a namespace tag is 1..{MaxTagLength} characters", nameof(tag));
        Span<byte> prefix = stackalloc byte[MaxTagLength + 1];
        for (var i = 0; i < tag.Length; i++)
        {
            if (tag[i] is < ' ' or > '~')
                throw new ArgumentException("a namespace tag is printable ASCII (0x20..0x7e)", nameof(tag));
            prefix[i] = (byte)tag[i];
        }
        prefix[tag.Length] = 0x00;
        if ((long)tag.Length + 1 + id.Length == Address.Size)
            throw new ArgumentException(
                $"tag ‖ 0x00 ‖ id must not be {Address.Size} bytes long, the length of an account key's preimage", nameof(id));
        Span<byte> key = stackalloc byte[Hash256.Size];
        Sha256Fast.Hash(prefix[..(tag.Length + 1)], id, key);
        return new Hash256(key);
    }
}
