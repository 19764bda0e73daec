using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cascoin.L2.State.Tests.Accounts;

[Properties(Arbitrary = new[] { typeof(AccountGenerators) }, MaxTest = 300)]
public class AccountStateProperties
{
    [Property]
    public bool Encoding_round_trips(AccountState account)
    {
        var bytes = account.ToBytes();
        return bytes.Length == AccountState.EncodedSize
            && AccountState.FromBytes(bytes) == account
            && AccountState.TryFromBytes(bytes, out var viaTry) && viaTry == account
            && AccountStateCodec.Instance.Decode(AccountStateCodec.Instance.Encode(account)) == account
            && account.IsEmpty == (account == AccountState.Empty);
    }

    [Property]
    public bool Different_accounts_have_different_encodings(AccountState a, AccountState b) =>
        (a == b) == a.ToBytes().AsSpan().SequenceEqual(b.ToBytes());

    /// <summary>Random bytes: accepted (and then they are the canonical encoding of what they decode to) or
    /// rejected with <see cref="DecodeException"/>; never any other exception.</summary>
    [Property(MaxTest = 1000)]
    public bool Random_bytes_decode_canonically_or_are_rejected(byte[] data) => DecodesCanonicallyOrRejects(data ?? []);

    /// <summary>The same with 90 bytes after a version byte 1, so the field checks are reached, not only the length check.</summary>
    [Property(MaxTest = 1000)]
    public bool Random_records_of_the_right_length_decode_canonically_or_are_rejected(Guid seed, int trailing)
    {
        var random = new Random(seed.GetHashCode());
        var data = new byte[AccountState.EncodedSize + (trailing % 8 == 0 ? Math.Abs(trailing % 3) : 0)];
        random.NextBytes(data);
        data[0] = AccountState.FormatVersion;
        if (random.Next(2) == 0)
            data[81] = (byte)random.Next(0, 102); // a HAT score at or just over the limit
        if (random.Next(2) == 0)
        {
            data[8] = 0; // a balance below 2^53, mostly within MaxMoney (≈ 2^52.9), half the time
            data[7] &= 0x1f;
        }
        return DecodesCanonicallyOrRejects(data);
    }

    private static bool DecodesCanonicallyOrRejects(byte[] data)
    {
        var accepted = AccountState.TryFromBytes(data, out var viaTry);
        try
        {
            var account = AccountState.FromBytes(data);
            return accepted && viaTry == account && account.ToBytes().AsSpan().SequenceEqual(data);
        }
        catch (DecodeException)
        {
            return !accepted && viaTry == default;
        }
    }

    [Property]
    public Property Accepted_records_have_valid_fields(Guid seed)
    {
        var random = new Random(seed.GetHashCode());
        var data = new byte[AccountState.EncodedSize];
        random.NextBytes(data);
        data[0] = AccountState.FormatVersion;
        data[8] &= 0x01;
        data[81] = (byte)random.Next(0, 256);
        var accepted = AccountState.TryFromBytes(data, out var account);
        return (accepted == (data[81] <= 100 && Amount.FromSat(BitConverter.ToInt64(data, 1)).IsMoneyRange))
            .Label("accepted exactly when balance and HAT score are in range")
            .And(!accepted || (account.Balance.IsMoneyRange && account.HatScore <= AccountState.MaxHatScore));
    }
}
