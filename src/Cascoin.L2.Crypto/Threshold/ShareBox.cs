using System.Security.Cryptography;
using Org.BouncyCastle.Math;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace Cascoin.L2.Crypto.Threshold;

/// <summary>
/// A DKG share sealed to one member's secp256k1 key (ECIES): a random e, E = e·G, a key
/// HKDF-SHA256(e·P, salt E, info tag ‖ context ‖ dealer ‖ member), ChaCha20-Poly1305 (zero nonce; the
/// key is fresh) over the 64-byte share pair (f(j) ‖ f′(j)). Dealings are broadcast whole, so only the member reads its
/// share, and a complaint about it is settled by the dealer revealing the share in public.
/// </summary>
internal static class ShareBox
{
    public const int Size = Group.PointSize + SharePair.Size + 16;

    private static ReadOnlySpan<byte> Tag => "cascoin-l2-dkg-share-v2"u8;

    public static byte[] Seal(SharePair share, ECPoint memberKey, byte[] context, int dealer, int member)
    {
        var e = Group.RandomScalar();
        var ephemeral = Group.Base(e);
        var box = new byte[Size];
        Group.Encode(ephemeral).CopyTo(box, 0);
        using var aead = new ChaCha20Poly1305(Key(Group.Multiply(memberKey, e), ephemeral, context, dealer, member));
        aead.Encrypt(stackalloc byte[12], share.ToBytes(), box.AsSpan(Group.PointSize, SharePair.Size), box.AsSpan(Group.PointSize + SharePair.Size));
        return box;
    }

    /// <summary>The share pair in the box, or null when it is not a box sealed to this key and context, or holds no scalars.</summary>
    public static SharePair? Open(ReadOnlySpan<byte> box, BigInteger memberSecret, byte[] context, int dealer, int member)
    {
        if (box.Length != Size || Group.Decode(box[..Group.PointSize]) is not { } ephemeral)
            return null;
        var share = new byte[SharePair.Size];
        using var aead = new ChaCha20Poly1305(Key(Group.Multiply(ephemeral, memberSecret), ephemeral, context, dealer, member));
        try
        {
            aead.Decrypt(stackalloc byte[12], box.Slice(Group.PointSize, SharePair.Size), box[(Group.PointSize + SharePair.Size)..], share);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        return SharePair.Decode(share);
    }

    private static byte[] Key(ECPoint shared, ECPoint ephemeral, byte[] context, int dealer, int member) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Group.Encode(shared), 32, Group.Encode(ephemeral),
            [.. Tag, .. context, (byte)(dealer >> 8), (byte)dealer, (byte)(member >> 8), (byte)member]);
}
